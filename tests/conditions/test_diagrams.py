"""Each condition page shows where it hurts: a labelled drawing of the back of the leg in the
anatomy section, with a caption and a text alternative, its labels the same words as the page's
text; light enough to cost nothing; and staff can replace it with an upload, which is cleaned of
anything a page could run or load, or refused when it carries such things."""

import gzip
import re

import brotli
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conditions.diagrams import DiagramRefused, clean_svg
from conditions.models import Condition
from tests.conditions.admin_forms import change_url, condition_form_data

pytestmark = pytest.mark.django_db

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">'
# Each label of each drawing, and the words of the page's own text it can be ticked against.
LABELS = {
    "hamstring-insertion-pain": {
        "Pelvis": "bottom of the pelvis",
        "Hamstrings: three muscles": "a group of three muscles",
        "Thigh bone (femur)": "thigh bone (femur)",
        "Back of the knee (knee joint)": "back of the knee (the knee joint)",
        "Shin bones (tibia and fibula)": "shin bones (tibia and fibula)",
        "Pain is felt here, where the tendons attach (inner side)": "where the hamstring tendons",
        "…and here (outer side)": "on the inner and outer sides",
        "← Inner side": "inner and outer sides",
        "Outer side →": "inner and outer sides",
    },
    "calf-insertion-pain": {
        "Thigh bone (femur)": "thigh bone (femur)",
        "Pain is felt here, where the calf muscle starts, behind the knee": "the top of the calf, near the knee",
        "Calf muscle (gastrocnemius): inner head": "two parts, called heads",
        "outer head": "on the inner and outer sides",
        "Back of the knee (knee joint)": "behind the knee",
        "Shin bones (tibia and fibula)": "shin bones (tibia and fibula)",
        "Achilles tendon": "Achilles tendon",
        "Heel bone": "heel bone",
        "← Inner side": "inner and outer sides",
        "Outer side →": "inner and outer sides",
    },
}


def _labels(svg: str) -> list[str]:
    """What each <text> says, its lines joined as a reader would read them."""
    texts = re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).replace(" ,", ",").strip() for text in texts]


@pytest.mark.parametrize("slug", LABELS)
def test_each_label_can_be_ticked_against_a_sentence_of_the_page(client, clinic_content, slug):
    condition = Condition.objects.get(slug=slug)
    anatomy = " ".join(section.body for section in condition.sections.all())
    page_text = re.sub(r"\s+", " ", anatomy + " " + condition.summary + " " + condition.anatomy)

    labels = [re.sub(r"\s+", " ", label) for label in _labels(condition.diagram)]

    assert sorted(labels) == sorted(LABELS[slug])
    for label, sentence in LABELS[slug].items():
        assert sentence.lower() in page_text.lower(), (label, sentence)


@pytest.mark.parametrize("slug", LABELS)
def test_the_page_shows_the_drawing_as_a_figure_in_its_anatomy_section(client, clinic_content, slug):
    condition = Condition.objects.get(slug=slug)

    page = client.get(condition.get_absolute_url()).content.decode()

    anatomy = re.search(r'<section aria-labelledby="anatomy">(.*?)</section>', page, flags=re.S)[1]
    figure = re.search(r'<figure class="anatomy-figure">(.*?)</figure>', anatomy, flags=re.S)[1]
    title_id = f"diagram-{slug}-title"
    assert f'<svg role="img" aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg"' in figure
    assert f'<title id="{title_id}">{condition.diagram_alt}</title>' in figure
    assert 'width="380" height="610"' in figure and 'viewBox="0 0 380 610"' in figure
    assert f"<figcaption>{condition.diagram_caption}</figcaption>" in figure
    assert condition.diagram_alt.startswith("Drawing of the back of the right leg")
    assert "Thigh bone" in figure and "(femur)" in figure  # the labels are text, not pictures of text
    assert page.count("<figure") == 1


@pytest.mark.parametrize("slug", LABELS)
def test_each_drawing_weighs_under_8_kb_compressed(clinic_content, slug):
    svg = Condition.objects.get(slug=slug).diagram.encode()

    assert len(gzip.compress(svg, 9)) < 8_000
    assert len(brotli.compress(svg)) < 8_000


@pytest.mark.parametrize(
    ("inside", "said"),
    [
        ('<script>alert("hi")</script>', "a <script> element"),
        ('<rect width="10" height="10" onload="alert(1)"/>', "an event handler (onload)"),
        ('<use href="https://evil.example/sprite.svg#a"/>', "a link to another address"),
        (
            '<use xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="http://evil.example/a.svg#b"/>',
            "a link to another address",
        ),
        ('<image href="data:image/png;base64,AAAA" width="5" height="5"/>', "a <image> element"),
        ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>', "a <foreignObject>"),
        ('<rect width="9" height="9" fill="url(https://evil.example/p.svg#x)"/>', "a reference to another address"),
        ('<rect width="9" height="9" style="fill: url(//evil.example/p.svg#x)"/>', "a reference to another address"),
        ('<a href="https://evil.example/"><text>Click</text></a>', "a <a> element"),
        ('<animate attributeName="href" to="javascript:alert(1)"/>', "a <animate> element"),
        ("<style>@import url(https://evil.example/x.css);</style>", "styles in a <style> element"),
    ],
)
def test_a_drawing_that_could_run_or_load_something_is_refused_with_what_was_found(inside, said):
    with pytest.raises(DiagramRefused, match=re.escape(said)):
        clean_svg(f"{SVG_OPEN}{inside}</svg>")


def test_entities_and_other_files_are_refused_before_anything_is_read():
    bomb = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    with pytest.raises(DiagramRefused, match="not a drawing this site can read"):
        clean_svg(f"{bomb}{SVG_OPEN}<text>&b;</text></svg>")
    with pytest.raises(DiagramRefused, match="not an SVG drawing"):
        clean_svg('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')
    with pytest.raises(DiagramRefused, match="under 100 KB"):
        clean_svg(SVG_OPEN + "<g/>" * 30_000 + "</svg>")
    with pytest.raises(DiagramRefused, match="needs a viewBox"):
        clean_svg('<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>')


def test_an_editors_markings_are_dropped_and_styles_become_attributes():
    exported = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" viewBox="0 0 50 50" width="50" '
        'height="50" inkscape:version="1.3"><title>Old title</title><metadata><rdf/></metadata>'
        '<sodipodi:namedview id="nv"/><g inkscape:label="Layer 1" class="bone">'
        '<rect width="20" height="20" style="fill:#efe9dc;stroke:#5c5240;stroke-width:2;-inkscape-stroke:none"/>'
        '<text x="1" y="40" data-note="x">Thigh <tspan font-weight="700">bone</tspan> (femur)</text></g></svg>'
    )

    cleaned = clean_svg(exported)

    assert cleaned == (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 50 50" width="50" height="50"><g class="bone">'
        '<rect fill="#efe9dc" stroke="#5c5240" stroke-width="2" width="20" height="20" />'
        '<text x="1" y="40">Thigh <tspan font-weight="700">bone</tspan> (femur)</text></g></svg>'
    )


def _upload(admin_client, condition, svg: str, **changes):
    data = condition_form_data(condition, **changes)
    data["diagram_upload"] = SimpleUploadedFile("diagram.svg", svg.encode(), content_type="image/svg+xml")
    return admin_client.post(change_url(condition), data)


def test_staff_replace_the_diagram_and_the_page_shows_the_new_one(client, admin_client, clinic_content):
    condition = Condition.objects.get(slug="hamstring-insertion-pain")
    client.get(condition.get_absolute_url())  # cached as it was
    drawing = f'{SVG_OPEN}<circle class="pain" cx="50" cy="50" r="20"/><text x="5" y="95">Knee</text></svg>'

    saved = _upload(
        admin_client, condition, drawing, diagram_alt="A circle at the knee.", diagram_caption="Where it hurts."
    )

    assert saved.status_code == 302
    page = client.get(condition.get_absolute_url()).content.decode()
    assert '<circle class="pain" cx="50" cy="50" r="20" />' in page
    assert '<title id="diagram-hamstring-insertion-pain-title">A circle at the knee.</title>' in page
    assert "<figcaption>Where it hurts.</figcaption>" in page


def test_an_upload_with_a_script_is_refused_and_nothing_changes(admin_client, clinic_content):
    condition = Condition.objects.get(slug="hamstring-insertion-pain")
    before = condition.diagram

    refused = _upload(admin_client, condition, f"{SVG_OPEN}<script>steal()</script></svg>", diagram_caption="New")

    assert refused.status_code == 200
    assert "a page may not run or load" in refused.content.decode()
    condition.refresh_from_db()
    assert condition.diagram == before and condition.diagram_caption != "New"


def test_a_new_diagram_needs_its_text_alternative(admin_client, clinic_content):
    condition = Condition.objects.get(slug="calf-insertion-pain")

    refused = _upload(admin_client, condition, f"{SVG_OPEN}<g/></svg>", diagram_alt="")

    assert refused.status_code == 200
    assert "Say what the diagram shows, for people who cannot see it." in refused.content.decode()
    condition.refresh_from_db()
    assert "Achilles tendon" in condition.diagram


def test_staff_can_remove_the_diagram(client, admin_client, clinic_content):
    condition = Condition.objects.get(slug="calf-insertion-pain")

    removed = admin_client.post(change_url(condition), condition_form_data(condition, remove_diagram="on"))

    assert removed.status_code == 302
    condition.refresh_from_db()
    assert condition.diagram == ""
    assert "<figure" not in client.get(condition.get_absolute_url()).content.decode()

import json
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conditions.models import Condition, PublishStatus, Treatment
from tests.conditions.conftest import make_condition, make_treatment

HAMSTRING = "/conditions/hamstring-insertion-pain/"
CALF = "/conditions/calf-insertion-pain/"
ORTHOTICS = "/treatments/custom-orthotics/"

# Every public content page, with the number of queries it may take whatever the amount of
# content: the clinic (2: location and its opening hours) plus the page's own prefetches.
PAGES_AND_QUERIES = [
    ("/", 4),
    ("/conditions/", 4),
    (HAMSTRING, 6),
    ("/treatments/", 3),
    (ORTHOTICS, 6),
    ("/fees/", 7),
    ("/contact/", 4),
    ("/new-patients/", 5),
    ("/privacy/", 2),
    ("/accessibility/", 2),
]


def h1s(response) -> list[str]:
    return [re.sub(r"\s+", " ", h).strip() for h in re.findall(r"<h1[^>]*>(.*?)</h1>", response.text, re.S)]


def json_ld(response) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/conditions/", "Conditions we help with"),
        (HAMSTRING, "Hamstring insertion pain"),
        (CALF, "Calf (gastrocnemius) insertion pain"),
        ("/treatments/", "Treatments"),
        (ORTHOTICS, "Customised functional orthotics"),
        ("/treatments/dry-needling-and-acupuncture/", "Dry needling and acupuncture"),
        ("/treatments/footwear-advice/", "Footwear options and fitting advice"),
        ("/treatments/home-stretching-programs/", "Personalised at-home stretching programs"),
        ("/treatments/joint-strengthening/", "Joint strengthening advice"),
    ],
)
def test_each_content_page_shows_its_heading(client, clinic_content, path, heading):
    response = client.get(path)

    assert response.status_code == 200
    assert h1s(response) == [heading]


def test_condition_list_groups_conditions_by_body_area_with_summaries(client, clinic_content):
    response = client.get("/conditions/")

    assert re.search(r"<h2[^>]*>Knee</h2>", response.text)
    assert f'href="{HAMSTRING}"' in response.text
    assert f'href="{CALF}"' in response.text
    assert "Pain at the back of the knee where the hamstring tendons attach." in response.text


def test_condition_page_shows_sections_lists_and_on_this_page_links(client, clinic_content):
    response = client.get(HAMSTRING)
    html = response.text

    assert '<a href="#what-is-it">What is it?</a>' in html
    assert '<h2 id="what-is-it">What is it?</h2>' in html
    assert "<li>A tight feeling at the back of the thigh</li>" in html  # symptoms
    assert "<li>Sprinting or other fast bursts of speed</li>" in html  # causes
    assert "<li>A past hamstring injury</li>" in html  # risk factors
    assert f'<a href="{CALF}">Calf (gastrocnemius) insertion pain</a>' in html  # related


def test_condition_page_links_to_its_treatments_and_to_booking_for_this_concern(client, clinic_content):
    response = client.get(HAMSTRING)

    for slug in ("custom-orthotics", "dry-needling-and-acupuncture", "footwear-advice", "joint-strengthening"):
        assert f'href="/treatments/{slug}/"' in response.text
    assert 'href="/book/?concern=hamstring-insertion-pain">Book an assessment</a>' in response.text


def test_review_date_is_written_the_australian_way(client, db):
    make_condition(
        title="Heel pain",
        slug="heel-pain",
        last_reviewed=date(2026, 11, 25),
        next_review_due=date(2027, 11, 25),
        reviewed_by_name="Sam Taylor",
        reviewed_by_profession="Podiatrist",
    )

    response = client.get("/conditions/heel-pain/")

    assert '<time datetime="2026-11-25">25 November 2026</time> by Sam Taylor, Podiatrist' in response.text
    assert json_ld(response)["lastReviewed"] == "2026-11-25"
    assert json_ld(response)["reviewedBy"] == {"@type": "Person", "name": "Sam Taylor", "jobTitle": "Podiatrist"}


def test_condition_json_ld_describes_the_medical_condition(client, clinic_content):
    data = json_ld(client.get(HAMSTRING))
    condition = Condition.objects.get(slug="hamstring-insertion-pain")

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["dateModified"] == timezone.localdate(condition.updated_at).isoformat()
    about = data["about"]
    assert about["@type"] == "MedicalCondition"
    assert about["name"] == "Hamstring insertion pain"
    assert about["associatedAnatomy"]["@type"] == "AnatomicalStructure"
    assert {"@type": "MedicalSignOrSymptom", "name": "A tight feeling at the back of the thigh"} in about[
        "signOrSymptom"
    ]
    assert {"@type": "MedicalCause", "name": "Jumping and kicking"} in about["cause"]
    assert {"@type": "MedicalRiskFactor", "name": "A past hamstring injury"} in about["riskFactor"]
    therapies = {t["name"]: t["url"] for t in about["possibleTreatment"]}
    assert therapies["Customised functional orthotics"].endswith(ORTHOTICS)
    assert [item["name"] for item in data["breadcrumb"]["itemListElement"]] == [
        "Home",
        "Conditions",
        "Hamstring insertion pain",
    ]


def test_treatment_page_shows_what_to_expect_the_conditions_it_helps_and_booking(client, clinic_content):
    response = client.get(ORTHOTICS)
    treatment = Treatment.objects.get(slug="custom-orthotics")

    assert '<h2 id="page-what-to-expect">What to expect</h2>' in response.text
    assert treatment.what_to_expect_html in response.text
    assert f'<a href="{HAMSTRING}">Hamstring insertion pain</a>' in response.text
    assert 'href="/book/">Book an assessment</a>' in response.text
    assert json_ld(response)["about"]["@type"] == "MedicalTherapy"


def test_detail_pages_have_breadcrumbs(client, clinic_content):
    condition_page = client.get(HAMSTRING).text
    treatment_page = client.get(ORTHOTICS).text

    assert '<a href="/conditions/">Conditions</a>' in condition_page
    assert 'aria-current="page">Hamstring insertion pain</li>' in condition_page
    assert '<a href="/treatments/">Treatments</a>' in treatment_page
    assert 'aria-current="page">Customised functional orthotics</li>' in treatment_page


def test_draft_pages_are_not_public(client, db):
    draft_treatment = make_treatment(title="Secret treatment", slug="secret-treatment", status=PublishStatus.DRAFT)
    make_condition(
        title="Secret condition", slug="secret-condition", status=PublishStatus.DRAFT, treatments=[draft_treatment]
    )
    published = make_condition(title="Public condition", slug="public-condition", treatments=[draft_treatment])

    assert client.get("/conditions/secret-condition/").status_code == 404
    assert client.get("/treatments/secret-treatment/").status_code == 404
    for path in ("/", "/conditions/", "/treatments/", published.get_absolute_url()):
        assert "Secret" not in client.get(path).text


def test_markup_typed_by_staff_cannot_run_script_on_the_page(client, db):
    make_condition(
        title="Heel pain",
        slug="heel-pain",
        sections=[
            (
                "What is it?",
                'Plain **bold** words.\n\n<script>alert("hi")</script>\n\n'
                '<img src="x" onerror="alert(1)"> <a href="javascript:alert(2)">click</a>',
            )
        ],
    )

    html = client.get("/conditions/heel-pain/").text

    assert "<strong>bold</strong>" in html
    assert "alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert html.count("<script") == 1  # only the page's own JSON-LD


def test_a_title_cannot_break_out_of_the_json_ld(client, db):
    make_condition(title="Heel </script><script>alert(1)</script> pain", slug="heel-pain")

    response = client.get("/conditions/heel-pain/")

    assert response.text.count("<script") == 1
    assert json_ld(response)["name"] == "Heel </script><script>alert(1)</script> pain"


@pytest.mark.parametrize(("path", "queries"), PAGES_AND_QUERIES)
def test_public_page_query_count(client, clinic_content, demo_schedule, django_assert_num_queries, path, queries):
    with django_assert_num_queries(queries):
        response = client.get(path)

    assert response.status_code == 200


def test_not_found_page_query_count(client, clinic_content, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/no-such-page/")

    assert response.status_code == 404


def _queries_for(client, path) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _add_ten_of_everything():
    hamstring = Condition.objects.get(slug="hamstring-insertion-pain")
    orthotics = Treatment.objects.get(slug="custom-orthotics")
    for n in range(10):
        treatment = make_treatment(sections=[(f"Treatment part {n}", "Words.")])
        condition = make_condition(sections=[(f"Condition part {n}", "Words.")], treatments=[orthotics, treatment])
        hamstring.treatments.add(treatment)
        hamstring.related.add(condition)
        hamstring.sections.create(position=10 + n, heading=f"Extra section {n}", body="More words.")
        orthotics.sections.create(position=10 + n, heading=f"Extra section {n}", body="More words.")


@pytest.mark.parametrize("path", [path for path, _ in PAGES_AND_QUERIES])
def test_query_count_does_not_grow_with_more_content(client, clinic_content, demo_schedule, path):
    before = _queries_for(client, path)

    _add_ten_of_everything()
    after = _queries_for(client, path)

    assert after == before
    if path == HAMSTRING:
        assert "Extra section 9" in client.get(path).text

"""The anatomy diagrams as patients see them in Chromium: a figure named by its caption, a
picture named by what it shows, labels that are real text, the right size at 320, 768 and
1280 px, in Windows high-contrast (forced colours) and in print. With SCREENSHOTS=1 the test
also saves the pictures the README shows (docs/screenshots/)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conditions.models import Condition

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SLUGS = ["hamstring-insertion-pain", "calf-insertion-pain"]


def _figure(page, condition):
    figure = page.get_by_role("figure", name=condition.diagram_caption)
    expect(figure).to_be_visible()
    return figure


@pytest.mark.parametrize("width", [320, 768, 1280])
@pytest.mark.parametrize("slug", SLUGS)
def test_the_diagram_shows_whole_and_readable_at_every_width(live_site, page, slug, width):
    condition = Condition.objects.get(slug=slug)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(condition.get_absolute_url())

    figure = _figure(page, condition)
    picture = figure.get_by_role("img", name=condition.diagram_alt)
    expect(picture).to_be_visible()
    expect(figure.locator("text").filter(has_text="Thigh bone")).to_be_visible()  # text, not a picture of it
    box = picture.bounding_box()
    assert min(width - 32, 384) - 1 <= box["width"] <= width
    assert abs(box["height"] / box["width"] - 610 / 380) < 0.01  # the space is kept before it draws
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    labels = figure.locator("text").evaluate_all("(texts) => texts.map((t) => t.getBoundingClientRect().height)")
    assert min(labels) * 0.6 >= 7  # the smallest label's letters stay at least 7 px tall
    if os.environ.get("SCREENSHOTS"):
        SCREENSHOTS.mkdir(exist_ok=True)
        page.locator("section#anatomy, section[aria-labelledby=anatomy]").screenshot(
            path=SCREENSHOTS / f"{slug}-{width}.png", animations="disabled"
        )


@pytest.mark.parametrize("slug", SLUGS)
def test_in_forced_colours_the_drawing_takes_the_system_colours(live_site, page, slug):
    condition = Condition.objects.get(slug=slug)
    page.goto(condition.get_absolute_url())
    figure = _figure(page, condition)
    pain = figure.locator(".pain").first
    normal_pain = pain.evaluate("(el) => getComputedStyle(el).stroke")

    page.emulate_media(forced_colors="active")

    text_colour = page.evaluate("getComputedStyle(document.body).color")
    highlight = page.evaluate(
        "(() => { const s = document.createElement('span'); s.style.color = 'Highlight';"
        " document.body.append(s); const c = getComputedStyle(s).color; s.remove(); return c; })()"
    )
    label = figure.locator("text").first.evaluate("(el) => getComputedStyle(el).fill")
    bone = figure.locator(".bone").first.evaluate("(el) => getComputedStyle(el).stroke")
    assert label == text_colour and bone == text_colour
    assert pain.evaluate("(el) => getComputedStyle(el).stroke") == highlight != normal_pain
    assert pain.evaluate("(el) => getComputedStyle(el).strokeDasharray") != "none"  # outlined, not only coloured


def test_in_print_the_diagram_keeps_to_a_sensible_size(live_site, page):
    condition = Condition.objects.get(slug=SLUGS[0])
    page.goto(condition.get_absolute_url())

    page.emulate_media(media="print")

    picture = _figure(page, condition).get_by_role("img", name=condition.diagram_alt)
    assert 300 <= picture.bounding_box()["width"] <= 12 / 2.54 * 96 + 1

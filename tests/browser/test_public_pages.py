"""Every public page in real Chromium: accessible, one h1, usable on a 320 px phone, and usable
with JavaScript switched off."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser

# (path, the page's h1, HTTP status)
PUBLIC_PAGES = [
    ("/", "Love your body from the sole up", 200),
    ("/conditions/", "Conditions we help with", 200),
    ("/conditions/hamstring-insertion-pain/", "Hamstring insertion pain", 200),
    ("/conditions/calf-insertion-pain/", "Calf (gastrocnemius) insertion pain", 200),
    ("/treatments/", "Treatments", 200),
    ("/treatments/custom-orthotics/", "Customised functional orthotics", 200),
    ("/treatments/dry-needling-and-acupuncture/", "Dry needling and acupuncture", 200),
    ("/treatments/footwear-advice/", "Footwear options and fitting advice", 200),
    ("/treatments/home-stretching-programs/", "Personalised at-home stretching programs", 200),
    ("/treatments/joint-strengthening/", "Joint strengthening advice", 200),
    ("/team/", "Our team", 200),
    ("/fees/", "Fees and rebates", 200),
    ("/contact/", "Contact us and find the clinic", 200),
    ("/new-patients/", "Your first visit", 200),
    ("/book/", "Book an appointment", 200),
    ("/privacy/", "Privacy notice", 200),
    ("/accessibility/", "Accessibility", 200),
    ("/no-such-page/", "Sorry, we cannot find that page", 404),
]
PAGE_IDS = [path for path, _, _ in PUBLIC_PAGES]


@pytest.mark.parametrize(("path", "heading", "status"), PUBLIC_PAGES, ids=PAGE_IDS)
def test_page_is_accessible_with_one_h1(live_site, page, path, heading, status):
    response = page.goto(path)

    assert response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_no_axe_violations(page)


@pytest.mark.parametrize(("path", "heading", "status"), PUBLIC_PAGES, ids=PAGE_IDS)
def test_page_fits_a_320px_wide_phone(live_site, page, path, heading, status):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize(("path", "heading", "status"), PUBLIC_PAGES, ids=PAGE_IDS)
def test_page_and_navigation_work_without_javascript(live_site, no_js_page, path, heading, status):
    no_js_page.goto(path)
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text(heading)

    no_js_page.get_by_role("navigation", name="Main").get_by_role("link", name="Treatments").click()

    expect(no_js_page).to_have_url(re.compile(r"/treatments/$"))
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text("Treatments")


def test_keyboard_user_can_skip_to_main_content_and_reach_the_menu(live_site, page):
    page.goto("/")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.goto("/")
    menu = page.get_by_role("navigation", name="Main")
    reached = []
    for _ in range(9):
        page.keyboard.press("Tab")
        for name in ("Conditions", "Treatments", "Our team", "Fees", "Contact", "Book online"):
            if menu.get_by_role("link", name=name, exact=True).evaluate("link => link === document.activeElement"):
                reached.append(name)
    assert reached == ["Conditions", "Treatments", "Our team", "Fees", "Contact", "Book online"]


def test_patient_finds_their_condition_and_books_an_assessment(live_site, page):
    page.goto("/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Conditions", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conditions we help with")
    page.get_by_role("link", name="Hamstring insertion pain").click()
    expect(page.get_by_role("heading", level=1, name="Hamstring insertion pain")).to_be_visible()
    expect(page.get_by_text("Last updated on")).to_be_visible()
    page.get_by_role("link", name="Book an assessment").first.click()

    expect(page).to_have_url(re.compile(r"/book/\?concern=hamstring-insertion-pain$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_new_patient_on_a_phone_finds_the_team_the_fees_and_the_way_to_the_clinic(live_site, page):
    page.set_viewport_size({"width": 375, "height": 740})
    menu = page.get_by_role("navigation", name="Main")

    page.goto("/")
    menu.get_by_role("link", name="Our team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our team")

    page.goto("/")
    menu.get_by_role("link", name="Fees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fees and rebates")
    expect(page.get_by_role("main")).to_contain_text("Comprehensive biomechanical assessment")
    expect(page.get_by_role("main")).to_contain_text("health fund")

    page.goto("/")
    menu.get_by_role("link", name="Contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact us and find the clinic")
    maps = page.get_by_role("link", name="Open the address in your maps app")
    expect(maps).to_have_attribute("href", re.compile(r"^(geo:|https://(maps\.apple\.com|www\.google\.com/maps))"))
    expect(page.get_by_role("heading", name="Opening hours").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_patient_finds_the_clinic_hours_and_phone_on_the_home_page(live_site, page):
    page.goto("/")

    hours = page.get_by_role("table", name="Opening hours")
    expect(hours.get_by_role("row", name=re.compile("Monday"))).to_contain_text("8:30 am to 5:30 pm")
    expect(hours.get_by_role("row", name=re.compile("Sunday"))).to_contain_text("Closed")
    expect(page.get_by_role("main").get_by_role("link", name="(02) 5550 1234")).to_have_attribute(
        "href", "tel:+61255501234"
    )


def test_a_focused_button_has_the_same_strong_outline_as_a_link(live_site, page):
    page.goto("/")
    outline = "(el) => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"

    button = page.get_by_role("navigation", name="Main").get_by_role("link", name="Book online")
    button.focus()
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Contact")
    page.keyboard.press("Shift+Tab")  # to the link before it, by keyboard (so :focus-visible)
    expect(link).to_be_focused()
    link_style = link.evaluate(outline)
    page.keyboard.press("Tab")
    expect(button).to_be_focused()

    assert button.evaluate(outline) == link_style
    assert link_style[0] == "solid" and link_style[1] == "3px"

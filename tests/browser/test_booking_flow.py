"""Booking in real Chromium, as patients do: from a condition page to a confirmed reference, with
and without JavaScript, by keyboard, on a 320 px phone, and two patients racing for one time.

Nothing is frozen: the demo practitioner's real upcoming hours give the times, and each test
takes the first time offered."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings import availability, links, services
from bookings.models import Booking, BookingStatus, Patient, Service
from bookings.selectors import main_location
from tests.conftest import assert_no_axe_violations, guarded_tab

pytestmark = pytest.mark.browser

ASSESSMENT = "Comprehensive biomechanical assessment"
A_TIME = re.compile(r"^\d{1,2}:\d\d [ap]m with ")


@pytest.fixture
def other_page(browser, live_server):
    with guarded_tab(browser, live_server) as tab:
        yield tab


def page_width(tab) -> int:
    tab.wait_for_load_state("load")  # measured with the stylesheets applied
    return tab.evaluate("document.documentElement.scrollWidth")


def heading(tab):
    return tab.get_by_role("heading", level=1)


def choose_first_time(tab, *, check_accessibility=False):
    """From the services page: the assessment, the first day and time offered. The demo clinic
    has one practitioner, so there is nobody to choose: the times come next (tests/browser/
    test_team.py chooses between two)."""
    tab.get_by_role("link", name=f"Choose this appointment for {ASSESSMENT}").click()
    expect(heading(tab)).to_have_text("Choose a time")
    if check_accessibility:
        assert_no_axe_violations(tab)
    tab.get_by_role("link", name=re.compile(r", times available$")).first.click()
    tab.get_by_role("link", name=A_TIME).first.click()
    expect(heading(tab)).to_have_text("Your details")


def fill_details(tab, *, given_name="Jordan", email="jordan@example.com"):
    tab.get_by_label("Given name").fill(given_name)
    tab.get_by_label("Family name").fill("Sole")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Mobile phone").fill("0412 345 678")
    tab.get_by_label("No, this is my first visit").check()
    tab.get_by_label("Tell us about your concern").fill("Pain behind my knee when I run")
    tab.get_by_label("I agree to SOLE THERAPY").check()


def reference_on(tab) -> str:
    expect(heading(tab)).to_have_text("Your booking")
    message = tab.get_by_text(re.compile(r"Your reference is [A-Z0-9]{8}\."))
    expect(message).to_be_visible()
    return re.search(r"reference is ([A-Z0-9]{8})", message.inner_text())[1]


def test_a_new_patient_books_an_assessment_from_a_condition_page(live_site, page):
    assert page.goto("/conditions/hamstring-insertion-pain/").status == 200
    page.get_by_role("link", name="Book an assessment").first.click()
    expect(heading(page)).to_have_text("Book an appointment")
    expect(page.get_by_text("Booking about: Hamstring insertion pain")).to_be_visible()
    assert_no_axe_violations(page)

    choose_first_time(page, check_accessibility=True)
    expect(page.get_by_text("Booking about: Hamstring insertion pain")).to_be_visible()
    expect(page.get_by_label("What would you like help with?")).to_have_value("hamstring-insertion-pain")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Continue to review").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter your given name")).to_have_attribute("href", "#id_given_name")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_no_axe_violations(page)
    summary.get_by_role("link", name="Enter your phone number").click()
    expect(page.get_by_label("Mobile phone")).to_be_focused()

    fill_details(page)
    page.get_by_role("button", name="Continue to review").click()
    expect(heading(page)).to_have_text("Check your booking")
    expect(page.get_by_text("jordan@example.com")).to_be_visible()
    expect(page.get_by_text("Hamstring insertion pain").first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Confirm booking").click()

    reference = reference_on(page)
    assert_no_axe_violations(page)
    booking = Booking.objects.select_related("concern", "patient").get(reference=reference)
    assert booking.concern.slug == "hamstring-insertion-pain"
    assert booking.patient.email == "jordan@example.com"
    assert booking.patient.phone.as_e164 == "+61412345678"
    # The first free time may be within the 24 hours that only the clinic can change.
    expect(page.get_by_text(re.compile("^Reschedule$|cannot be changed online")).first).to_be_visible()


def test_booking_works_with_javascript_switched_off(live_site, no_js_page):
    tab = no_js_page
    tab.goto("/book/?concern=hamstring-insertion-pain")

    choose_first_time(tab)
    tab.get_by_role("button", name="Continue to review").click()
    expect(tab.get_by_role("alert")).to_contain_text("There is a problem")
    fill_details(tab)
    tab.get_by_role("button", name="Continue to review").click()
    tab.get_by_role("button", name="Confirm booking").click()

    reference = reference_on(tab)
    assert Booking.objects.get(reference=reference).concern.slug == "hamstring-insertion-pain"


def test_two_patients_racing_for_one_time_get_one_booking_and_one_apology(live_site, page, other_page):
    for tab, name in ((page, "Ada"), (other_page, "Bea")):
        tab.goto("/book/")
        choose_first_time(tab)
        fill_details(tab, given_name=name, email=f"{name.lower()}@example.com")
        tab.get_by_role("button", name="Continue to review").click()
        expect(heading(tab)).to_have_text("Check your booking")
    times = [tab.get_by_role("region", name="Your appointment").inner_text() for tab in (page, other_page)]
    assert times[0] == times[1]

    page.get_by_role("button", name="Confirm booking").click(no_wait_after=True)
    other_page.get_by_role("button", name="Confirm booking").click(no_wait_after=True)

    for tab in (page, other_page):
        expect(tab.get_by_text(re.compile("Your reference is|just been taken")).first).to_be_visible()
    assert Booking.objects.count() == 1
    assert Patient.objects.count() == 1
    winner = Booking.objects.select_related("patient").get()
    loser = other_page if winner.patient.given_name == "Ada" else page
    expect(loser.get_by_role("alert")).to_contain_text("Sorry, that time has just been taken")
    expect(loser.get_by_role("heading", name="Choose another time")).to_be_visible()
    expect(loser.get_by_role("button", name=re.compile(r"\d:\d\d [ap]m with "))).not_to_have_count(0)
    expect(loser.get_by_role("button", name="Confirm booking")).to_have_count(0)
    assert_no_axe_violations(loser)


def test_the_details_form_can_be_completed_with_the_keyboard_alone(live_site, page):
    page.goto("/book/")
    choose_first_time(page)

    def tab_to(locator, limit=15):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {locator}")

    tab_to(page.get_by_label("Given name"))
    page.keyboard.type("Kim")
    tab_to(page.get_by_label("Family name"))
    page.keyboard.type("Keys")
    tab_to(page.get_by_label("Email"))
    page.keyboard.type("kim@example.com")
    tab_to(page.get_by_label("Mobile phone"))
    page.keyboard.type("0412 345 678")
    tab_to(page.get_by_label("No, this is my first visit"))
    page.keyboard.press("Space")
    tab_to(page.get_by_label("I agree to SOLE THERAPY"))
    page.keyboard.press("Space")
    expect(page.get_by_label("I agree to SOLE THERAPY")).to_be_checked()
    tab_to(page.get_by_role("button", name="Continue to review"))
    page.keyboard.press("Enter")

    expect(heading(page)).to_have_text("Check your booking")
    expect(page.get_by_text("kim@example.com")).to_be_visible()
    tab_to(page.get_by_role("button", name="Confirm booking"), limit=40)
    page.keyboard.press("Enter")
    reference_on(page)


def test_the_times_and_details_pages_fit_a_320px_phone_with_large_targets(live_site, page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/book/biomechanical-assessment/times/?practitioner=any")
    expect(heading(page)).to_have_text("Choose a time")

    assert page_width(page) <= 320
    for target in (
        page.get_by_role("link", name=A_TIME).first,
        page.get_by_role("link", name=re.compile("times available$")).first,
    ):
        box = target.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 24, box

    page.get_by_role("link", name=A_TIME).first.click()
    expect(heading(page)).to_have_text("Your details")
    assert page_width(page) <= 320
    page.get_by_role("button", name="Continue to review").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page_width(page) <= 320
    for target in (
        page.get_by_label("Given name"),
        page.get_by_label("No, this is my first visit"),
        page.get_by_role("button", name="Continue to review"),
    ):
        box = target.evaluate("e => (e.closest('label') || e).getBoundingClientRect().height")
        assert box >= 44, target


def test_a_patient_reschedules_then_cancels_from_their_emailed_link(live_site, page):
    location = main_location()
    service = Service.objects.get(slug="biomechanical-assessment")
    today = timezone.localdate(timezone=location.zone)
    slot = availability.free_slots(
        service=service, location=location, start_date=today + timedelta(days=3), end_date=today + timedelta(days=10)
    )[0]
    patient = Patient.objects.create(
        given_name="Robin", family_name="Heel", email="robin@example.com", phone="+61412345678"
    )
    booking = services.booking_create(service=service, location=location, patient=patient, start=slot.start)

    page.goto(links.manage_path(booking))
    expect(page.get_by_text(booking.reference).first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Reschedule").click()
    expect(heading(page)).to_have_text("Choose a new time")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile(r", times available$")).last.click()
    page.get_by_role("link", name=A_TIME).last.click()
    expect(heading(page)).to_have_text("Confirm your new time")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Move my booking").click()
    expect(page.get_by_text(re.compile(f"Your booking {booking.reference} is now on"))).to_be_visible()
    booking.refresh_from_db()
    assert booking.start != slot.start

    page.get_by_role("link", name="Cancel booking").click()
    expect(heading(page)).to_have_text("Cancel your booking")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Yes, cancel my booking").click()

    expect(page.get_by_text(f"Your booking {booking.reference} is cancelled.")).to_be_visible()
    expect(page.get_by_text("Status: Cancelled")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_a_week_of_times_opens_one_day_at_a_time(live_site, page):
    page.goto("/book/biomechanical-assessment/times/")
    first_day = page.get_by_role("link", name=A_TIME).count()
    assert first_day > 0

    page.get_by_text(re.compile(r"^\d+ free times? on ")).nth(1).click()  # the second day

    assert page.get_by_role("link", name=A_TIME).count() > first_day
    assert_no_axe_violations(page)

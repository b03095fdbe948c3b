"""The reception calendar in real Chromium, as a receptionist runs the morning: today's day view
(a real table with row and column headers, no axe violations), a booking opened from its block,
a phone booking started from a free time with the keyboard alone, the week, and a 320 px phone
with one practitioner. With SCREENSHOTS=1 the test saves the README's picture of the day view."""

import os
import re
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from bookings import services
from bookings.models import Patient, Practitioner, Service, TimeOff
from bookings.selectors import main_location
from tests.browser.test_diagrams import SCREENSHOTS
from tests.conftest import assert_no_axe_violations, guarded_tab, signed_in

pytestmark = pytest.mark.browser


@pytest.fixture
def reception(live_site, browser, live_server):
    """A signed-in staff tab, and a clinic day: two bookings today and a practitioner's time off."""
    location = main_location()
    practitioner = Practitioner.objects.get(is_demo=True)
    service = Service.objects.get(slug="biomechanical-assessment")
    today = timezone.localdate(timezone=location.zone)
    for hour, (given, family) in zip((10, 13), (("Jordan", "Sole"), ("Riley", "Arch")), strict=True):
        patient = Patient.objects.create(given_name=given, family_name=family, phone="+61412345678")
        start = datetime.combine(today, time(hour), tzinfo=location.zone)
        services.booking_create(
            service=service, location=location, patient=patient, practitioner=practitioner, start=start,
            channel="phone", outside_hours_ok=True, now=start - timedelta(days=1),
        )  # fmt: skip
    TimeOff.objects.create(
        practitioner=practitioner,
        start=datetime.combine(today, time(15), tzinfo=location.zone),
        end=datetime.combine(today, time(16), tzinfo=location.zone),
        reason="Team meeting",
    )
    user = User.objects.create_user("front", password="a long password for tests", is_staff=True, is_superuser=True)
    staff = signed_in(Client(), user)
    with guarded_tab(browser, live_server) as tab:
        tab.context.add_cookies(
            [{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}]
        )
        yield tab


def test_reception_reads_today_opens_a_booking_and_books_a_free_time_by_keyboard(reception):
    page = reception
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/admin/bookings/booking/calendar/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Calendar:")
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Time")).to_be_visible()
    expect(table.get_by_role("rowheader", name=re.compile(r"^10:00 am"))).to_be_visible()
    expect(
        table.get_by_role("link", name=re.compile("^Jordan Sole Comprehensive biomechanical assessment Confirmed"))
    ).to_be_visible()
    expect(table.get_by_text("Team meeting")).to_be_visible()
    assert_no_axe_violations(page)
    if os.environ.get("SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "calendar-day.png", full_page=False)

    page.get_by_role("link", name=re.compile("^Riley Arch")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change booking")
    page.go_back()

    # The keyboard alone: tab to a free time and press Enter.
    free = table.get_by_role("link", name=re.compile(r"^Book \d{1,2}:\d\d [ap]m$")).first
    free.focus()
    expect(free).to_be_focused()
    page.keyboard.press("Enter")
    # Who for: the caller found by their number as spoken, still by keyboard alone.
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is the booking for?")
    expect(page.get_by_role("searchbox", name=re.compile("^Name, email"))).to_be_focused()
    page.keyboard.type("0412 345 678")
    page.keyboard.press("Enter")
    choose = page.get_by_role("link", name="Book for Jordan Sole")
    choose.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add booking")
    expect(page.get_by_label("Practitioner:")).not_to_have_value("")
    expect(page.get_by_label("Patient:")).to_have_value(str(Patient.objects.get(given_name="Jordan").pk))


def test_the_week_and_a_320px_phone_with_one_practitioner(reception):
    page = reception
    page.goto("/admin/bookings/booking/calendar/")
    page.get_by_role("link", name="Week view").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Calendar: Week of")
    expect(page.get_by_role("columnheader", name=re.compile(r"\(today\)"))).to_be_visible()
    assert_no_axe_violations(page)

    page.set_viewport_size({"width": 320, "height": 640})
    page.get_by_label("Show", exact=True).select_option("day")
    page.get_by_label("Practitioner").select_option(index=1)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"view=day.*practitioner=\d"))  # the new page, not the week still
    expect(page.get_by_role("link", name=re.compile("^Jordan Sole"))).to_be_visible()
    # Once its styles have loaded and the layout settled (a fixed wait would be flaky).
    page.wait_for_function("document.documentElement.scrollWidth <= 320 + 1", timeout=10_000)
    assert_no_axe_violations(page)


def test_reception_books_a_caller_from_the_free_times(reception):
    page = reception
    page.goto("/admin/")
    page.get_by_role("link", name="New phone booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New phone booking")
    page.get_by_label("Appointment", exact=True).select_option(value="biomechanical-assessment")
    page.get_by_role("button", name="Show free times").click()
    expect(page.get_by_role("heading", name=re.compile("^Times from"))).to_be_visible()
    assert_no_axe_violations(page)
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=SCREENSHOTS / "phone-booking.png", full_page=False)

    page.get_by_role("link", name=re.compile(r"^\d{1,2}:\d\d [ap]m with")).first.click()

    # A new caller: not found, so added on the way, and the booking form has them.
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is the booking for?")
    page.get_by_label("Name, email, phone (any format) or date of birth").fill("Casey Archer")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("status")).to_contain_text("Nobody recorded matches")
    assert_no_axe_violations(page)
    page.get_by_label("Given name:").fill("Casey")
    page.get_by_label("Family name:").fill("Archer")
    page.get_by_label("Mobile phone:").fill("0412 999 000")
    page.get_by_label("Date of birth:").fill("3 March 1979")
    page.get_by_role("button", name="Add and continue to the booking").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Add booking")
    expect(page.get_by_label("Practitioner:")).not_to_have_value("")
    expect(page.get_by_label("Service:")).not_to_have_value("")
    casey = Patient.objects.get(family_name="Archer")
    expect(page.get_by_label("Patient:")).to_have_value(str(casey.pk))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile("was added successfully"))).to_be_visible()
    assert casey.bookings.get().channel == "phone"

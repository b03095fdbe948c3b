"""A clinic day in real Chromium, signed in as each kind of staff: reception confirms a request,
marks yesterday's no-show, finds a caller by the phone number as they say it, and adds time off
that clashes with a booking, cancelling it with the patient told; the practice manager downloads
the week; a podiatrist sees only their own calendar; a content editor sees no bookings at all."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from bookings import services, staff_groups
from bookings.models import Booking, BookingStatus, Patient, Practitioner, Service
from bookings.selectors import main_location
from tests.conftest import assert_no_axe_violations, guarded_tab, signed_in

pytestmark = pytest.mark.browser


@pytest.fixture
def day(live_site):
    location = main_location()
    podiatrist = Practitioner.objects.get(is_demo=True)
    service = Service.objects.get(slug="biomechanical-assessment")
    today = timezone.localdate(timezone=location.zone)

    def book(name, when, **extra):
        patient = Patient.objects.create(given_name=name, family_name="Sole", phone="+61412345678")
        return services.booking_create(
            service=service, location=location, patient=patient, practitioner=podiatrist, start=when,
            channel="phone", outside_hours_ok=True, now=when - timedelta(days=2), **extra,
        )  # fmt: skip

    tomorrow = datetime.combine(today + timedelta(days=1), time(10), tzinfo=location.zone)
    return {
        "request": book("Riley", tomorrow, status=BookingStatus.REQUESTED),
        "clash": book("Casey", tomorrow + timedelta(hours=3)),
        "missed": book("Morgan", datetime.combine(today - timedelta(days=1), time(9), tzinfo=location.zone)),
        "podiatrist": podiatrist,
        "tomorrow": tomorrow,
    }


def _signed_in_tab(browser, live_server, group):
    user = User.objects.create_user(group.lower().replace(" ", "-"), password="a long password here", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    staff = signed_in(Client(), user)
    tab = guarded_tab(browser, live_server)
    page = tab.__enter__()
    page.context.add_cookies([{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}])
    return tab, page, user


def test_reception_runs_the_day(day, browser, live_server):
    tab, page, _ = _signed_in_tab(browser, live_server, staff_groups.RECEPTION)
    try:
        page.goto("/admin/")
        expect(page.get_by_role("link", name="1 booking request to confirm")).to_be_visible()
        assert_no_axe_violations(page)

        # Confirm the request from the list.
        page.get_by_role("link", name="1 booking request to confirm").click()
        page.get_by_role("checkbox", name=re.compile("Select this object")).first.check()
        page.get_by_label("Action:").select_option("confirm_requests")
        page.get_by_role("button", name="Run").click()
        expect(page.get_by_text("1 booking(s) confirmed.")).to_be_visible()

        # Yesterday's patient did not come.
        page.goto("/admin/bookings/booking/?when=past")
        page.get_by_role("checkbox", name=re.compile("Select this object")).first.check()
        page.get_by_label("Action:").select_option("mark_no_show")
        page.get_by_role("button", name="Run").click()
        expect(page.get_by_text("1 booking(s) marked as did not attend.")).to_be_visible()

        # A caller gives their number as they say it.
        page.goto("/admin/bookings/patient/")
        page.get_by_role("searchbox").fill("0412 345 678")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("row", name=re.compile("Casey"))).to_be_visible()

        # The podiatrist is away tomorrow afternoon: the clash is shown before anything is saved.
        page.goto(f"/admin/bookings/practitioner/{day['podiatrist'].pk}/change/")
        page.get_by_role("button", name="Add another Time off").click()
        row = page.locator("tr.dynamic-time_off").last
        when = day["tomorrow"]
        row.get_by_label("Date").first.fill(f"{when:%Y-%m-%d}")
        row.get_by_label("Time").first.fill("12:00")
        row.get_by_label("Date").last.fill(f"{when:%Y-%m-%d}")
        row.get_by_label("Time").last.fill("17:00")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text(re.compile("1 booked patient\\(s\\) fall inside this time off"))).to_be_visible()
        page.get_by_label("Cancel them all and email each patient").check()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("1 booking(s) cancelled; each patient is emailed.")).to_be_visible()
    finally:
        tab.__exit__(None, None, None)

    assert Booking.objects.get(pk=day["request"].pk).status == BookingStatus.CONFIRMED
    assert Booking.objects.get(pk=day["missed"].pk).status == BookingStatus.NO_SHOW
    assert Booking.objects.get(pk=day["clash"].pk).status == BookingStatus.CANCELLED


def test_the_manager_downloads_the_week_the_podiatrist_sees_their_own_and_the_editor_none(day, browser, live_server):
    tab, page, _ = _signed_in_tab(browser, live_server, staff_groups.PRACTICE_MANAGER)
    try:
        page.goto("/admin/bookings/booking/?when=this_week")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download these as CSV").click()
        assert download.value.suggested_filename.startswith("bookings-")
    finally:
        tab.__exit__(None, None, None)

    tab, page, user = _signed_in_tab(browser, live_server, staff_groups.PODIATRIST)
    try:
        Practitioner.objects.filter(pk=day["podiatrist"].pk).update(user=user)
        page.goto("/admin/bookings/booking/calendar/?view=week")
        expect(page.get_by_role("columnheader", name=re.compile("Demo"))).not_to_have_count(0)
        assert_no_axe_violations(page)
    finally:
        tab.__exit__(None, None, None)

    tab, page, _ = _signed_in_tab(browser, live_server, staff_groups.CONTENT_EDITOR)
    try:
        page.goto("/admin/")
        expect(page.get_by_role("link", name="Conditions", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="Open the calendar")).to_have_count(0)
        assert page.goto("/admin/bookings/booking/calendar/").status == 403
    finally:
        tab.__exit__(None, None, None)

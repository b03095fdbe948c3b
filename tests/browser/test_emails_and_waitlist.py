"""In real Chromium: the emails' HTML reads well in light and dark mode, the booking page offers
its calendar file, a broken link explains itself, and the waitlist form works by keyboard and
without JavaScript."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings import email_content, links
from bookings.models import EmailKind, WaitlistEntry
from tests.bookings.pages import first_free_booking
from tests.conftest import assert_no_axe_violations
from tests.worker import run_due_tasks

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_confirmation_emails_html_passes_axe_in_light_and_dark_mode(live_site, page, scheme):
    booking = first_free_booking()
    email = booking.emails.get(kind=EmailKind.BOOKED)
    html = email_content.build(email).alternatives[0][0]

    page.emulate_media(color_scheme=scheme)
    page.set_content(html)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment is booked")
    expect(page.get_by_role("link", name="See, move or cancel your booking")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_booking_page_offers_the_calendar_file(live_site, page, live_server):
    booking = first_free_booking()
    page.goto(links.manage_path(booking))

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("^Add to calendar")).click()

    assert download.value.suggested_filename == f"sole-therapy-{booking.reference}.ics"
    assert_no_axe_violations(page)


def test_a_broken_link_explains_what_to_do(live_site, page):
    booking = first_free_booking()
    page.goto(links.manage_path(booking)[:-8] + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text("We could not open this booking link")
    expect(page.get_by_role("main").get_by_role("link", name=re.compile(r"^\(\d\d\) "))).to_be_visible()  # the phone
    assert_no_axe_violations(page)


def _fill_waitlist(tab):
    today = timezone.localdate()
    tab.get_by_label("From").fill(today.isoformat())
    tab.get_by_label("Until").fill((today + timedelta(days=7)).isoformat())
    tab.get_by_label("Your name").fill("Casey")
    tab.get_by_role("textbox", name=re.compile("^Email")).fill("casey@example.com")


def test_the_waitlist_form_explains_mistakes_and_works_by_keyboard(live_site, page, mailoutbox):
    page.goto("/book/biomechanical-assessment/times/")
    page.get_by_role("link", name="Tell me if an earlier time opens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell me if a time opens")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Join the waitlist").click()  # nothing filled in
    expect(page.get_by_role("alert")).to_contain_text("Enter the first day you could come")
    assert_no_axe_violations(page)

    _fill_waitlist(page)
    page.get_by_role("checkbox", name=re.compile("^I agree")).press("Space")
    page.get_by_role("button", name="Join the waitlist").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("You are on the waitlist")
    assert WaitlistEntry.objects.get().email == "casey@example.com"
    run_due_tasks()
    assert [m.subject for m in mailoutbox] == ["You are on the SOLE THERAPY waitlist"]


def test_joining_the_waitlist_works_without_javascript(live_site, no_js_page):
    no_js_page.goto("/book/biomechanical-assessment/waitlist/")
    _fill_waitlist(no_js_page)
    no_js_page.get_by_role("checkbox", name=re.compile("^I agree")).check()
    no_js_page.get_by_role("button", name="Join the waitlist").click()

    expect(no_js_page.get_by_role("heading", level=1)).to_have_text("You are on the waitlist")

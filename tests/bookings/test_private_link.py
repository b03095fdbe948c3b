"""The private link in a patient's emails: kind when mistyped or replaced, read-only once the
appointment has passed, still working after the secret key is rotated, and it offers the
appointment as a calendar file."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from icalendar import Calendar

from bookings import links, services
from bookings.models import BookingStatus, EmailKind
from tests.bookings.pages import booked, fixed_clock, text  # noqa: F401 (fixed_clock: the clock stands at NOW)

pytestmark = pytest.mark.django_db


def test_a_mistyped_link_says_what_to_do_and_gives_the_phone_number(client, clinic, patient):
    booking = booked(clinic, patient)
    cut_short = links.manage_path(booking)[:-10] + "/"

    response = client.get(cut_short)

    assert response.status_code == 404
    page = text(response)
    assert "We could not open this booking link" in page and "(02) 5550 1234" in page
    assert booking.reference not in page


def test_a_link_replaced_by_staff_says_so_and_the_new_one_works(client, clinic, patient, admin_user, mailoutbox):
    booking = booked(clinic, patient)
    old = links.manage_path(booking)

    services.booking_send_new_link(booking=booking, by=admin_user)
    booking.refresh_from_db()

    replaced = client.get(old)
    assert replaced.status_code == 410
    assert "This booking link has been replaced" in text(replaced) and "(02) 5550 1234" in text(replaced)
    assert client.post(old.replace("/booking/", "/booking/", 1) + "cancel/").status_code == 410
    assert client.get(links.manage_path(booking)).status_code == 200
    assert booking.emails.filter(kind=EmailKind.NEW_LINK).exists()


def test_links_keep_working_after_the_secret_key_is_rotated(client, clinic, patient, settings):
    booking = booked(clinic, patient)
    issued = links.manage_path(booking)

    with override_settings(SECRET_KEY="a-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert client.get(issued).status_code == 200
        assert links.manage_path(booking) != issued  # new links are made with the new key
    with override_settings(SECRET_KEY="a-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[]):
        assert client.get(issued).status_code == 404


def test_once_the_appointment_has_passed_the_link_shows_it_but_changes_nothing(client, clinic, patient):
    booking = booked(clinic, patient)
    with time_machine.travel(booking.end + timedelta(minutes=5), tick=False):
        page = client.get(links.manage_path(booking))
        cancelled = client.post(links.manage_path(booking) + "cancel/")

    assert "This appointment has passed" in text(page)
    assert "Reschedule" not in text(page) and "Add to calendar" not in text(page)
    assert cancelled.status_code == 409
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_add_to_calendar_gives_the_same_event_the_emails_carry(client, clinic, patient):
    booking = booked(clinic, patient)
    page = client.get(links.manage_path(booking))
    assert "Add to calendar" in text(page)

    response = client.get(
        reverse(
            "bookings:calendar", kwargs={"reference": booking.reference, "token": links.manage_token(booking.reference)}
        )
    )

    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert f"sole-therapy-{booking.reference}.ics" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    event = next(iter(calendar.walk("VEVENT")))
    assert calendar["METHOD"] == "PUBLISH"
    assert event["UID"] == f"booking-{booking.reference}@127.0.0.1"
    assert event.decoded("DTSTART") == booking.start and event.decoded("DTEND") == booking.end
    assert links.manage_url(booking) in str(event["DESCRIPTION"])

"""What the patient and the clinic are told when a booking is made, confirmed, moved or
cancelled, in the website's own words, and never a patient's details in the clinic's notices."""

import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from bookings import services, wording
from bookings.models import Booking, BookingChannel, BookingStatus, Patient, Service
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db

SERVICES_TOML = Path(__file__).resolve().parents[2] / "bookings" / "content" / "services.toml"
PATIENT_DETAILS = ("Jordan", "jordan@example.com", "0491 570 006", "491570006", "Left heel aches", "sore heel")


@pytest.fixture
def book(clinic, patient, delivered):
    def book(**extra):
        options = {
            "service": clinic["service"],
            "location": clinic["location"],
            "patient": patient,
            "practitioner": clinic["practitioners"][0],
            "start": TEN_AM_SYDNEY_DEC_3,
            "now": NOW,
            "notes": "Left heel aches",
            "concern_text": "sore heel",
        }
        with delivered():
            return services.booking_create(**options | extra)

    return book


def _assert_no_patient_details(message):
    for detail in PATIENT_DETAILS:
        assert detail not in message.body and detail not in message.subject


def test_emails_word_times_as_the_website_does(book, mailoutbox):
    booking = book()

    body = mailoutbox[0].body
    assert "Thursday 3 December 2026 at 10:00 am (Sydney time)" in body
    assert not re.search(r"\d [AP]M\b", body) and "Australia/Sydney" not in body  # not "10:00 AM"
    assert f"{booking.reference}" in mailoutbox[1].subject and "10:00 am (Sydney time)" in mailoutbox[1].body


def test_confirming_a_request_tells_the_patient_with_the_details_and_their_link(book, clinic, mailoutbox, delivered):
    clinic["service"].confirmation = "request"
    clinic["service"].save()
    booking = book()
    assert "will confirm it with you soon" in mailoutbox[0].body
    mailoutbox.clear()

    with delivered():
        services.booking_set_status(booking=booking, status=BookingStatus.CONFIRMED)

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.subject == f"Your SOLE THERAPY booking {booking.reference} is confirmed"
    assert email.to == ["jordan@example.com"] and email.reply_to == ["clinic@example.com"]
    assert "Hello Jordan" in email.body and "confirmed your booking" in email.body
    assert "Comprehensive biomechanical assessment" in email.body
    assert "Thursday 3 December 2026 at 10:00 am (Sydney time)" in email.body
    assert "Alex Foot" in email.body and "1 Test Street" in email.body
    assert f"/booking/{booking.reference}/" in email.body


def test_confirming_a_booking_that_is_already_confirmed_sends_nothing(book, mailoutbox, delivered):
    booking = book()
    mailoutbox.clear()

    with delivered():
        services.booking_set_status(booking=booking, status=BookingStatus.CONFIRMED)

    assert mailoutbox == []


def test_a_patient_moving_online_tells_the_clinic_without_patient_details(book, mailoutbox, delivered):
    booking = book()
    mailoutbox.clear()

    with delivered():
        services.booking_reschedule(
            booking=booking, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), by_patient=True, now=NOW
        )

    patient_email, clinic_email = mailoutbox
    assert patient_email.to == ["jordan@example.com"] and "has moved" in patient_email.subject
    assert "12:00 pm (Sydney time)" in patient_email.body
    assert clinic_email.to == ["clinic@example.com"]
    assert clinic_email.subject == f"Booking {booking.reference} moved online by the patient"
    assert "Comprehensive biomechanical assessment" in clinic_email.body
    assert "Was:           Thursday 3 December 2026 at 10:00 am (Sydney time) with Alex Foot" in clinic_email.body
    assert "Now:           Thursday 3 December 2026 at 12:00 pm (Sydney time) with Alex Foot" in clinic_email.body
    assert "clinic admin" in clinic_email.body
    _assert_no_patient_details(clinic_email)


def test_the_clinic_notice_names_both_practitioners_when_the_patient_changes_who(book, clinic, mailoutbox, delivered):
    booking = book()
    mailoutbox.clear()

    with delivered():
        services.booking_reschedule(
            booking=booking,
            start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2),
            practitioner=clinic["practitioners"][1],
            by_patient=True,
            now=NOW,
        )

    assert "10:00 am (Sydney time) with Alex Foot" in mailoutbox[1].body
    assert "12:00 pm (Sydney time) with Sam Heel" in mailoutbox[1].body


def test_a_patient_cancelling_online_tells_the_clinic_without_patient_details(book, mailoutbox, delivered):
    booking = book()
    mailoutbox.clear()

    with delivered():
        services.booking_cancel(booking=booking, by_patient=True, now=NOW)

    patient_email, clinic_email = mailoutbox
    assert patient_email.subject == f"Your SOLE THERAPY booking {booking.reference} is cancelled"
    assert "Thursday 3 December 2026 at 10:00 am (Sydney time)" in patient_email.body
    assert "/book/" in patient_email.body  # a link to book again
    assert clinic_email.to == ["clinic@example.com"]
    assert clinic_email.subject == f"Booking {booking.reference} cancelled online by the patient"
    assert "Thursday 3 December 2026 at 10:00 am (Sydney time)" in clinic_email.body
    assert "Alex Foot" in clinic_email.body and "clinic admin" in clinic_email.body
    _assert_no_patient_details(clinic_email)


def test_changes_staff_make_tell_the_patient_only(book, mailoutbox, delivered):
    booking = book()
    mailoutbox.clear()

    with delivered():
        services.booking_reschedule(
            booking=booking, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), by_patient=False, now=NOW
        )
    with delivered():
        services.booking_cancel(booking=booking, by_patient=False, now=NOW)

    assert [m.to for m in mailoutbox] == [["jordan@example.com"], ["jordan@example.com"]]


@pytest.mark.parametrize("by_patient", [True, False])
def test_moving_to_the_same_time_and_practitioner_changes_and_sends_nothing(
    book, clinic, mailoutbox, delivered, by_patient
):
    booking = book()
    before = Booking.objects.get(pk=booking.pk)
    mailoutbox.clear()

    with delivered():
        services.booking_reschedule(booking=booking, start=booking.start, by_patient=by_patient, now=NOW)
        services.booking_reschedule(
            booking=booking,
            start=booking.start,
            practitioner=clinic["practitioners"][0],
            by_patient=by_patient,
            now=NOW,
        )

    assert mailoutbox == []
    after = Booking.objects.get(pk=booking.pk)
    assert after.updated_at == before.updated_at
    assert (after.start, after.practitioner_id) == (before.start, before.practitioner_id)


def test_staff_changing_the_service_at_the_same_time_still_resizes_the_booking(book, clinic):
    """The service is changed first, then the booking rescheduled to the same start: the new
    service's length must still apply."""
    booking = book()
    short = Service.objects.create(name="Review", slug="review", duration_minutes=30, buffer_minutes=5)
    clinic["practitioners"][0].services.add(short)
    Booking.objects.filter(pk=booking.pk).update(service=short)

    services.booking_reschedule(booking=booking, start=booking.start, by_patient=False, now=NOW)

    booking.refresh_from_db()
    assert booking.end - booking.start == timedelta(minutes=30)
    assert booking.blocked_until - booking.end == timedelta(minutes=5)


@pytest.mark.parametrize(
    ("slug", "advice", "not_advice"),
    [
        ("biomechanical-assessment", ["your sports shoes", "shorts or loose pants", "scans"], "blood thinners"),
        ("dry-needling-session", ["loose, comfortable clothing", "pregnant", "blood thinners"], "shoes"),
        ("orthotic-fitting", ["your orthotics and the shoes you wear them in"], "sports shoes"),
        ("footwear-fitting", ["the shoes you wear most, your sports shoes", "any orthotics"], "blood thinners"),
    ],
)
def test_what_to_bring_suits_the_service(book, clinic, mailoutbox, clinic_content, slug, advice, not_advice):
    service = Service.objects.get(slug=slug)
    clinic["practitioners"][0].services.add(service)

    book(service=service, channel=BookingChannel.PHONE)

    body = mailoutbox[0].body
    for words in advice:
        assert words in body
    assert not_advice not in body


def test_every_service_on_the_website_has_its_own_advice():
    services_on_site = tomllib.loads(SERVICES_TOML.read_text("utf-8"))["services"]

    assert all(item.get("what_to_bring", "").strip() for item in services_on_site)


def test_a_service_without_its_own_advice_gets_the_general_advice(book, mailoutbox):
    book()

    assert wording.GENERAL_ADVICE in mailoutbox[0].body


def test_a_patient_without_an_email_address_is_not_emailed_and_nothing_is_logged(book, mailoutbox, caplog, delivered):
    phone_only = Patient.objects.create(given_name="Robin", family_name="Arch", email="", phone="+61491570007")

    booking = book(patient=phone_only, channel=BookingChannel.PHONE)
    with delivered():
        services.booking_cancel(booking=booking, by_patient=False, now=NOW)

    assert mailoutbox == []
    assert "Could not send" not in caplog.text


def test_a_patient_cancelling_through_the_service_tells_the_clinic(book, mailoutbox, delivered):
    booking = book()
    mailoutbox.clear()
    with delivered():
        services.booking_cancel(booking=booking, by_patient=True, now=NOW)
    assert [m.to for m in mailoutbox] == [["jordan@example.com"], ["clinic@example.com"]]
    _assert_no_patient_details(mailoutbox[1])

import uuid
from datetime import date, timedelta

import pytest

from bookings import services
from bookings.errors import AlreadyBooked, BookingError, ChangeNotAllowed, OutsideNormalHours, SlotUnavailable
from bookings.form_keys import FormKey
from bookings.models import Booking, BookingChannel, BookingStatus, Patient
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db

DETAILS = {"given_name": "Jordan", "family_name": "Sole", "email": "jordan@example.com", "phone": "+61491570006"}


def _book(clinic, patient, start=TEN_AM_SYDNEY_DEC_3, practitioner="first", **extra):
    return services.booking_create(
        service=clinic["service"],
        location=clinic["location"],
        patient=patient,
        practitioner=clinic["practitioners"][0] if practitioner == "first" else practitioner,
        start=start,
        now=NOW,
        **extra,
    )


def test_booking_gets_times_from_the_service_and_a_short_unguessable_reference(clinic, patient):
    booking = _book(clinic, patient)

    assert booking.end - booking.start == timedelta(minutes=60)
    assert booking.blocked_until - booking.end == timedelta(minutes=10)
    assert booking.status == BookingStatus.CONFIRMED
    assert len(booking.reference) == 8 and booking.reference.isalnum()
    other = _book(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2))
    assert other.reference != booking.reference


def test_a_request_mode_service_books_as_a_request_for_staff_to_confirm(clinic, patient):
    clinic["service"].confirmation = "request"
    clinic["service"].save()

    assert _book(clinic, patient).status == BookingStatus.REQUESTED


def test_the_clean_up_buffer_keeps_the_next_patient_out(clinic, patient):
    _book(clinic, patient)

    with pytest.raises(SlotUnavailable):
        _book(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=60))
    assert _book(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=75)).pk


def test_first_available_takes_another_practitioner_when_the_first_is_busy(clinic, patient):
    first = _book(clinic, patient, practitioner=None)
    second = _book(clinic, patient, practitioner=None)

    assert {first.practitioner, second.practitioner} == set(clinic["practitioners"])
    with pytest.raises(SlotUnavailable):
        _book(clinic, patient, practitioner=None)


def test_online_bookings_must_respect_hours_and_notice(clinic, patient):
    with pytest.raises(SlotUnavailable):
        _book(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=9))  # 19:00, after hours
    with pytest.raises(SlotUnavailable):
        _book(clinic, patient, start=NOW + timedelta(minutes=30))  # inside the 2-hour notice
    with pytest.raises(SlotUnavailable):
        _book(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=120))  # beyond 90 days
    assert Booking.objects.count() == 0


def test_staff_may_book_outside_online_rules_when_they_say_so_but_never_over_another_booking(clinic, patient):
    after_hours = TEN_AM_SYDNEY_DEC_3 + timedelta(hours=9)
    with pytest.raises(OutsideNormalHours, match="outside Alex Foot's working hours"):
        _book(clinic, patient, start=after_hours, channel=BookingChannel.PHONE)
    booking = _book(clinic, patient, start=after_hours, channel=BookingChannel.PHONE, outside_hours_ok=True)
    assert booking.status == BookingStatus.CONFIRMED

    with pytest.raises(SlotUnavailable, match="already has booking"):
        _book(
            clinic,
            patient,
            start=after_hours + timedelta(minutes=30),
            channel=BookingChannel.IN_PERSON,
            outside_hours_ok=True,
        )


def test_services_that_are_phone_only_or_for_new_patients_are_refused_online(clinic, patient):
    clinic["service"].bookable_online = False
    clinic["service"].save()
    with pytest.raises(BookingError, match="cannot be booked online"):
        _book(clinic, patient)

    clinic["service"].bookable_online = True
    clinic["service"].new_patient_only = True
    clinic["service"].save()
    patient.is_returning = True
    patient.save()
    with pytest.raises(BookingError, match="for new patients"):
        _book(clinic, patient)


def test_the_same_form_key_never_makes_a_second_booking(clinic):
    form_key = FormKey(key=uuid.uuid4(), secret=FormKey.new_secret())
    kwargs = {
        "patient_details": DETAILS,
        "form_key": form_key,
        "service": clinic["service"],
        "location": clinic["location"],
        "start": TEN_AM_SYDNEY_DEC_3,
        "now": NOW,
    }
    first = services.booking_create_with_patient(**kwargs)
    again = services.booking_create_with_patient(**kwargs)

    assert again.pk == first.pk
    assert Booking.objects.count() == 1 and Patient.objects.count() == 1

    # The same public key with another secret (someone who read it in the address bar, even
    # with the patient's own name and email) is told the booking exists, and nothing more.
    replayed = kwargs | {"form_key": FormKey(key=form_key.key, secret=FormKey.new_secret())}
    with pytest.raises(AlreadyBooked) as refusal:
        services.booking_create_with_patient(**replayed)
    assert first.reference not in str(refusal.value) and "check your email" in str(refusal.value)
    assert Booking.objects.count() == 1 and Patient.objects.count() == 1


def test_a_taken_time_leaves_no_patient_record_behind(clinic, patient):
    practitioner = clinic["practitioners"][0]
    _book(clinic, patient)

    with pytest.raises(SlotUnavailable):
        services.booking_create_with_patient(
            patient_details={**DETAILS, "email": "new@example.com"},
            service=clinic["service"],
            location=clinic["location"],
            practitioner=practitioner,
            start=TEN_AM_SYDNEY_DEC_3,
            now=NOW,
        )
    assert not Patient.objects.filter(email="new@example.com").exists()


def test_patients_can_cancel_and_reschedule_until_the_cancellation_notice(clinic, patient):
    booking = _book(clinic, patient)

    moved = services.booking_reschedule(
        booking=booking, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=3), by_patient=True, now=NOW
    )
    assert moved.start == TEN_AM_SYDNEY_DEC_3 + timedelta(hours=3)
    assert moved.blocked_until == moved.start + timedelta(minutes=70)
    # The old time is free again.
    assert _book(clinic, patient).pk

    late = moved.start - timedelta(hours=23)
    with pytest.raises(ChangeNotAllowed, match="24 hours"):
        services.booking_cancel(booking=moved, by_patient=True, now=late)
    with pytest.raises(ChangeNotAllowed):
        services.booking_reschedule(
            booking=moved, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=1), by_patient=True, now=late
        )

    cancelled = services.booking_cancel(booking=moved, by_patient=True, now=NOW)
    assert cancelled.status == BookingStatus.CANCELLED
    with pytest.raises(ChangeNotAllowed):
        services.booking_cancel(booking=cancelled, by_patient=True, now=NOW)


def test_rescheduling_onto_a_taken_time_keeps_the_original_booking(clinic, patient):
    booking = _book(clinic, patient)
    other = _book(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2))

    with pytest.raises(SlotUnavailable):
        services.booking_reschedule(booking=booking, start=other.start, by_patient=True, now=NOW)
    booking.refresh_from_db()
    assert booking.start == TEN_AM_SYDNEY_DEC_3
    assert booking.status == BookingStatus.CONFIRMED


def test_a_cancelled_booking_cannot_be_reopened(clinic, patient):
    booking = services.booking_cancel(booking=_book(clinic, patient), by_patient=False)

    with pytest.raises(ChangeNotAllowed):
        services.booking_set_status(booking=booking, status=BookingStatus.CONFIRMED)


def test_patients_get_emails_when_booking_moving_and_cancelling(clinic, patient, mailoutbox, delivered):
    with delivered():
        booking = _book(clinic, patient)
    assert [m.subject for m in mailoutbox] == [
        f"Your SOLE THERAPY booking {booking.reference}",
        f"New online booking {booking.reference} (Confirmed)",
    ]
    assert mailoutbox[0].to == ["jordan@example.com"]
    assert "/booking/" + booking.reference + "/" in mailoutbox[0].body
    # The clinic's copy points staff to the admin and carries no patient contact details.
    assert "jordan@example.com" not in mailoutbox[1].body and "Jordan" not in mailoutbox[1].body

    with delivered():
        services.booking_reschedule(
            booking=booking, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), by_patient=True, now=NOW
        )
    with delivered():
        services.booking_cancel(booking=booking, by_patient=True, now=NOW)
    assert "has moved" in mailoutbox[2].subject and "12:00 pm (Sydney time)" in mailoutbox[2].body
    assert mailoutbox[3].to == ["clinic@example.com"] and "moved online" in mailoutbox[3].subject
    assert "is cancelled" in mailoutbox[4].subject


def test_staff_typing_an_impossible_year_get_a_clear_message(clinic, patient):
    from datetime import UTC, datetime

    with pytest.raises(BookingError, match="check the year"):
        _book(clinic, patient, start=datetime(9999, 12, 31, 23, 0, tzinfo=UTC), channel=BookingChannel.PHONE)
    assert Booking.objects.count() == 0


def test_first_available_moves_on_when_a_practitioner_is_taken_between_look_and_book(clinic, patient, monkeypatch):
    """Under load, the free times can be read just before another patient's booking commits.
    The database refuses the stale choice; the patient still gets the practitioner who is free."""
    from bookings import availability

    first, second = clinic["practitioners"]
    stale = availability.free_slots(
        service=clinic["service"],
        location=clinic["location"],
        start_date=date(2026, 12, 3),
        end_date=date(2026, 12, 3),
        now=NOW,
    )
    _book(clinic, patient, practitioner=first)  # commits after the look-up above
    monkeypatch.setattr(availability, "free_slots", lambda **kwargs: stale)

    booking = _book(clinic, patient, practitioner=None)

    assert booking.practitioner == second
    assert Booking.objects.filter(start=TEN_AM_SYDNEY_DEC_3).count() == 2


def test_a_reference_already_taken_is_drawn_again_and_an_overlap_is_still_refused(clinic, patient, monkeypatch):
    first = _book(clinic, patient)
    monkeypatch.setattr(Booking._meta.get_field("reference"), "default", lambda: first.reference)

    second = _book(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2))

    assert second.reference != first.reference and len(second.reference) == 8
    with pytest.raises(SlotUnavailable):
        _book(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=30))  # over the first, same reference too
    assert Booking.objects.count() == 2

"""Reception cannot book an impossible time by a slip (3 am, a closed day, the past), unless they
say it is meant; nor mark a booking completed before it starts."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bookings.models import Booking, BookingStatus, ClinicClosure, TimeOff
from tests.bookings.admin_helpers import (
    ADD_BOOKING,
    BOOKINGS,
    TEN_AM_SYDNEY_CHRISTMAS,
    THREE_AM_SYDNEY_DEC_3,
    booking_form,
    clinic_evening_before,  # noqa: F401 (a fixture)
    page_text,
    phone_booking,
)
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db


# 2. Impossible times typed by mistake


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        (THREE_AM_SYDNEY_DEC_3, "03:00–04:00 is outside Alex Foot"),
        (NOW - timedelta(days=1), "This start time is in the past."),
        (TEN_AM_SYDNEY_CHRISTMAS, "SOLE THERAPY is closed on Friday 25 Dec 2026"),
    ],
)
def test_reception_cannot_book_an_impossible_time_by_typo(admin_client, clinic, patient, start, problem):
    response = admin_client.post(ADD_BOOKING, booking_form(clinic, patient, start))

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["start"]
    assert problem in error
    assert "tick “Book outside normal hours”" in error
    assert not Booking.objects.exists()


def test_a_clinic_closure_day_is_refused(admin_client, clinic, patient):
    ClinicClosure.objects.create(location=clinic["location"], start_date=date(2026, 12, 3), end_date=date(2026, 12, 4))

    response = admin_client.post(ADD_BOOKING, booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))

    assert "SOLE THERAPY is closed on Thursday 03 Dec 2026" in response.context["adminform"].form.errors["start"][0]
    assert not Booking.objects.exists()


@pytest.mark.parametrize("start", [THREE_AM_SYDNEY_DEC_3, TEN_AM_SYDNEY_CHRISTMAS, NOW - timedelta(hours=2)])
def test_ticking_book_outside_normal_hours_books_it_anyway(admin_client, clinic, patient, start):
    response = admin_client.post(ADD_BOOKING, booking_form(clinic, patient, start, outside_hours_ok="on"))

    assert response.status_code == 302
    assert Booking.objects.get().start == start


def test_ticking_book_outside_normal_hours_never_allows_an_overlap(admin_client, clinic, patient):
    phone_booking(clinic, patient, THREE_AM_SYDNEY_DEC_3)

    response = admin_client.post(
        ADD_BOOKING, booking_form(clinic, patient, THREE_AM_SYDNEY_DEC_3 + timedelta(minutes=30), outside_hours_ok="on")
    )

    assert "already has booking" in page_text(response)
    assert Booking.objects.count() == 1


def test_editing_notes_on_a_past_booking_is_not_refused_as_past(admin_client, clinic, patient):
    booking = phone_booking(clinic, patient, NOW - timedelta(days=2))
    form = booking_form(clinic, patient, booking.start, notes="Bring orthotics next time")

    response = admin_client.post(f"/admin/bookings/booking/{booking.pk}/change/", form)

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.notes == "Bring orthotics next time"


def test_moving_a_booking_to_3_am_is_refused(admin_client, clinic, patient):
    booking = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)

    response = admin_client.post(
        f"/admin/bookings/booking/{booking.pk}/change/", booking_form(clinic, patient, THREE_AM_SYDNEY_DEC_3)
    )

    assert "outside Alex Foot" in response.context["adminform"].form.errors["start"][0]
    booking.refresh_from_db()
    assert booking.start == TEN_AM_SYDNEY_DEC_3


# 6. Completed / did not attend only once the appointment has started


def test_a_future_booking_cannot_be_marked_completed_or_did_not_attend(admin_client, clinic, patient):
    future = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    past = phone_booking(clinic, patient, NOW - timedelta(hours=3))

    response = admin_client.post(
        f"{BOOKINGS}?when=all", {"action": "mark_completed", "_selected_action": [future.pk, past.pk]}, follow=True
    )

    page = page_text(response)
    assert "1 booking(s) marked completed." in page
    assert f"{future.reference}: This booking has not started yet" in page
    future.refresh_from_db()
    past.refresh_from_db()
    assert (future.status, past.status) == (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


def test_the_change_form_refuses_did_not_attend_before_the_start(admin_client, clinic, patient):
    future = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    form = booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3, status=BookingStatus.NO_SHOW)

    response = admin_client.post(f"/admin/bookings/booking/{future.pk}/change/", form, follow=True)

    assert "This booking has not started yet" in page_text(response)
    future.refresh_from_db()
    assert future.status == BookingStatus.CONFIRMED


def test_time_off_is_named_in_clinic_time(clinic):
    time_off = TimeOff(
        practitioner=clinic["practitioners"][0],
        start=datetime(2026, 11, 26, 21, 30, tzinfo=UTC),
        end=datetime(2026, 11, 27, 6, 30, tzinfo=UTC),
    )

    assert str(time_off) == "Alex Foot: 27 Nov 2026 08:30 to 27 Nov 2026 17:30"

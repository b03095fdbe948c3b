"""The patient's own booking, from the link in their email: see it, move it or cancel it."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from bookings import links
from bookings.models import Booking, BookingStatus
from bookings.wording import start_value
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import (
    booked,
    fixed_clock,  # noqa: F401 (a fixture: the clock stands at NOW)
    link_of,
    text,
)

pytestmark = pytest.mark.django_db


# The patient's booking page.


def test_the_booking_page_needs_the_right_link_and_is_never_cached(client, clinic, patient):
    patient.date_of_birth = "1970-01-02"
    patient.save()
    booking = booked(clinic, patient)

    response = client.get(links.manage_path(booking))

    page = text(response)
    assert response.status_code == 200
    assert booking.reference in page and "Confirmed" in page
    assert "Thursday 3 December 2026" in page and "10:00 am (Sydney time)" in page and "Alex Foot" in page
    assert "1 Test Street" in page and "(02) 5550 1234" in page
    assert "Private note" not in page and "1970" not in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    wrong = {"reference": booking.reference, "token": "0" * 32}
    assert client.get(reverse("bookings:manage", kwargs=wrong)).status_code == 404
    assert client.get(reverse("bookings:cancel", kwargs=wrong)).status_code == 404
    assert client.post(reverse("bookings:cancel", kwargs=wrong)).status_code == 404
    assert (
        client.get(reverse("bookings:manage", kwargs=link_of(booking) | {"reference": "ZZZZZZZZ"})).status_code == 404
    )
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def test_a_patient_cancels_from_their_link(client, clinic, patient):
    booking = booked(clinic, patient)
    page = client.get(reverse("bookings:cancel", kwargs=link_of(booking)))
    assert "Yes, cancel my booking" in text(page)

    response = client.post(reverse("bookings:cancel", kwargs=link_of(booking)))

    assert response["Location"] == links.manage_path(booking)
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    after = text(client.get(response["Location"]))
    assert f"Your booking {booking.reference} is cancelled." in after
    assert "Reschedule" not in after


def test_within_24_hours_the_patient_is_asked_to_phone(client, clinic, patient):
    booking = booked(clinic, patient)

    with time_machine.travel(TEN_AM_SYDNEY_DEC_3 - timedelta(hours=23), tick=False):
        manage = client.get(links.manage_path(booking))
        cancel = client.post(reverse("bookings:cancel", kwargs=link_of(booking)))
        move = client.post(
            reverse("bookings:reschedule_confirm", kwargs=link_of(booking)),
            {
                "start": start_value(TEN_AM_SYDNEY_DEC_3 + timedelta(days=1)),
                "practitioner": booking.practitioner_id,
            },
        )

    assert "please phone us on (02) 5550 1234" in text(manage)
    assert "Cancel booking" not in text(manage)
    assert cancel.status_code == 409 and "Please phone the clinic" in text(cancel)
    assert move.status_code == 409 and "cannot be changed online" in text(move)
    assert Booking.objects.get().status == BookingStatus.CONFIRMED
    assert Booking.objects.get().start == TEN_AM_SYDNEY_DEC_3


def test_a_patient_moves_their_booking_to_another_time(client, clinic, patient):
    booking = booked(clinic, patient)
    picker = client.get(reverse("bookings:reschedule", kwargs=link_of(booking)) + "?day=2026-12-04")
    assert picker.status_code == 200
    html = picker.content.decode()
    assert "Times from Friday 4 December" in text(picker)
    new_time = re.search(r'href="([^"]+/reschedule/confirm/\?[^"]+)"', html)[1].replace("&amp;", "&")

    confirm = client.get(new_time)
    assert "Move my booking" in text(confirm)
    moved = client.post(
        new_time.split("?")[0], {"start": "2026-12-03T21:00:00Z", "practitioner": booking.practitioner_id}
    )

    booking.refresh_from_db()
    assert moved["Location"] == links.manage_path(booking)
    assert booking.start == datetime.fromisoformat("2026-12-03T21:00:00+00:00")
    assert "is now on Friday 4 December 2026 at 8:00 am" in text(client.get(moved["Location"]))


def test_moving_to_a_taken_time_offers_others(client, clinic, patient):
    booking = booked(clinic, patient)
    other = booked(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=1))

    response = client.post(
        reverse("bookings:reschedule_confirm", kwargs=link_of(booking)),
        {"start": start_value(other.start), "practitioner": other.practitioner_id},
    )

    assert response.status_code == 409
    assert "not available" in text(response) and "Free times near it" in text(response)
    booking.refresh_from_db()
    assert booking.start == TEN_AM_SYDNEY_DEC_3


def test_a_patient_can_move_their_booking_by_half_an_hour_over_its_own_time(client, clinic, patient):
    booking = booked(clinic, patient)  # 10:00-11:00 on Thursday 3 December
    half_past = start_value(TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=30))

    picker = client.get(
        reverse("bookings:reschedule", kwargs=link_of(booking))
        + f"?day=2026-12-03&practitioner={booking.practitioner_id}"
    )

    assert f"start={half_past.replace(':', '%3A')}" in picker.content.decode()
    moved = client.post(
        reverse("bookings:reschedule_confirm", kwargs=link_of(booking)),
        {"start": half_past, "practitioner": booking.practitioner_id},
    )
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.start == TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=30)


def test_a_cancelled_booking_page_no_longer_talks_about_changing_it(client, clinic, patient):
    booking = booked(clinic, patient)
    client.post(reverse("bookings:cancel", kwargs=link_of(booking)))

    page = text(client.get(links.manage_path(booking)))

    assert "anyone with it can change this booking" not in page
    assert "Make a new booking" in page


def test_moving_a_booking_inside_the_change_window_warns_before_confirming(client, clinic, patient):
    booking = booked(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=2))
    confirm_url = reverse("bookings:reschedule_confirm", kwargs=link_of(booking))
    practitioner = booking.practitioner_id

    soon = text(
        client.get(confirm_url, {"start": start_value(NOW + timedelta(hours=14)), "practitioner": practitioner})
    )
    later = text(client.get(confirm_url, {"start": start_value(TEN_AM_SYDNEY_DEC_3), "practitioner": practitioner}))

    assert "less than 24 hours away" in soon and "cannot be changed or cancelled online" in soon
    assert "less than 24 hours away" not in later


def test_times_offered_instead_of_a_taken_one_may_overlap_the_booking_being_moved(client, clinic, patient):
    clinic["practitioners"][1].delete()  # one practitioner, so every alternative is with them
    booking = booked(clinic, patient)  # 10:00-11:00 (+10 min clean-up) on Thursday 3 December
    taken = booked(clinic, patient, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2))  # 12:00, same practitioner

    response = client.post(
        reverse("bookings:reschedule_confirm", kwargs=link_of(booking)),
        {"start": start_value(taken.start), "practitioner": booking.practitioner_id},
    )

    assert response.status_code == 409
    assert "10:45 am" in text(response)  # overlaps the booking's own time, which is moving anyway


def test_the_booking_page_says_what_to_bring_and_how_to_find_the_clinic(client, clinic, patient):
    booking = booked(clinic, patient)

    page = text(client.get(reverse("bookings:manage", kwargs=link_of(booking))))

    assert "Before your visit" in page and "What to bring: Please bring the shoes you wear most" in page
    assert "How to find us: directions, parking and public transport" in page
    assert "Length 1 hour, until 11:00 am" in page


def test_after_cancelling_the_cancel_and_reschedule_pages_offer_to_book_again(client, clinic, patient):
    booking = booked(clinic, patient)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)

    for page in ("bookings:cancel", "bookings:reschedule"):
        response = client.get(reverse(page, kwargs=link_of(booking)))
        assert "or book a new appointment online" in text(response), page
        assert 'href="/book/"' in response.content.decode()

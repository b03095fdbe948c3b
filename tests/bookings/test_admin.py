from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bookings.models import Booking, BookingStatus, Service
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clinic_evening_before():
    """The admin refuses past times, so each test runs at NOW (before the bookings it makes)."""
    with time_machine.travel(NOW, tick=False):
        yield


def booking_form(clinic, patient, start, practitioner=None, **extra):
    local = timezone.localtime(start, clinic["location"].zone)
    return {
        "patient": patient.pk,
        "service": clinic["service"].pk,
        "practitioner": (practitioner or clinic["practitioners"][0]).pk,
        "location": clinic["location"].pk,
        "start_0": local.strftime("%Y-%m-%d"),
        "start_1": local.strftime("%H:%M"),
        "status": BookingStatus.CONFIRMED,
        "channel": "phone",
        "concern_text": "",
        "notes": "",
        **extra,
    }


def test_reception_books_a_phone_patient_and_the_booking_gets_its_times(admin_client, clinic, patient):
    response = admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))

    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    assert booking.start == TEN_AM_SYDNEY_DEC_3
    assert booking.blocked_until == TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=70)
    assert booking.channel == "phone"


def test_staff_cannot_double_book_a_practitioner_in_the_admin(admin_client, clinic, patient):
    admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))

    response = admin_client.post(
        "/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=30))
    )

    assert response.status_code == 200
    assert "already has booking" in response.content.decode()
    assert Booking.objects.count() == 1


def test_moving_a_booking_in_the_admin_onto_another_is_refused(admin_client, clinic, patient):
    admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))
    admin_client.post(
        "/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2))
    )
    first, second = Booking.objects.order_by("start")

    response = admin_client.post(
        f"/admin/bookings/booking/{second.pk}/change/",
        booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=15)),
    )

    assert response.status_code == 200
    assert "already has booking" in response.content.decode()
    second.refresh_from_db()
    assert second.start == TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2)
    # The page still names the booking at its stored time, not the refused one.
    assert response.context["subtitle"] == f"{second.reference}: {second.service} on Thu 03 Dec 2026, 12:00"
    assert "Thu 03 Dec 2026, 10:15" not in response.content.decode()


def test_admin_actions_confirm_requests_and_cancel(admin_client, clinic, patient):
    admin_client.post(
        "/admin/bookings/booking/add/",
        booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3, status=BookingStatus.REQUESTED),
    )
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.REQUESTED

    admin_client.post("/admin/bookings/booking/", {"action": "confirm_requests", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED

    admin_client.post(
        "/admin/bookings/booking/", {"action": "cancel_bookings", "_selected_action": [booking.pk], "post": "yes"}
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_the_booking_list_shows_clinic_time_and_finds_by_reference(admin_client, clinic, patient):
    admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))
    booking = Booking.objects.get()

    page = admin_client.get("/admin/bookings/booking/", {"q": booking.reference}).content.decode()

    assert booking.reference in page
    assert "Thu 03 Dec 2026, 10:00" in page


def test_booking_rules_are_a_single_editable_record(admin_client, clinic):
    assert admin_client.get("/admin/bookings/bookingrules/add/").status_code == 403


def test_editing_notes_or_the_service_in_the_admin_goes_through_the_usual_saves(admin_client, clinic, patient):
    admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))
    booking = Booking.objects.get()
    short = Service.objects.create(name="Review", slug="review", duration_minutes=30, buffer_minutes=5)
    clinic["practitioners"][0].services.add(short)
    before = booking.updated_at - timedelta(days=1)
    Booking.objects.filter(pk=booking.pk).update(updated_at=before)  # the clock is frozen in these tests

    change = f"/admin/bookings/booking/{booking.pk}/change/"
    admin_client.post(change, booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3, notes="Bring old orthotics"))
    booking.refresh_from_db()
    assert booking.notes == "Bring old orthotics" and booking.updated_at > before

    admin_client.post(change, booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3, service=short.pk))
    booking.refresh_from_db()
    assert booking.service == short
    assert booking.blocked_until == TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=35)

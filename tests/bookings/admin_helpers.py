"""What the admin tests share: the clock the evening before the bookings, a phone booking that
staff may edit in every field, and the booking form as the admin posts it."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from bookings.models import Booking, BookingChannel, BookingStatus
from tests.bookings.conftest import NOW
from tests.bookings.factories import make_booking

ADD_BOOKING = "/admin/bookings/booking/add/"
BOOKINGS = "/admin/bookings/booking/"
THREE_AM_SYDNEY_DEC_3 = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
TEN_AM_SYDNEY_CHRISTMAS = datetime(2026, 12, 24, 23, 0, tzinfo=UTC)  # a NSW public holiday


@pytest.fixture(autouse=True)
def clinic_evening_before():
    """The admin refuses past times, so each test runs at NOW (before the bookings it makes)."""
    with time_machine.travel(NOW, tick=False):
        yield


def phone_booking(clinic, patient, start, *, practitioner=None, status=BookingStatus.CONFIRMED):
    """A booking taken by phone, so staff may edit every field."""
    booking = make_booking(
        practitioner=practitioner or clinic["practitioners"][0],
        location=clinic["location"],
        service=clinic["service"],
        start=start,
        patient=patient,
        status=status,
    )
    Booking.objects.filter(pk=booking.pk).update(channel=BookingChannel.PHONE)
    booking.refresh_from_db()
    return booking


def page_text(response) -> str:
    return response.content.decode()


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

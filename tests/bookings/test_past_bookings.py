"""Confirmed bookings that ended more than 12 hours ago and that nobody marked are marked completed
by the worker's sweep, with the reason in each one's history; anything staff marked, or still
to come, or not confirmed, is left as it is, and staff can still say "did not attend"."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from bookings import services
from bookings.models import Booking, BookingStatus
from bookings.services.housekeeping import REASON, bookings_close_past
from bookings.tasks import sweep
from tests.bookings.conftest import NOW
from tests.bookings.factories import make_booking
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def _booking(clinic, ended_ago: timedelta, status=BookingStatus.CONFIRMED, practitioner=0) -> Booking:
    where = {"location": clinic["location"], "service": clinic["service"]}
    start = NOW - ended_ago - clinic["service"].duration
    return make_booking(practitioner=clinic["practitioners"][practitioner], start=start, status=status, **where)


def test_past_bookings_nobody_marked_are_marked_completed_with_the_reason(clinic):
    yesterday = _booking(clinic, timedelta(hours=20))
    this_morning = _booking(clinic, timedelta(hours=2), practitioner=1)
    no_show = _booking(clinic, timedelta(hours=30), status=BookingStatus.NO_SHOW)
    stale_request = _booking(clinic, timedelta(hours=40), status=BookingStatus.REQUESTED, practitioner=1)

    assert bookings_close_past(now=NOW) == 1
    assert bookings_close_past(now=NOW) == 0  # once

    statuses = {b.pk: b.status for b in Booking.objects.all()}
    assert statuses == {
        yesterday.pk: BookingStatus.COMPLETED,
        this_morning.pk: BookingStatus.CONFIRMED,  # its day is not over
        no_show.pk: BookingStatus.NO_SHOW,
        stale_request.pk: BookingStatus.REQUESTED,  # never confirmed: for staff to decide
    }
    record = Booking.history.filter(id=yesterday.pk).latest("history_date")
    assert record.status == BookingStatus.COMPLETED and record.history_change_reason == REASON

    corrected = services.booking_set_status(booking=yesterday, status=BookingStatus.NO_SHOW, now=NOW)
    assert corrected.status == BookingStatus.NO_SHOW


def test_a_batch_at_a_time_and_the_sweep_does_it_every_minute(clinic):
    for day in range(1, 6):
        _booking(clinic, timedelta(days=day))

    assert bookings_close_past(now=NOW, batch=2) == 2
    assert sweep.call()["past bookings closed"] == 3
    assert not Booking.objects.filter(status=BookingStatus.CONFIRMED).exists()


def test_the_calendar_shows_the_booking_completed_at_once(clinic):
    booking = _booking(clinic, timedelta(hours=33))  # 10 to 11 am yesterday in Sydney
    staff = signed_in(Client(), User.objects.create_superuser("desk", password="a long password for tests"))
    day = booking.start.astimezone(clinic["location"].zone).date()
    calendar = f"/admin/bookings/booking/calendar/?date={day}"
    assert "Confirmed" in staff.get(calendar).text

    bookings_close_past(now=NOW)

    page = staff.get(calendar).text
    assert "Completed" in page and booking.patient.given_name in page

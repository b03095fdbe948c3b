"""The admin's front page as reception opens it in the morning: today's bookings by status, the
next appointments, requests waiting and failed emails, in a fixed number of queries; a content
editor sees none of it."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings import staff_groups
from bookings.models import BookingStatus, EmailState, OutboxEmail
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_patient
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


@pytest.fixture(autouse=True)
def morning_of_dec_3():
    with time_machine.travel(datetime(2026, 12, 2, 21, 30, tzinfo=UTC), tick=False):  # 8:30 am in Sydney
        yield


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _book(clinic, hours, status=BookingStatus.CONFIRMED, name="Jordan"):
    return make_booking(
        practitioner=clinic["practitioners"][0],
        location=clinic["location"],
        service=clinic["service"],
        start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=hours),
        status=status,
        patient=make_patient(given_name=name, family_name="Sole"),
    )


def test_reception_sees_today_the_next_appointments_and_what_waits(admin_client, clinic):
    _book(clinic, 0)
    _book(clinic, 2, status=BookingStatus.REQUESTED, name="Riley")
    _book(clinic, 24, name="Tomorrow")
    booking = _book(clinic, 4, status=BookingStatus.CANCELLED, name="Gone")
    OutboxEmail.objects.create(booking=booking, kind="cancelled", recipient="patient", state=EmailState.FAILED)

    page = _text(admin_client.get(INDEX))

    assert "Today, Thursday 3 December" in page
    assert "Confirmed: 1" in page and "Requested: 1" in page and "Cancelled: 1" in page
    assert "1 booking request to confirm" in page
    assert "1 email failed" in page
    assert "Today, 10:00 am: Jordan Sole, Comprehensive biomechanical assessment with Alex Foot" in page
    assert "Today, 12:00 pm: Riley Sole" in page and "(requested)" in page
    assert "Fri 4 Dec, 10:00 am: Tomorrow Sole" in page
    assert "Gone Sole" not in page
    assert "Open the calendar" in page


def test_the_front_page_takes_the_same_queries_however_busy_the_day(admin_client, clinic):
    _book(clinic, 0)
    admin_client.get(INDEX)
    with CaptureQueriesContext(connection) as quiet:
        admin_client.get(INDEX)
    for hour in range(2, 8, 2):
        _book(clinic, hour)
        _book(clinic, hour + 48)

    with CaptureQueriesContext(connection) as busy:
        admin_client.get(INDEX)

    assert len(busy) == len(quiet)


def test_a_content_editor_s_front_page_shows_no_bookings(clinic):
    _book(clinic, 0)
    editor = User.objects.create_user("writer", password="a long password for tests", is_staff=True)
    editor.groups.add(Group.objects.get(name=staff_groups.CONTENT_EDITOR))

    page = _text(signed_in(Client(), editor).get(INDEX))

    assert "Jordan" not in page and "Open the calendar" not in page
    assert "Conditions" in page

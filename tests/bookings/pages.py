"""Helpers for tests of the booking pages: a patient's answers, and the steps to reach the review."""

import re
import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from bookings import availability, links, services
from bookings.models import Practitioner, Service
from bookings.patient_forms import form_started_token
from bookings.selectors import main_location
from bookings.wording import start_value
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

DETAILS = {
    "given_name": "Jordan",
    "family_name": "O'Sole",
    "email": "jordan.sole@example.com",
    "phone": "0412 345 678",
    "date_of_birth": "1985-03-27",
    "is_returning": "no",
    "concern": "",
    "concern_text": "Pain behind my left knee when I run",
    "notes": "",
    "consent": "on",
}
PRIVATE_VALUES = ("Jordan", "Sole", "jordan.sole", "412345678", "1985", "knee")


@pytest.fixture(autouse=True)
def fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def details_url(clinic, *, start=TEN_AM_SYDNEY_DEC_3, practitioner=None, service="assessment", **params):
    practitioner = practitioner if practitioner is not None else clinic["practitioners"][0].pk
    start = start_value(start) if isinstance(start, datetime) else start
    query = urlencode({"start": start, "practitioner": practitioner, **params})
    return reverse("bookings:details", kwargs={"service_slug": service}) + "?" + query


def filled_in(answers: dict) -> dict:
    """A form's answers as a person sends them: the hidden bot trap left empty, and the form
    opened a minute ago (by the clock as it stands in the test)."""
    return {"website": "", "started": form_started_token(time.time() - 60)} | answers


def post_details(client, clinic, *, start=TEN_AM_SYDNEY_DEC_3, practitioner=None, key=None, **answers):
    practitioner = practitioner if practitioner is not None else clinic["practitioners"][0].pk
    data = filled_in(DETAILS | answers)
    data |= {
        "start": start_value(start) if isinstance(start, datetime) else start,
        "practitioner": practitioner,
        "idempotency_key": str(key or uuid.uuid4()),
    }
    return client.post(details_url(clinic, start=start, practitioner=practitioner), data)


def reach_review(client, clinic, **kwargs) -> str:
    response = post_details(client, clinic, **kwargs)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def text(response) -> str:
    """The page as words, without markup, so assertions read like what a patient sees."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def link_of(booking):
    return {"reference": booking.reference, "token": links.manage_token(booking.reference)}


def booked(clinic, patient, start=TEN_AM_SYDNEY_DEC_3):
    return services.booking_create(
        service=clinic["service"],
        location=clinic["location"],
        patient=patient,
        practitioner=clinic["practitioners"][0],
        start=start,
        notes="Private note",
    )


def first_free_booking(email="jordan@example.com"):
    """A booking at the first free time of the demo schedule (the clinic's content loaded)."""
    service = Service.objects.get(slug="biomechanical-assessment")
    location = main_location()
    today = timezone.localdate()
    slot = availability.free_slots(
        service=service, location=location, start_date=today, end_date=today + timedelta(days=14)
    )[0]
    return services.booking_create_with_patient(
        patient_details={"given_name": "Jordan", "family_name": "Sole", "email": email, "phone": "+61491570006"},
        service=service,
        location=location,
        start=slot.start,
        practitioner=Practitioner.objects.get(pk=slot.practitioner_id),
    )

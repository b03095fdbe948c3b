from datetime import UTC, datetime, time

import pytest

from bookings.models import (
    BookingRules,
    HealthQuestion,
    Location,
    Patient,
    Practitioner,
    QuestionKind,
    Service,
    WorkingHours,
)
from conditions.content import content_load


@pytest.fixture
def clinic(db):
    """One Sydney clinic, a 60-minute assessment with a 10-minute buffer, and two practitioners
    working 08:00-18:00 every day."""
    location = Location.objects.create(
        name="SOLE THERAPY",
        slug="sole-therapy",
        street_address="1 Test Street",
        suburb="Sydney",
        state="NSW",
        postcode="2000",
        phone="+61255501234",
        email="clinic@example.com",
        time_zone="Australia/Sydney",
    )
    service = Service.objects.create(
        name="Comprehensive biomechanical assessment", slug="assessment", duration_minutes=60, buffer_minutes=10
    )
    practitioners = []
    for name in ("Alex Foot", "Sam Heel"):
        practitioner = Practitioner.objects.create(name=name)
        practitioner.services.add(service)
        practitioner.locations.add(location)
        WorkingHours.objects.bulk_create(
            WorkingHours(practitioner=practitioner, location=location, weekday=day, start=time(8), end=time(18))
            for day in range(7)
        )
        practitioners.append(practitioner)
    BookingRules.objects.create()
    return {"location": location, "service": service, "practitioners": practitioners}


@pytest.fixture
def patient(db):
    return Patient.objects.create(
        given_name="Jordan", family_name="Sole", email="jordan@example.com", phone="+61491570006"
    )


# A Tuesday in the clinic's summer (AEDT, UTC+11); tests pass `now` explicitly.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 20:00 in Sydney
TEN_AM_SYDNEY_DEC_3 = datetime(2026, 12, 2, 23, 0, tzinfo=UTC)


@pytest.fixture
def conditions(db):
    """The clinic's condition pages, as the loader makes them."""
    content_load()


@pytest.fixture
def questions(clinic):
    """One question of each kind on three pages, asked for the clinic's assessment."""
    made = {}
    for name, fields in {
        "reason": {"text": "What brings you in?", "kind": QuestionKind.LONG_TEXT, "required": True, "step": "visit"},
        "where": {
            "text": "Where do you feel it?",
            "kind": QuestionKind.MANY,
            "choices": "Behind the left knee\nBehind the right knee\nLeft calf",
            "step": "visit",
        },
        "how_long": {
            "text": "How long have you had it?",
            "kind": QuestionKind.CHOICE,
            "choices": "Less than 2 weeks\nMore than 2 weeks",
            "step": "visit",
        },
        "pain": {"text": "How bad is it?", "kind": QuestionKind.SCALE, "scale_low": "no pain", "step": "visit"},
        "medicines": {"text": "Which medicines do you take?", "kind": QuestionKind.TEXT, "step": "health"},
        "pregnant": {
            "text": "Are you pregnant, or could you be?",
            "kind": QuestionKind.YES_NO,
            "required": True,
            "step": "needling",
        },
    }.items():
        question = HealthQuestion.objects.create(**fields)
        question.services.add(clinic["service"])
        made[name] = question
    return made

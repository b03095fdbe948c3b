"""Loads the clinic's bookable services, its location record and default booking rules.

Create-only, like the condition pages: existing records (matched by slug) are never changed.
"""

import tomllib
from pathlib import Path

from django.db import transaction

from bookings.models import AustralianState, BookingRules, HealthQuestion, Location, Service
from conditions.models import Treatment

CONTENT_DIR = Path(__file__).resolve().parent / "content"

# The brief gives no address or phone number: these stand in until staff enter the real ones
# in the admin. The phone number is from the range the ACMA reserves for fiction.
PLACEHOLDER_LOCATION = {
    "name": "SOLE THERAPY",
    "slug": "sole-therapy",
    "street_address": "Street address to be confirmed",
    "suburb": "Sydney",
    "state": AustralianState.NSW,
    "postcode": "2000",
    "phone": "+61255501234",
    "email": "hello@soletherapy.example",
    "time_zone": "Australia/Sydney",
}


@transaction.atomic
def services_load() -> dict[str, int]:
    created = {"services": 0, "locations": 0, "rules": 0}
    data = tomllib.loads((CONTENT_DIR / "services.toml").read_text("utf-8"))
    treatments = {t.slug: t for t in Treatment.objects.all()}
    for item in data["services"]:
        if Service.objects.filter(slug=item["slug"]).exists():
            continue
        Service.objects.create(
            name=item["name"],
            slug=item["slug"],
            description=item.get("description", "").strip(),
            what_to_bring=item.get("what_to_bring", "").strip(),
            duration_minutes=item["duration_minutes"],
            buffer_minutes=item.get("buffer_minutes", 0),
            new_patient_only=item.get("new_patient_only", False),
            bookable_online=item.get("bookable_online", True),
            confirmation=item.get("confirmation", "instant"),
            treatment=treatments.get(item.get("treatment", "")),
            position=item.get("position", 0),
        )
        created["services"] += 1
    if not Location.objects.exists():
        Location.objects.create(**PLACEHOLDER_LOCATION)
        created["locations"] += 1
    if not BookingRules.objects.exists():
        BookingRules.objects.create()
        created["rules"] += 1
    created["health questions"] = _questions_load()
    return created


def _questions_load() -> int:
    """The first health questions, only while there are none: once staff have them, the admin
    is where they change (a question staff removed is not brought back)."""
    if HealthQuestion.objects.exists():
        return 0
    data = tomllib.loads((CONTENT_DIR / "questions.toml").read_text("utf-8"))
    services = {service.slug: service for service in Service.objects.all()}
    for position, item in enumerate(data["questions"], start=1):
        question = HealthQuestion.objects.create(
            text=item["text"],
            help_text=item.get("help_text", ""),
            kind=item["kind"],
            choices=item.get("choices", "").strip(),
            scale_low=item.get("scale_low", ""),
            scale_high=item.get("scale_high", ""),
            required=item.get("required", False),
            step=item["step"],
            position=position,
        )
        question.services.set([services[slug] for slug in item["services"] if slug in services])
    return len(data["questions"])

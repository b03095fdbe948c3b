import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from conditions.models import BodyArea, Condition, ConditionSection, PublishStatus, Treatment, TreatmentSection

_numbers = itertools.count(1)


def make_treatment(*, title=None, status=PublishStatus.PUBLISHED, sections=(), **fields) -> Treatment:
    n = next(_numbers)
    title = title or f"Test treatment {n}"
    treatment = Treatment.objects.create(
        title=title,
        slug=fields.pop("slug", f"test-treatment-{n}"),
        summary=fields.pop("summary", f"Summary of {title}."),
        status=status,
        **fields,
    )
    for position, (heading, body) in enumerate(sections, start=1):
        TreatmentSection.objects.create(treatment=treatment, position=position, heading=heading, body=body)
    return treatment


def make_condition(
    *, title=None, status=PublishStatus.PUBLISHED, area=None, sections=(), treatments=(), related=(), **fields
) -> Condition:
    n = next(_numbers)
    title = title or f"Test condition {n}"
    today = timezone.localdate()
    condition = Condition.objects.create(
        title=title,
        slug=fields.pop("slug", f"test-condition-{n}"),
        summary=fields.pop("summary", f"Summary of {title}."),
        body_area=area or BodyArea.objects.get_or_create(slug="knee", defaults={"name": "Knee"})[0],
        status=status,
        reviewed_by_name=fields.pop("reviewed_by_name", "Alex Example"),
        reviewed_by_profession=fields.pop("reviewed_by_profession", "Podiatrist"),
        reviewer_ahpra_number=fields.pop("reviewer_ahpra_number", "POD0001234567"),
        last_reviewed=fields.pop("last_reviewed", today),
        next_review_due=fields.pop("next_review_due", today + timedelta(days=365)),
        **fields,
    )
    for position, (heading, body) in enumerate(sections, start=1):
        ConditionSection.objects.create(condition=condition, position=position, heading=heading, body=body)
    condition.treatments.set(treatments)
    condition.related.set(related)
    return condition


@pytest.fixture
def overdue_condition(db):
    today = timezone.localdate()
    return make_condition(
        title="Overdue page",
        last_reviewed=today - timedelta(days=400),
        next_review_due=today - timedelta(days=35),
        sections=[("What is it?", "Some words.")],
    )


@pytest.fixture
def hamstring(clinic_content):
    """The hamstring page, as the clinic's content loader makes it."""
    return Condition.objects.get(slug="hamstring-insertion-pain")

"""Loads the clinic's condition, treatment and information pages from the TOML files in content/.

Create-only: a page that already exists (matched by slug) is left exactly as staff left it,
so loading twice duplicates nothing and never overwrites an edit.
"""

import tomllib
from pathlib import Path

import reversion
from django.db import transaction
from django.utils.text import slugify

from conditions.diagrams import clean_svg
from conditions.models import (
    BodyArea,
    Condition,
    ConditionSection,
    FrequentQuestion,
    InformationPage,
    InformationSection,
    PublishStatus,
    Treatment,
    TreatmentSection,
)

CONTENT_DIR = Path(__file__).resolve().parent / "content"


def _read(folder: str) -> list[dict]:
    return [_stripped(tomllib.loads(path.read_text("utf-8"))) for path in sorted((CONTENT_DIR / folder).glob("*.toml"))]


def _stripped(value):
    """Text as the admin stores it (no surrounding blank lines), so the first edit in the admin
    does not count every untouched field as changed."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [_stripped(item) for item in value]
    if isinstance(value, dict):
        return {key: _stripped(item) for key, item in value.items()}
    return value


@transaction.atomic
def _diagram(slug: str, data: dict) -> dict[str, str]:
    """The condition's drawing (`<slug>.svg` beside its text), cleaned as an upload would be."""
    path = CONTENT_DIR / "conditions" / f"{slug}.svg"
    if not path.exists():
        return {}
    return {
        "diagram": clean_svg(path.read_bytes()),
        "diagram_alt": data["diagram_alt"],
        "diagram_caption": data["diagram_caption"],
    }


def content_load() -> dict[str, int]:
    # A first revision of every loaded page, so staff can always go back to the original text.
    with reversion.create_revision():
        reversion.set_comment("Loaded from the clinic's content files.")
        return _create_missing()


def _create_missing() -> dict[str, int]:
    created = {"treatments": 0, "conditions": 0}
    for data in _read("treatments"):
        if Treatment.objects.filter(slug=data["slug"]).exists():
            continue
        treatment = Treatment.objects.create(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            what_to_expect=data.get("what_to_expect", ""),
            position=data.get("position", 0),
            status=PublishStatus.PUBLISHED,
        )
        for position, section in enumerate(data.get("sections", []), start=1):
            TreatmentSection.objects.create(treatment=treatment, position=position, **section)
        created["treatments"] += 1

    new_conditions = []
    for data in _read("conditions"):
        if Condition.objects.filter(slug=data["slug"]).exists():
            continue
        area, _ = BodyArea.objects.get_or_create(
            slug=slugify(data["body_area"]), defaults={"name": data["body_area"], "position": 1}
        )
        condition = Condition.objects.create(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            body_area=area,
            anatomy=data.get("anatomy", ""),
            symptoms="\n".join(data.get("symptoms", [])),
            causes="\n".join(data.get("causes", [])),
            risk_factors="\n".join(data.get("risk_factors", [])),
            **_diagram(data["slug"], data),
            status=PublishStatus.PUBLISHED,
            # No review fields: nobody has reviewed this text yet, and the page must not say so.
        )
        for position, section in enumerate(data.get("sections", []), start=1):
            ConditionSection.objects.create(condition=condition, position=position, **section)
        condition.treatments.set(Treatment.objects.filter(slug__in=data.get("treatments", [])))
        new_conditions.append((condition, data.get("related", [])))
        created["conditions"] += 1

    for condition, related_slugs in new_conditions:
        condition.related.add(*Condition.objects.filter(slug__in=related_slugs))

    created["information pages"] = 0
    for data in _read("pages"):
        if InformationPage.objects.filter(slug=data["slug"]).exists():
            continue
        page = InformationPage.objects.create(slug=data["slug"], title=data["title"], summary=data["summary"])
        for position, section in enumerate(data.get("sections", []), start=1):
            InformationSection.objects.create(page=page, position=position, **section)
        for position, question in enumerate(data.get("questions", []), start=1):
            FrequentQuestion.objects.create(page=page, position=position, **question)
        created["information pages"] += 1
    return created

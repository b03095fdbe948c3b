"""Honest content: a health page says who reviewed it only when a named, registered clinician
did. Loaded pages show when they were last updated; staff see which pages were never reviewed,
and `check --deploy` warns about them."""

import re
from datetime import timedelta

import pytest
from django.core import checks
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from conditions.models import Condition, PublishStatus, Treatment
from tests.conditions.admin_forms import change_url, condition_form_data, messages_of, treatment_form_data
from tests.conditions.conftest import make_condition

HAMSTRING = "/conditions/hamstring-insertion-pain/"
ORTHOTICS = "/treatments/custom-orthotics/"


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.text))


def _json_ld(response) -> dict:
    import json

    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    return json.loads(found[1])


@pytest.mark.parametrize("path", [HAMSTRING, ORTHOTICS])
def test_loaded_pages_show_when_they_were_updated_and_claim_no_review(client, clinic_content, path):
    response = client.get(path)

    today = date_format(timezone.localdate(), "j F Y")
    assert f"Last updated on {today}." in _text(response)
    assert "Reviewed" not in _text(response)
    assert "podiatry team" not in response.text
    data = _json_ld(response)
    assert data["dateModified"] == timezone.localdate().isoformat()
    assert "reviewedBy" not in data
    assert "lastReviewed" not in data


def test_a_review_by_a_named_practitioner_shows_their_registration(client, admin_client, hamstring):
    reviewed_on = timezone.localdate() - timedelta(days=3)
    data = condition_form_data(
        hamstring,
        reviewed_by_name="Sam Taylor",
        reviewed_by_profession="Podiatrist",
        reviewer_ahpra_number="POD0001234567",
        last_reviewed=reviewed_on.isoformat(),
        next_review_due="",
    )

    response = admin_client.post(change_url(hamstring), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    hamstring.refresh_from_db()
    assert hamstring.next_review_due == reviewed_on + timedelta(days=365)  # a year on, when left blank
    page = client.get(HAMSTRING)
    expected = (
        f"Reviewed on {date_format(reviewed_on, 'j F Y')} by Sam Taylor, Podiatrist (AHPRA registration POD0001234567"
    )
    assert expected in _text(page)
    assert 'href="https://www.ahpra.gov.au/Registration/Registers-of-Practitioners.aspx"' in page.text
    assert _json_ld(page)["reviewedBy"] == {"@type": "Person", "name": "Sam Taylor", "jobTitle": "Podiatrist"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reviewed_by_name": "Sam Taylor"}, "reviewer_ahpra_number", "or leave the whole review blank"),
        (
            {"reviewed_by_name": "SOLE THERAPY's podiatry team", "reviewed_by_profession": "Podiatrists"},
            "reviewer_ahpra_number",
            "or leave the whole review blank",
        ),
        (
            {
                "reviewed_by_name": "Sam Taylor",
                "reviewed_by_profession": "Podiatrist",
                "reviewer_ahpra_number": "12345",
            },
            "reviewer_ahpra_number",
            "three capital letters and ten digits",
        ),
        (
            {
                "reviewed_by_name": "Sam Taylor",
                "reviewed_by_profession": "Podiatrist",
                "reviewer_ahpra_number": "POD0001234567",
                "last_reviewed": (timezone.localdate() + timedelta(days=2)).isoformat(),
            },
            "last_reviewed",
            "cannot be in the future",
        ),
    ],
)
def test_a_review_without_a_named_registered_reviewer_is_refused(admin_client, hamstring, changes, field, message):
    before = Condition.objects.values().get(pk=hamstring.pk)
    data = condition_form_data(hamstring, **{"last_reviewed": timezone.localdate().isoformat(), **changes})

    response = admin_client.post(change_url(hamstring), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors.get(field, []))
    assert Condition.objects.values().get(pk=hamstring.pk) == before


def test_treatment_pages_take_a_review_too(client, admin_client, clinic_content):
    orthotics = Treatment.objects.get(slug="custom-orthotics")
    data = treatment_form_data(
        orthotics,
        reviewed_by_name="Sam Taylor",
        reviewed_by_profession="Podiatrist",
        reviewer_ahpra_number="POD0001234567",
        last_reviewed=timezone.localdate().isoformat(),
    )
    data.update(_sections(orthotics))

    response = admin_client.post(change_url(orthotics), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "by Sam Taylor, Podiatrist (AHPRA registration POD0001234567" in _text(client.get(ORTHOTICS))


def _sections(treatment) -> dict:
    sections = list(treatment.sections.all())
    data = {"sections-TOTAL_FORMS": len(sections), "sections-INITIAL_FORMS": len(sections)}
    for i, section in enumerate(sections):
        data |= {
            f"sections-{i}-id": section.pk,
            f"sections-{i}-treatment": treatment.pk,
            f"sections-{i}-position": section.position,
            f"sections-{i}-heading": section.heading,
            f"sections-{i}-body": section.body,
        }
    return data


def test_the_database_refuses_a_review_that_names_nobody(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_condition(reviewer_ahpra_number="")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_condition(reviewed_by_name="", reviewed_by_profession="", reviewer_ahpra_number="")


def test_staff_list_the_pages_never_reviewed(admin_client, clinic_content):
    reviewed = make_condition(title="Heel pain")

    for url in ("/admin/conditions/condition/", "/admin/conditions/treatment/"):
        response = admin_client.get(url, {"review": "never"})
        listed = list(response.context["cl"].result_list)
        assert listed, url
        assert all(not page.is_reviewed for page in listed)
        assert "Never reviewed" in response.text
    listed = admin_client.get("/admin/conditions/condition/", {"review": "never"}).context["cl"].result_list
    assert reviewed not in listed
    assert {page.slug for page in listed} == {"hamstring-insertion-pain", "calf-insertion-pain"}


def test_staff_are_told_a_page_was_never_reviewed(admin_client, hamstring):
    response = admin_client.get(change_url(hamstring))

    assert any("No clinician has reviewed this page yet" in m for m in messages_of(response))


def _review_warnings() -> dict[str, str]:
    found = checks.run_checks(include_deployment_checks=True, databases=["default"])
    warnings: dict[str, str] = {}
    for message in found:
        if message.id.startswith("conditions."):
            warnings[message.id] = f"{warnings.get(message.id, '')} {message.msg}".strip()
    return warnings


def test_production_check_warns_about_published_pages_never_reviewed(clinic_content, settings):
    settings.DEBUG = False
    make_condition(title="Draft page", status=PublishStatus.DRAFT, reviewer_ahpra_number="", reviewed_by_name="",
                   reviewed_by_profession="", last_reviewed=None, next_review_due=None)  # fmt: skip

    warnings = _review_warnings()

    assert "Hamstring insertion pain" in warnings["conditions.W001"]
    assert "Customised functional orthotics" in warnings["conditions.W001"]
    assert "Draft page" not in warnings["conditions.W001"]
    assert "conditions.W002" not in warnings
    today = timezone.localdate()
    for model in (Condition, Treatment):
        model.objects.update(
            reviewed_by_name="Sam Taylor",
            reviewed_by_profession="Podiatrist",
            reviewer_ahpra_number="POD0001234567",
            last_reviewed=today - timedelta(days=400),
            next_review_due=today - timedelta(days=35),
        )
    warnings = _review_warnings()
    assert "conditions.W001" not in warnings
    assert "overdue for review" in warnings["conditions.W002"]
    Condition.objects.update(next_review_due=today + timedelta(days=30))
    Treatment.objects.update(next_review_due=today + timedelta(days=30))
    assert _review_warnings() == {}


def test_the_review_check_is_quiet_on_a_laptop(clinic_content, settings):
    settings.DEBUG = True

    assert _review_warnings() == {}

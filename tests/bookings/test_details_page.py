"""The details form's questions, kept by each worker as a new visitor first sees them: the same
page as rendered afresh, never holding what a patient typed, and following content edits."""

import re

import pytest

from bookings import fresh_forms
from conditions.models import Condition
from soletherapy import page_cache
from tests.bookings.pages import (
    details_url,
    fixed_clock,  # noqa: F401 (a fixture: the clock stands at NOW)
    reach_review,
    text,
)

pytestmark = pytest.mark.django_db
PER_VISIT = re.compile(r'(name="(?:csrfmiddlewaretoken|idempotency_key|started)"[^>]*value=")[^"]*')


def _page(client, clinic, **params):
    response = client.get(details_url(clinic, **params))
    assert response.status_code == 200
    return PER_VISIT.sub(r"\1…", response.content.decode())


def test_the_kept_questions_are_the_page_rendered_afresh(client, clinic, clinic_content):
    concern = Condition.objects.published().first()
    first = _page(client, clinic, concern=concern.slug)
    kept = _page(client, clinic, concern=concern.slug)
    fresh_forms.kept.clear()
    page_cache.content_generation.forget_local()

    assert fresh_forms.kept.pages.pages == {}
    assert kept == first == _page(client, clinic, concern=concern.slug)
    assert f'<option value="{concern.slug}" selected>' in kept
    assert len(fresh_forms.kept.pages.pages) == 1
    assert _page(client, clinic) != kept  # without the concern: kept apart, nothing preselected
    assert f'<option value="{concern.slug}" selected>' not in _page(client, clinic)


def test_each_visitor_still_gets_a_form_key_and_start_time_of_their_own(client, clinic):
    pages = [client.get(details_url(clinic)).content.decode() for _ in range(2)]
    [first, second] = [
        dict(re.findall(r'name="(idempotency_key|started)"[^>]*value="([^"]*)"', page)) for page in pages
    ]

    assert first.keys() == {"idempotency_key", "started"} == second.keys()
    assert first["idempotency_key"] != second["idempotency_key"]
    kept = "".join(str(value) for value in fresh_forms.kept.pages.pages.values())
    assert kept and first["idempotency_key"] not in kept and 'name="started"' not in kept


def test_a_form_with_the_patients_answers_is_never_kept(client, clinic):
    review = reach_review(client, clinic, notes="Ring the bell twice")
    change = re.search(r'href="([^"]+)">Change details', client.get(review).content.decode())[1].replace("&amp;", "&")

    again = text(client.get(change))

    assert "Ring the bell twice" in again
    kept = "".join(str(value) for value in fresh_forms.kept.pages.pages.values())
    assert "Ring the bell twice" not in kept and "jordan.sole" not in kept and "Jordan" not in kept


def test_a_condition_published_after_the_form_was_kept_is_among_its_choices(client, clinic, clinic_content):
    _page(client, clinic)
    condition = Condition.objects.published().first()
    condition.title = "Heel pain, renamed"
    condition.save()

    assert "Heel pain, renamed" in _page(client, clinic)

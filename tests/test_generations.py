"""Generations (soletherapy.generations): a saved row bumps every generation that shows it, in
one round trip to the cache, at once and once more when its transaction commits."""

import pytest
from django.db import transaction

from bookings.calendar_cache import calendar_generation
from bookings.free_times_cache import schedule_generation
from bookings.rota import rota_generation
from soletherapy import generations
from soletherapy.page_cache import content_generation
from tests.bookings.factories import make_patient, make_practitioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_trips(monkeypatch):
    """The keys of each set_many the generations send to the cache, in order."""
    sent = []
    real = generations.shared_cache

    class Recording:
        def __getattr__(self, name):
            return getattr(real(), name)

        def set_many(self, data, timeout):
            sent.append(set(data))
            return real().set_many(data, timeout)

    monkeypatch.setattr(generations, "shared_cache", Recording)
    return sent


def keys(*watched):
    return {generation.key for generation in watched}


def test_a_saved_row_bumps_every_generation_that_shows_it_in_one_round_trip(
    round_trips, django_capture_on_commit_callbacks
):
    before = content_generation.current(), schedule_generation.current()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        make_practitioner(name="Alex Foot", slug="alex-foot")

    everything = keys(content_generation, rota_generation, schedule_generation, calendar_generation)
    assert round_trips == [everything, everything]  # at once, and when the transaction commits
    assert (content_generation.current(), schedule_generation.current()) != before


def test_a_transaction_s_changes_bump_once_more_together_when_it_commits(
    round_trips, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        schedule_generation.bump()  # a booking ...
        calendar_generation.bump()  # ... and something only the calendar shows ...
        with transaction.atomic():
            schedule_generation.bump()  # ... in a savepoint

    assert len(callbacks) == 1
    assert round_trips[-1] == keys(schedule_generation, calendar_generation)
    assert len(round_trips) == 3 + 1


def test_a_change_after_a_rolled_back_savepoint_still_bumps_when_the_transaction_commits(
    round_trips, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                calendar_generation.bump()
                raise RuntimeError("rolled back: its commit callback goes with it")
        except RuntimeError:
            pass
        schedule_generation.bump()

    assert len(callbacks) == 1
    assert round_trips == [keys(calendar_generation), keys(schedule_generation), keys(schedule_generation)]


def test_a_new_patient_is_on_no_calendar_but_a_changed_one_is(round_trips):
    patient = make_patient()
    assert round_trips == []

    patient.phone = "+61298765432"
    patient.save()

    assert round_trips[0] == keys(calendar_generation)


def test_a_bump_the_cache_missed_is_made_when_it_is_back(monkeypatch):
    before = schedule_generation.current()
    real = generations.shared_cache

    def down():
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(generations, "shared_cache", down)
    schedule_generation.bump()
    assert schedule_generation.current() is None  # nothing is kept while the cache is down

    monkeypatch.setattr(generations, "shared_cache", real)
    generations.forget_outage()

    assert schedule_generation.current() not in (None, before)

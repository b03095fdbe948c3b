"""Patient details are kept no longer than needed: a booking in progress for two hours, an
ended waitlist entry for a month, bookings as clinical records for seven years."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from bookings.models import Booking, Patient, WaitlistEntry, WaitlistState
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_patient
from tests.bookings.pages import fixed_clock, post_details, reach_review  # noqa: F401 (fixed_clock: a fixture)

pytestmark = pytest.mark.django_db


def test_a_booking_in_progress_is_forgotten_two_hours_after_the_last_step(client, clinic):
    review = reach_review(client, clinic)
    assert client.session.get_expiry_age() == 2 * 60 * 60

    with time_machine.travel(NOW + timedelta(hours=2, minutes=1), tick=False):
        expired = client.get(review)

    assert expired.status_code == 410 and "Your booking details have expired" in expired.content.decode()


def _session(expires):
    store = SessionStore()
    store["booking_drafts"] = {"a": {"given_name": "Jordan", "saved": 0}}
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expires)


def _purge(dry_run=False) -> str:
    out = StringIO()
    call_command("purge_expired_data", *(["--dry-run"] if dry_run else []), stdout=out)
    return out.getvalue()


def test_the_daily_purge_removes_what_has_passed_its_time_and_keeps_the_rest(clinic):
    _session(NOW - timedelta(minutes=1))
    _session(NOW + timedelta(hours=1))
    old, recent = make_patient(given_name="Old"), make_patient(given_name="Recent")
    alex = clinic["practitioners"][0]
    with time_machine.travel(NOW - timedelta(days=8 * 366), tick=False):
        Patient.objects.filter(pk=old.pk).update(created_at=timezone.now())
        make_booking(
            practitioner=alex, location=clinic["location"], service=clinic["service"], start=timezone.now(), patient=old
        )
    make_booking(
        practitioner=alex,
        location=clinic["location"],
        service=clinic["service"],
        start=TEN_AM_SYDNEY_DEC_3,
        patient=recent,
    )
    for days, state in ((40, WaitlistState.ENDED), (10, WaitlistState.LEFT), (40, WaitlistState.WAITING)):
        entry = WaitlistEntry.objects.create(
            service=clinic["service"],
            location=clinic["location"],
            earliest=NOW.date(),
            latest=NOW.date(),
            name="Casey",
            email="casey@example.com",
            privacy_notice_version="v1",
            privacy_accepted_at=NOW,
            state=state,
        )
        WaitlistEntry.objects.filter(pk=entry.pk).update(updated_at=NOW - timedelta(days=days))

    dry = _purge(dry_run=True)
    assert "would remove 1 ended sessions" in dry and "would remove 1 bookings past" in dry
    assert Session.objects.count() == 2 and Booking.objects.count() == 2

    done = _purge()

    assert "removed 1 ended sessions" in done and "removed 1 waitlist entries that ended" in done
    assert "removed 1 bookings past the clinical records' retention" in done
    assert "removed 1 patients with no booking left" in done
    assert Session.objects.count() == 1
    assert list(Booking.objects.values_list("patient__given_name", flat=True)) == ["Recent"]
    assert set(Patient.objects.values_list("given_name", flat=True)) == {"Recent"}
    # Their audit history holds what the records held, so it went with them.
    assert set(Patient.history.values_list("given_name", flat=True)) == {"Recent"}
    assert set(Booking.history.values_list("patient_id", flat=True)) == {recent.pk}
    assert set(WaitlistEntry.objects.values_list("state", flat=True)) == {WaitlistState.LEFT, WaitlistState.WAITING}
    assert "removed 0" in _purge()  # safe to run again


def test_a_staff_members_session_is_not_shortened_by_a_booking_they_try(admin_client, clinic):
    post_details(admin_client, clinic)

    assert admin_client.session.get_expiry_age() == 10 * 60 * 60

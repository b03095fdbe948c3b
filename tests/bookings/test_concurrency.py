"""No two patients can ever get the same practitioner at overlapping times, whatever the load.

These tests use real threads with their own database connections against the real database
(SQLite file or PostgreSQL), so the database's own guarantees are what is being tested.
"""

import random
import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, OperationalError, connection, connections

from bookings import services
from bookings.errors import BookingError, SlotUnavailable
from bookings.models import Booking, BookingChannel, Patient
from bookings.services import create
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db(transaction=True)


def _run_in_threads(count, work):
    """Start `count` threads at once (a barrier lines them up) and collect what each returns."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def target(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # the outcome is asserted by the caller
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _overlapping_pairs():
    active = list(
        Booking.objects.active()
        .order_by("practitioner_id", "start")
        .values_list("practitioner_id", "start", "blocked_until")
    )
    pairs = []
    for (p1, s1, e1), (p2, s2, e2) in zip(active, active[1:], strict=False):
        if p1 == p2 and s2 < e1:
            pairs.append(((p1, s1, e1), (p2, s2, e2)))
    return pairs


@pytest.mark.parametrize("channel", [BookingChannel.ONLINE, BookingChannel.PHONE])
def test_thirty_patients_racing_for_one_time_leave_exactly_one_booking(clinic, channel):
    practitioner = clinic["practitioners"][0]

    def attempt(index):
        return services.booking_create_with_patient(
            patient_details={
                "given_name": f"Racer{index}",
                "family_name": "Test",
                "email": f"racer{index}@example.com",
                "phone": "+61491570006",
            },
            service=clinic["service"],
            location=clinic["location"],
            practitioner=practitioner,
            start=TEN_AM_SYDNEY_DEC_3,
            channel=channel,
            now=NOW,
        )

    results = _run_in_threads(30, attempt)

    made = [r for r in results if isinstance(r, Booking)]
    taken = [r for r in results if isinstance(r, SlotUnavailable)]
    assert len(made) == 1, results
    assert len(taken) == 29, [r for r in results if not isinstance(r, Booking | SlotUnavailable)]
    assert Booking.objects.count() == 1
    # Nothing half-saved: only the winner's patient record exists.
    assert Patient.objects.count() == 1


def test_racers_for_first_available_fill_each_practitioner_once(clinic):
    def attempt(index):
        return services.booking_create_with_patient(
            patient_details={
                "given_name": f"R{index}",
                "family_name": "T",
                "email": f"r{index}@example.com",
                "phone": "+61491570006",
            },
            service=clinic["service"],
            location=clinic["location"],
            start=TEN_AM_SYDNEY_DEC_3,
            now=NOW,
        )

    results = _run_in_threads(10, attempt)

    made = [r for r in results if isinstance(r, Booking)]
    assert sorted(b.practitioner_id for b in made) == sorted(p.pk for p in clinic["practitioners"])
    assert sum(isinstance(r, SlotUnavailable) for r in results) == 8
    assert _overlapping_pairs() == []


def _past_the_services_check(monkeypatch, check_name, racers=2):
    """Lets every racer pass the booking service's own check before any of them writes, so only
    the database can refuse all but one. Returns the list of inserts the database refused.

    On PostgreSQL the racers really run the check side by side: each waits after its check until
    all have checked. SQLite's IMMEDIATE transactions let one writer in at a time, so a racer there
    could never check before another writes: each gets the answer the check gave when the time was
    still free, as a racer under another transaction mode would."""
    real = getattr(create, check_name)
    if connection.vendor == "postgresql":
        barrier, checked = threading.Barrier(racers, timeout=30), threading.local()

        def check(*args, **kwargs):
            answer = real(*args, **kwargs)
            if not getattr(checked, "once", False):
                # A racer PostgreSQL aborts to break a deadlock checks again on its own.
                checked.once = True
                barrier.wait()
            return answer

    else:
        answers = []

        def check(*args, **kwargs):
            return answers[0]

        def prime(**kwargs):
            """The check's answer while the time is still free, asked before the race."""
            answers.append(real(**kwargs))
            return answers[0]

        check.prime = prime

    monkeypatch.setattr(create, check_name, check)
    refused = []
    real_save = Booking.save

    def save(booking, *args, **kwargs):
        try:
            real_save(booking, *args, **kwargs)
        except (IntegrityError, OperationalError):  # the guard's refusal, or a deadlock inside it
            refused.append(booking.practitioner_id)
            raise

    monkeypatch.setattr(Booking, "save", save)
    return check, refused


def test_two_online_bookings_that_both_pass_the_check_are_refused_by_the_database(clinic, monkeypatch):
    practitioner = clinic["practitioners"][0]
    check, refused = _past_the_services_check(monkeypatch, "_free_online")
    where = {"service": clinic["service"], "location": clinic["location"], "start": TEN_AM_SYDNEY_DEC_3}
    if hasattr(check, "prime"):
        assert check.prime(practitioner=practitioner, now=NOW, **where) == [practitioner]

    def attempt(index):
        details = {
            "given_name": f"R{index}",
            "family_name": "T",
            "email": f"r{index}@example.com",
            "phone": "+61491570006",
        }
        return services.booking_create_with_patient(
            patient_details=details, practitioner=practitioner, now=NOW, **where
        )

    results = _run_in_threads(2, attempt)

    assert sorted(type(r).__name__ for r in results) == ["Booking", "SlotUnavailable"], results
    # The database, not the service, refused the second (on PostgreSQL perhaps twice: once to
    # break a deadlock, then, after it tried again, for the overlap).
    assert set(refused) == {practitioner.pk}
    assert Booking.objects.count() == 1 and Patient.objects.count() == 1


def test_two_phone_bookings_that_both_pass_the_check_are_refused_by_the_database(clinic, patient, monkeypatch):
    practitioner = clinic["practitioners"][0]
    check, refused = _past_the_services_check(monkeypatch, "check_staff_time")
    if hasattr(check, "prime"):
        probe = Booking(
            service=clinic["service"],
            location=clinic["location"],
            start=TEN_AM_SYDNEY_DEC_3,
            end=TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=60),
            blocked_until=TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=70),
        )
        assert check.prime(booking=probe, practitioner=practitioner, outside_hours_ok=False, now=NOW) is None

    def attempt(index):
        return services.booking_create(
            service=clinic["service"],
            location=clinic["location"],
            patient=patient,
            practitioner=practitioner,
            # Two receptionists, one at 10:00 and one at 10:30: the times overlap.
            start=TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=30 * index),
            channel=BookingChannel.PHONE,
            now=NOW,
        )

    results = _run_in_threads(2, attempt)

    assert sorted(type(r).__name__ for r in results) == ["Booking", "SlotUnavailable"], results
    assert set(refused) == {practitioner.pk}
    assert Booking.objects.count() == 1


def test_the_database_itself_refuses_an_overlap_that_skips_the_services(clinic, patient):
    """Even code that bypasses the service layer (a bug, a shell session) cannot double-book."""
    practitioner = clinic["practitioners"][0]
    service = clinic["service"]
    common = {"patient": patient, "service": service, "practitioner": practitioner, "location": clinic["location"]}
    Booking.objects.create(
        start=TEN_AM_SYDNEY_DEC_3,
        end=TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=60),
        blocked_until=TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=70),
        **common,
    )
    later = TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=65)  # inside the first booking's buffer
    with pytest.raises(IntegrityError):
        Booking.objects.create(
            start=later, end=later + timedelta(minutes=60), blocked_until=later + timedelta(minutes=70), **common
        )
    # A cancelled booking holds no time, and touching end-to-start is allowed.
    Booking.objects.create(
        start=later,
        end=later + timedelta(minutes=60),
        blocked_until=later + timedelta(minutes=70),
        status="cancelled",
        **common,
    )
    touching = TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=70)
    Booking.objects.create(
        start=touching, end=touching + timedelta(minutes=60), blocked_until=touching + timedelta(minutes=70), **common
    )
    assert Booking.objects.active().count() == 2


def test_five_hundred_random_bookings_cancellations_and_reschedules_leave_no_overlap(clinic):
    """Four threads make 500 random operations between them over three busy days."""
    rng = random.Random(20261125)
    base = TEN_AM_SYDNEY_DEC_3 - timedelta(hours=2)  # 08:00 Sydney
    starts = [base + timedelta(days=day, minutes=15 * step) for day in range(3) for step in range(36)]
    plans = [
        [(rng.random(), rng.choice(starts), rng.choice(clinic["practitioners"])) for _ in range(125)] for _ in range(4)
    ]
    patients = [
        Patient.objects.create(given_name=f"P{i}", family_name="Load", email=f"p{i}@example.com", phone="+61491570006")
        for i in range(4)
    ]

    def worker(index):
        outcomes = {"created": 0, "cancelled": 0, "rescheduled": 0, "refused": 0}
        for roll, start, practitioner in plans[index]:
            try:
                mine = list(Booking.objects.active().filter(patient=patients[index]).values_list("pk", flat=True)[:20])
                if roll < 0.6 or not mine:
                    channel = BookingChannel.ONLINE if roll < 0.3 else BookingChannel.PHONE
                    services.booking_create(
                        service=clinic["service"],
                        location=clinic["location"],
                        patient=patients[index],
                        practitioner=practitioner,
                        start=start,
                        channel=channel,
                        now=NOW,
                    )
                    outcomes["created"] += 1
                elif roll < 0.8:
                    services.booking_cancel(booking=Booking.objects.get(pk=rng.choice(mine)), by_patient=False, now=NOW)
                    outcomes["cancelled"] += 1
                else:
                    services.booking_reschedule(
                        booking=Booking.objects.get(pk=rng.choice(mine)), start=start, by_patient=True, now=NOW
                    )
                    outcomes["rescheduled"] += 1
            except BookingError:
                outcomes["refused"] += 1
        return outcomes

    results = _run_in_threads(4, worker)

    assert all(isinstance(r, dict) for r in results), results
    totals = {key: sum(r[key] for r in results) for key in results[0]}
    assert sum(totals.values()) == 500
    assert totals["created"] > 50 and totals["refused"] > 50, totals  # real contention happened
    assert _overlapping_pairs() == []

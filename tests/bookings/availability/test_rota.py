"""What each worker keeps of the schedule (`bookings.rota`): read once, so a look at the free
times costs one query for the bookings however many there are; a staff change reaches the next
look; nothing is kept while the shared cache is down."""

from datetime import time, timedelta

import pytest
from django.test import override_settings

from bookings import rota
from bookings.availability import free_slots, load_schedule
from bookings.models import Booking, ClinicClosure, TimeOff, WorkingHours
from bookings.slot_grid import compute_free_slots
from soletherapy import page_cache
from tests.bookings.availability.slots import MONDAY, SYDNEY, at, book, local_times, make_clinic, slots_on
from tests.bookings.factories import make_hours, make_patient, make_practitioner

CACHE_DOWN = {"default": {"BACKEND": "soletherapy.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


def _nine_to_twelve(clinic):
    make_hours(clinic.practitioner, clinic.location, "09:00-12:00")
    return local_times(slots_on(clinic, MONDAY))


def test_a_change_staff_make_reaches_the_next_look_at_the_times(clinic):
    before = _nine_to_twelve(clinic)
    assert before[0] == "09:00" and before[-1] == "11:00"

    TimeOff.objects.create(practitioner=clinic.practitioner, start=at(f"{MONDAY} 09:00"), end=at(f"{MONDAY} 10:00"))
    assert local_times(slots_on(clinic, MONDAY))[0] == "10:00"

    hours = WorkingHours.objects.get(practitioner=clinic.practitioner, weekday=MONDAY.weekday())
    hours.end = time(11)
    hours.save()
    assert local_times(slots_on(clinic, MONDAY))[-1] == "10:00"

    ClinicClosure.objects.create(location=clinic.location, start_date=MONDAY, end_date=MONDAY, reason="Stocktake")
    assert slots_on(clinic, MONDAY) == []


def test_a_practitioner_who_stops_offering_the_service_is_no_longer_offered(clinic):
    other = make_practitioner(services=[clinic.service], locations=[clinic.location])
    make_hours(other, clinic.location, "09:00-12:00")
    _nine_to_twelve(clinic)
    assert {slot.practitioner_id for slot in slots_on(clinic, MONDAY)} == {clinic.practitioner.pk, other.pk}

    other.services.remove(clinic.service)
    assert {slot.practitioner_id for slot in slots_on(clinic, MONDAY)} == {clinic.practitioner.pk}
    clinic.practitioner.active = False
    clinic.practitioner.save()
    assert slots_on(clinic, MONDAY) == []


@pytest.mark.django_db
def test_nothing_is_kept_while_the_shared_cache_is_down(clinic, django_assert_num_queries):
    _nine_to_twelve(clinic)
    with override_settings(CACHES=CACHE_DOWN):
        rota.rota_generation.forget_local()
        page_cache.forget_outage()
        for _ in range(2):
            with django_assert_num_queries(6):  # who, hours, time off, openings, closures, bookings
                assert local_times(slots_on(clinic, MONDAY))[0] == "09:00"
    rota.rota_generation.forget_local()
    page_cache.forget_outage()


def test_loading_takes_the_same_few_queries_for_one_or_a_thousand_bookings(db, django_assert_num_queries):
    clinic = make_clinic(buffer=15)
    practitioners = [clinic.practitioner] + [
        make_practitioner(services=[clinic.service], locations=[clinic.location]) for _ in range(2)
    ]
    for practitioner in practitioners:
        make_hours(practitioner, clinic.location, "08:00-18:00")
    first, last = MONDAY, MONDAY + timedelta(days=89)
    now = at("2026-11-01 09:00")
    patient = make_patient()
    starts = [
        (practitioner, at(f"{first + timedelta(days=day)} {hour:02}:00"))
        for day in range(90)
        for hour in (8, 10, 12, 14)
        for practitioner in practitioners
    ][:1000]

    def load_and_compute():
        return free_slots(service=clinic.service, location=clinic.location, start_date=first, end_date=last, now=now)

    book(clinic, starts[0][1], patient=patient)
    load_and_compute()  # the booking rules and the rota are read once by a worker, then kept until changed
    with django_assert_num_queries(1):  # the bookings
        few_bookings = load_and_compute()
    Booking.objects.bulk_create(
        Booking(
            patient=patient,
            service=clinic.service,
            practitioner=practitioner,
            location=clinic.location,
            start=start,
            end=start + clinic.service.duration,
            blocked_until=start + clinic.service.duration + clinic.service.buffer,
        )
        for practitioner, start in starts[1:]
    )
    with django_assert_num_queries(1):
        slots = load_and_compute()
    rota.kept.clear()  # a worker that has not read the rota yet: who, hours, time off, closures, openings
    with django_assert_num_queries(6):
        assert load_and_compute() == slots
    schedule = load_schedule(service=clinic.service, location=clinic.location, start_date=first, end_date=last)
    with django_assert_num_queries(0):
        assert compute_free_slots(schedule, now=now) == slots

    assert len(slots) < len(few_bookings)
    busy = {}
    for practitioner, start in starts:
        busy.setdefault((practitioner.pk, start.date()), []).append(
            (start, start + clinic.service.duration + clinic.service.buffer)
        )
    span = clinic.service.duration + clinic.service.buffer
    for slot in slots:
        taken = busy.get((slot.practitioner_id, slot.local_start(SYDNEY).date()), [])
        assert not any(start < slot.start + span and slot.start < end for start, end in taken), slot
    assert slots == sorted(slots, key=lambda slot: (slot.start, slot.practitioner_id))

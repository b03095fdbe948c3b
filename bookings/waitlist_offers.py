"""Freed time, offered to the waitlist.

When time frees up (a cancellation, a move, time off removed), the worker looks for waiting
patients whose wishes fit it and emails a few of them, in the order they joined. An offer leads
to the usual booking steps, so the first to book the time gets it and the others are told it
has gone when they click.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from bookings import availability, notifications
from bookings.models import Location, OfferState, Practitioner, WaitlistEntry, WaitlistOffer, WaitlistState

logger = logging.getLogger(__name__)

# How many waiting patients one freed time is offered to at once.
OFFER_BATCH = 3


def time_freed(*, practitioner_id: int, location_id: int, start: datetime, end: datetime) -> None:
    """Called in the transaction that frees the time: the offers are worked out by the worker
    after it commits, from the schedule as it is then."""
    offer_freed_time_task.enqueue(practitioner_id, location_id, start.isoformat(), end.isoformat())


@task()
def offer_freed_time_task(practitioner_id: int, location_id: int, start: str, end: str) -> int:
    return offer_freed_time(
        practitioner_id=practitioner_id,
        location_id=location_id,
        start=datetime.fromisoformat(start),
        end=datetime.fromisoformat(end),
    )


def offer_freed_time(*, practitioner_id: int, location_id: int, start: datetime, end: datetime, now=None) -> int:
    """Offer free times inside [start, end) with this practitioner to the first few waiting
    patients they fit; returns how many were offered one."""
    now = now or timezone.now()
    practitioner = Practitioner.objects.filter(pk=practitioner_id, active=True).first()
    location = Location.objects.filter(pk=location_id, active=True).first()
    if practitioner is None or location is None:
        return 0
    day = start.astimezone(location.zone).date()
    waiting = (
        WaitlistEntry.objects.filter(
            state=WaitlistState.WAITING,
            location=location,
            earliest__lte=day,
            latest__gte=day,
            service__in=practitioner.services.filter(active=True, bookable_online=True),
        )
        .filter(Q(practitioner__isnull=True) | Q(practitioner=practitioner))
        .exclude(offers__state=OfferState.OPEN, offers__start__gte=now)
        .select_related("service")
        .distinct()
    )
    free_by_service = {}
    offered = 0
    for entry in waiting:
        if entry.service_id not in free_by_service:
            slots = availability.free_slots(
                service=entry.service,
                location=location,
                practitioner=practitioner,
                start_date=day,
                end_date=day,
                now=now,
            )
            free_by_service[entry.service_id] = [slot for slot in slots if start <= slot.start < end]
        if not (fitting := free_by_service[entry.service_id]):
            continue
        with transaction.atomic():
            offer = WaitlistOffer.objects.create(entry=entry, practitioner=practitioner, start=fitting[0].start)
            notifications.waitlist_offer(offer)
        offered += 1
        if offered == OFFER_BATCH:
            break
    if offered:
        logger.info("Freed time with practitioner %s offered to %s waiting patient(s)", practitioner_id, offered)
    return offered

"""The waitlist: joining and leaving it, and whether an offered time can still be booked (the
offers themselves are made by the worker: `bookings.waitlist_offers`). Booking takes a patient
off the waitlist for that service."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from bookings import availability, notifications
from bookings.errors import BookingError
from bookings.models import (
    Location,
    OfferState,
    Practitioner,
    Service,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistState,
)


@transaction.atomic
def waitlist_join(
    *,
    service: Service,
    location: Location,
    practitioner: Practitioner | None,
    earliest: date,
    latest: date,
    name: str,
    email: str,
    privacy_notice_version: str,
    now: datetime | None = None,
) -> WaitlistEntry:
    now = now or timezone.now()
    if latest < earliest:
        raise BookingError("The last day must not be before the first.", field="latest")
    entry = WaitlistEntry.objects.create(
        service=service,
        location=location,
        practitioner=practitioner,
        earliest=earliest,
        latest=latest,
        name=name.strip(),
        email=email.strip(),
        privacy_notice_version=privacy_notice_version,
        privacy_accepted_at=now,
    )
    notifications.waitlist_joined(entry)
    return entry


@transaction.atomic
def waitlist_leave(*, entry: WaitlistEntry) -> WaitlistEntry:
    WaitlistEntry.objects.filter(pk=entry.pk, state=WaitlistState.WAITING).update(state=WaitlistState.LEFT)
    entry.refresh_from_db()
    return entry


def waitlist_booked(*, service: Service, email: str) -> None:
    """A patient who books the service leaves its waitlist; their open offers are taken."""
    if not email:
        return
    waiting = list(
        WaitlistEntry.objects.filter(service=service, email__iexact=email, state=WaitlistState.WAITING).values_list(
            "pk", flat=True
        )
    )
    if not waiting:  # most patients who book were never on the waitlist: one query, not two writes
        return
    WaitlistOffer.objects.filter(entry__in=waiting, state=OfferState.OPEN).update(state=OfferState.TAKEN)
    WaitlistEntry.objects.filter(pk__in=waiting, state=WaitlistState.WAITING).update(state=WaitlistState.BOOKED)


def waitlist_end_passed(*, today: date) -> int:
    """Entries end when the last day they could come has passed."""
    return WaitlistEntry.objects.filter(state=WaitlistState.WAITING, latest__lt=today).update(state=WaitlistState.ENDED)


def offer_still_open(offer: WaitlistOffer, *, now: datetime | None = None) -> bool:
    """Whether the offered time can still be booked; if not, the offer is marked gone."""
    now = now or timezone.now()
    entry = offer.entry
    if offer.state == OfferState.OPEN and entry.state == WaitlistState.WAITING:
        free = availability.is_slot_free(
            service=entry.service, location=entry.location, practitioner=offer.practitioner, start=offer.start, now=now
        )
        if free:
            return True
        WaitlistOffer.objects.filter(pk=offer.pk, state=OfferState.OPEN).update(state=OfferState.GONE)
    return False

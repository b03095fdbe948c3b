"""Which emails a booking change causes, and when each is due.

Each email is an outbox row written inside the change's own transaction, and its delivery task
is queued in that transaction too (the database task backend stores it there): an email is never
lost to a crash or a mail server that is down, and never sent for a change that was rolled back.
The task worker sends it (`bookings.outbox`); no email is sent inside a web request.
"""

from datetime import datetime, time, timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings import outbox
from bookings.models import (
    BOOKING_NEWS_KINDS,
    REMINDER_KINDS,
    Booking,
    BookingChannel,
    BookingRules,
    BookingStatus,
    EmailKind,
    EmailState,
    OutboxEmail,
    Recipient,
    WaitlistEntry,
    WaitlistOffer,
)

# The morning reminder goes at this local time on the day of the appointment.
MORNING = time(7)


def booking_made(booking: Booking) -> None:
    """A booking just made has no email queued yet: nothing to stand down first, and no
    reminder another change could have planned, so all of its emails go in with one insert."""
    now = timezone.now()
    emails = []
    if booking.patient.email:  # staff may book someone who gave only a phone number
        kind = EmailKind.REQUESTED if booking.status == BookingStatus.REQUESTED else EmailKind.BOOKED
        emails.append(_email(booking, kind, Recipient.PATIENT, now=now))
    if booking.channel == BookingChannel.ONLINE:
        emails.append(_email(booking, EmailKind.CLINIC_NEW, Recipient.CLINIC, now=now))
    emails += [
        _email(booking, kind, Recipient.PATIENT, now=now, for_start=booking.start, next_attempt_at=send_at)
        for kind, send_at in _reminder_times(booking).items()
        if send_at > now
    ]
    outbox.queue_together(OutboxEmail.objects.bulk_create(emails), now=now)


def request_confirmed(booking: Booking) -> None:
    _tell_patient(booking, EmailKind.CONFIRMED)
    plan_reminders(booking)


def booking_moved(booking: Booking, *, previous_start: datetime, previous_practitioner, by_patient: bool) -> None:
    was = {"previous_start": previous_start, "previous_practitioner": previous_practitioner, "by_patient": by_patient}
    _tell_patient(booking, EmailKind.RESCHEDULED, **was)
    if by_patient:
        _tell_clinic(booking, EmailKind.CLINIC_RESCHEDULED, **was)
    plan_reminders(booking)


def booking_cancelled(booking: Booking, *, by_patient: bool) -> None:
    _tell_patient(booking, EmailKind.CANCELLED, by_patient=by_patient)
    if by_patient:
        _tell_clinic(booking, EmailKind.CLINIC_CANCELLED, by_patient=True)
    plan_reminders(booking)


def new_link_sent(booking: Booking) -> None:
    _queue(booking, EmailKind.NEW_LINK, Recipient.PATIENT)


def waitlist_joined(entry: WaitlistEntry) -> None:
    _queue(None, EmailKind.WAITLIST_JOINED, Recipient.PATIENT, waitlist_entry=entry)


def waitlist_offer(offer: WaitlistOffer) -> None:
    _queue(None, EmailKind.WAITLIST_OFFER, Recipient.PATIENT, waitlist_entry=offer.entry, waitlist_offer=offer)


def plan_reminders(booking: Booking, *, now: datetime | None = None) -> None:
    """The reminders a booking should have for its current time: queue what is missing, and stand
    down any queued for a time it no longer has (moved, cancelled, or no longer wanted). None is
    queued for a time already past: a booking made after its reminder time gets none."""
    now = now or timezone.now()
    due = _reminder_times(booking)
    stale = booking.emails.filter(kind__in=REMINDER_KINDS, state=EmailState.QUEUED)
    for kind in due:
        stale = stale.exclude(kind=kind, for_start=booking.start)
    stale.update(state=EmailState.CANCELLED)
    for kind, send_at in due.items():
        if send_at <= now or booking.emails.filter(kind=kind, for_start=booking.start).exclude(
            state=EmailState.CANCELLED
        ):
            continue
        try:
            with transaction.atomic():
                _queue(booking, kind, Recipient.PATIENT, for_start=booking.start, next_attempt_at=send_at)
        except IntegrityError:
            continue  # another change planned this very reminder a moment ago


def _reminder_times(booking: Booking) -> dict[str, datetime]:
    if booking.status != BookingStatus.CONFIRMED or not booking.patient.email:
        return {}
    rules = BookingRules.current()
    due = {}
    if rules.reminder_hours:
        due[EmailKind.REMINDER] = booking.start - timedelta(hours=rules.reminder_hours)
    if rules.morning_reminder:
        local_start = booking.start.astimezone(booking.location.zone)
        morning = datetime.combine(local_start.date(), MORNING, tzinfo=booking.location.zone)
        if morning < booking.start:
            due[EmailKind.MORNING_REMINDER] = morning
    return due


def _tell_patient(booking: Booking, kind: str, **fields) -> None:
    """The patient hears the booking as it stands: this replaces news of it not yet sent."""
    if not booking.patient.email:  # staff may book someone who gave only a phone number
        return
    news = booking.emails.filter(recipient=Recipient.PATIENT, kind__in=BOOKING_NEWS_KINDS, state=EmailState.QUEUED)
    news.update(state=EmailState.CANCELLED)
    _queue(booking, kind, Recipient.PATIENT, **fields)


def _tell_clinic(booking: Booking, kind: str, **fields) -> None:
    _queue(booking, kind, Recipient.CLINIC, **fields)


def _queue(booking: Booking | None, kind: str, recipient: str, **fields) -> OutboxEmail:
    now = timezone.now()
    email = _email(booking, kind, recipient, now=now, **fields)
    email.save(force_insert=True)
    outbox.queue_delivery(email, now=now)
    return email


def _email(booking: Booking | None, kind: str, recipient: str, *, now: datetime, **fields) -> OutboxEmail:
    about = booking.reference if booking else f"waitlist{fields['waitlist_entry'].pk}"
    return OutboxEmail(
        booking=booking,
        kind=kind,
        recipient=recipient,
        message_id=make_msgid(idstring=f"{about}.{kind}", domain=_domain()),
        enqueued_at=now,  # its task is queued next, in the same transaction
        **{"next_attempt_at": now} | fields,
    )


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "soletherapy"

"""Sending outbox emails: the delivery task the worker runs (`manage.py worker`), retries with
growing waits, and the sweep that finds emails whose task was lost.

The task re-reads the database and decides, so running it twice does no harm: a worker claims an
email with a conditional update, and only the worker whose update took sends it.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from bookings import email_content
from bookings.models import REMINDER_KINDS, BookingStatus, EmailState, OfferState, OutboxEmail, WaitlistState

logger = logging.getLogger(__name__)

# A worker killed mid-send leaves its email "sending": after this long it is tried again.
STUCK_AFTER = timedelta(minutes=10)
# An email still queued this long after it was due, and its task queued as long ago, lost its task.
LOST_AFTER = timedelta(minutes=5)


def queue_delivery(email: OutboxEmail, *, now: datetime) -> None:
    """Queue the task that sends `email` when it is due, in the caller's transaction. An email
    created already marked `enqueued_at=now` needs no second write to say so."""
    due = email.next_attempt_at
    deliver_email.using(run_after=due if due > now else None).enqueue(email.pk)
    if email.enqueued_at != now:
        OutboxEmail.objects.filter(pk=email.pk).update(enqueued_at=now)
        email.enqueued_at = now


def queue_together(emails: list[OutboxEmail], *, now: datetime) -> None:
    """Queue emails created together (already marked `enqueued_at=now`): those due now in one
    task, each later one (a reminder) in its own, to run when it falls due."""
    due_now = [email.pk for email in emails if email.next_attempt_at <= now]
    if due_now:
        deliver_emails.enqueue(due_now)
    for email in emails:
        if email.next_attempt_at > now:
            deliver_email.using(run_after=email.next_attempt_at).enqueue(email.pk)


@task()
def deliver_email(email_id: int) -> str:
    return send_email(email_id)


@task()
def deliver_emails(email_ids: list[int]) -> list[str]:
    """Several emails due at once (a new booking's to the patient and the clinic), in turn: each
    is claimed, sent and recorded on its own, and one that fails is retried on its own."""
    return [send_email(email_id) for email_id in email_ids]


def send_email(email_id: int, *, now: datetime | None = None) -> str:
    """Send one outbox email if it is due and nobody else is sending it; say what happened."""
    now = now or timezone.now()
    claimed = OutboxEmail.objects.filter(pk=email_id, state=EmailState.QUEUED, next_attempt_at__lte=now).update(
        state=EmailState.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not due, or already taken"
    email = OutboxEmail.objects.select_related(
        "booking__patient",
        "booking__service",
        "booking__practitioner",
        "booking__location",
        "previous_practitioner",
        "waitlist_entry__service",
        "waitlist_entry__location",
        "waitlist_entry__practitioner",
        "waitlist_offer__practitioner",
    ).get(pk=email_id)
    if reason := _not_needed(email):
        OutboxEmail.objects.filter(pk=email_id).update(state=EmailState.CANCELLED, last_error=reason)
        return reason
    try:
        message = email_content.build(email)
        message.send()
    except Exception as error:  # any failure is retried, then recorded; the booking stays as it is
        return _failed_attempt(email, error, now)
    OutboxEmail.objects.filter(pk=email_id).update(
        state=EmailState.SENT, sent_at=timezone.now(), to_address=message.to[0], last_error=""
    )
    return "sent"


def _not_needed(email: OutboxEmail) -> str:
    booking, offer = email.booking, email.waitlist_offer
    if email.kind in REMINDER_KINDS and (booking.status != BookingStatus.CONFIRMED or booking.start != email.for_start):
        return "The appointment was moved or cancelled."
    if offer is not None and (offer.state != OfferState.OPEN or email.waitlist_entry.state != WaitlistState.WAITING):
        return "The time has gone, or the patient has booked or left the waitlist."
    if not email_content.address_of(email):
        return "No email address."
    return ""


def _failed_attempt(email: OutboxEmail, error: Exception, now: datetime) -> str:
    retries = [timedelta(minutes=minutes) for minutes in settings.EMAIL_RETRY_MINUTES]
    kind = type(error).__name__
    # The reference and the error's class only: never an address or the message.
    about = f"booking {email.booking.reference}" if email.booking_id else f"waitlist entry {email.waitlist_entry_id}"
    logger.warning("Email %s about %s not sent (%s)", email.pk, about, kind)
    if email.attempts > len(retries):
        OutboxEmail.objects.filter(pk=email.pk).update(state=EmailState.FAILED, last_error=kind)
        return "failed"
    email.next_attempt_at = now + retries[email.attempts - 1]
    OutboxEmail.objects.filter(pk=email.pk).update(
        state=EmailState.QUEUED, last_error=kind, next_attempt_at=email.next_attempt_at
    )
    queue_delivery(email, now=now)
    return "will try again"


def resend(email: OutboxEmail, *, now: datetime | None = None) -> bool:
    """Staff ask for a failed (or sent) email again: queue it now, attempts counted afresh."""
    now = now or timezone.now()
    reset = OutboxEmail.objects.filter(pk=email.pk).exclude(state__in=(EmailState.SENDING, EmailState.QUEUED))
    if not reset.update(state=EmailState.QUEUED, attempts=0, next_attempt_at=now, last_error=""):
        return False
    email.next_attempt_at = now
    queue_delivery(email, now=now)
    return True


def sweep(*, now: datetime) -> dict:
    """Queue again what lost its task: emails left "sending" by a worker that died, and queued
    emails long past due whose task never ran. A conditional update per email means two
    sweeping workers never queue one twice."""
    stuck = OutboxEmail.objects.filter(state=EmailState.SENDING, claimed_at__lt=now - STUCK_AFTER)
    lost = OutboxEmail.objects.filter(state=EmailState.QUEUED, next_attempt_at__lt=now - LOST_AFTER).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - LOST_AFTER)
    )
    counts = {"stuck": 0, "lost": 0}
    for email in stuck:
        if OutboxEmail.objects.filter(pk=email.pk, state=EmailState.SENDING, claimed_at=email.claimed_at).update(
            state=EmailState.QUEUED, next_attempt_at=now
        ):
            email.next_attempt_at = now
            queue_delivery(email, now=now)
            counts["stuck"] += 1
    for email in lost:
        if OutboxEmail.objects.filter(pk=email.pk, state=EmailState.QUEUED, enqueued_at=email.enqueued_at).update(
            enqueued_at=now
        ):
            queue_delivery(email, now=now)
            counts["lost"] += 1
    if any(counts.values()):
        logger.warning("Outbox sweep queued again: %s", counts)
    return counts

"""What the clinic keeps, and for how long. `manage.py purge_expired_data` (run daily) removes
what has passed its time: sessions that have ended (with any booking draft in them, the
patient's answers included), waitlist entries a while after they ended, the worker's finished
task records, sign-in records, and bookings (with their emails) and patients past the clinical
records' retention (seven years by default)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction

from bookings.models import Booking, Patient, WaitlistEntry, WaitlistState

SIGN_IN_RECORDS_DAYS = 90


def _years_ago(now: datetime, years: int) -> datetime:
    return now - timedelta(days=round(365.25 * years))


def expired(now: datetime) -> dict[str, object]:
    """What is due to go, by kind: querysets, in the order they can be deleted."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    clinical_cutoff = _years_ago(now, settings.BOOKING_RETENTION_YEARS)
    sign_in_cutoff = now - timedelta(days=SIGN_IN_RECORDS_DAYS)
    return {
        "ended sessions (and the booking drafts in them)": Session.objects.filter(expire_date__lt=now),
        "waitlist entries that ended": WaitlistEntry.objects.exclude(state=WaitlistState.WAITING).filter(
            updated_at__lt=now - timedelta(days=settings.WAITLIST_RETENTION_DAYS)
        ),
        "finished task records": DBTaskResult.objects.filter(
            status__in=("SUCCESSFUL", "FAILED"),
            finished_at__lt=now - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS),
        ),
        "sign-in records": AccessLog.objects.filter(attempt_time__lt=sign_in_cutoff),
        "failed sign-in records": AccessFailureLog.objects.filter(attempt_time__lt=sign_in_cutoff),
        "sign-in lockout counts": AccessAttempt.objects.filter(attempt_time__lt=sign_in_cutoff),
        "bookings past the clinical records' retention": Booking.objects.filter(end__lt=clinical_cutoff),
        "patients with no booking left, past the retention": Patient.objects.filter(
            created_at__lt=clinical_cutoff, bookings__isnull=True
        ),
    }


def purge(*, now: datetime, dry_run: bool) -> dict[str, int]:
    """How many of each kind went (or would go, with `dry_run`)."""
    counts = {}
    with transaction.atomic():
        for kind, queryset in expired(now).items():
            counts[kind] = queryset.count() if dry_run else queryset.delete()[1].get(queryset.model._meta.label, 0)
    return counts

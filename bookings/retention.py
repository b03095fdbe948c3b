"""What the clinic keeps, and for how long. `manage.py purge_expired_data` (run daily) removes
what has passed its time: sessions that have ended (with any booking draft in them, the
patient's answers included), waitlist entries a while after they ended, the worker's finished
task records, sign-in records, and bookings (with their emails) and patients past the clinical
records' retention (seven years by default), with their audit history and the log of who viewed
them."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q

from bookings.models import Booking, Patient, StaffView, WaitlistEntry, WaitlistState

SIGN_IN_RECORDS_DAYS = 90


def _years_ago(now: datetime, years: int) -> datetime:
    return now - timedelta(days=round(365.25 * years))


def expired(now: datetime) -> dict[str, object]:
    """What is due to go, by kind: querysets, in the order they can be deleted."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    clinical_cutoff = _years_ago(now, settings.BOOKING_RETENTION_YEARS)
    sign_in_cutoff = now - timedelta(days=SIGN_IN_RECORDS_DAYS)
    old_bookings = Booking.objects.filter(end__lt=clinical_cutoff)
    # A patient whose last booking goes now goes too (the booking rows are deleted first).
    old_patients = Patient.objects.filter(created_at__lt=clinical_cutoff).exclude(bookings__end__gte=clinical_cutoff)
    gone_bookings = list(old_bookings.values_list("pk", flat=True))
    gone_patients = list(old_patients.values_list("pk", flat=True))
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
        "bookings past the clinical records' retention": old_bookings,
        "patients with no booking left, past the retention": old_patients,
        # The audit history holds what the records held: it goes with them, and after the same time.
        "audit history of those bookings, or past the retention": Booking.history.filter(
            Q(id__in=gone_bookings) | Q(history_date__lt=clinical_cutoff)
        ),
        "audit history of those patients, or past the retention": Patient.history.filter(
            Q(id__in=gone_patients) | Q(history_date__lt=clinical_cutoff)
        ),
        "records-viewed log past the retention": StaffView.objects.filter(at__lt=clinical_cutoff),
    }


def purge(*, now: datetime, dry_run: bool) -> dict[str, int]:
    """How many of each kind went (or would go, with `dry_run`)."""
    counts = {}
    with transaction.atomic():
        for kind, queryset in expired(now).items():
            counts[kind] = queryset.count() if dry_run else queryset.delete()[1].get(queryset.model._meta.label, 0)
    return counts

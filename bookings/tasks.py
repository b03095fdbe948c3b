"""Housekeeping the task worker does every minute: sweep up emails whose task was lost, end
waitlist entries whose dates have passed, and mark past bookings nobody marked as completed.
Each sweep queues the next, so one is always waiting; the worker command queues the first."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone

from bookings import outbox
from bookings.services.housekeeping import bookings_close_past
from bookings.services.waitlist import waitlist_end_passed

SWEEP_EVERY = timedelta(minutes=1)


@task()
def sweep() -> dict:
    now = timezone.now()
    found = outbox.sweep(now=now) | {
        "waitlist ended": waitlist_end_passed(today=timezone.localdate(now)),
        "past bookings closed": bookings_close_past(now=now),
    }
    schedule_sweep()
    return found


def schedule_sweep() -> None:
    """Keep one sweep waiting in the queue: each sweep queues the next unless one is waiting."""
    from django_tasks_db.models import DBTaskResult

    if not DBTaskResult.objects.filter(task_path=sweep.module_path, status="READY").exists():
        sweep.using(run_after=timezone.now() + SWEEP_EVERY).enqueue()

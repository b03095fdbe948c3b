"""Past bookings nobody marked. A confirmed appointment that ended more than 12 hours ago is
marked completed by the task worker's sweep (every minute, a batch at a time), so it stops
looking like one still to come: in the booking list, the dashboard's counts, the patient's page
and the queries that read active bookings. Staff can still change it to "did not attend"; each
booking's history says it was marked automatically."""

from datetime import datetime, timedelta

from django.db import transaction

from bookings.calendar_cache import calendar_generation
from bookings.free_times_cache import schedule_generation
from bookings.models import Booking, BookingStatus

CLOSE_AFTER = timedelta(hours=12)
BATCH = 500
REASON = "Marked completed automatically: the appointment ended and nobody marked it"


def bookings_close_past(*, now: datetime, batch: int = BATCH) -> int:
    """Mark up to `batch` such bookings completed; returns how many."""
    with transaction.atomic():
        ids = list(
            Booking.objects.filter(status=BookingStatus.CONFIRMED, end__lt=now - CLOSE_AFTER)
            .order_by("end")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return 0
        # Only those still confirmed: one staff marked "did not attend" a moment ago stays so.
        Booking.objects.filter(pk__in=ids, status=BookingStatus.CONFIRMED).update(
            status=BookingStatus.COMPLETED, updated_at=now
        )
        closed = list(Booking.objects.filter(pk__in=ids, status=BookingStatus.COMPLETED, updated_at=now))
        Booking.history.bulk_history_create(closed, update=True, default_change_reason=REASON)
        # An update sends no signal: the calendar and the free times are told here.
        calendar_generation.bump()
        schedule_generation.bump()
    return len(closed)

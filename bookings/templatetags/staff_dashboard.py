"""The admin's front page for staff who run bookings: today at the clinic by status, the next
appointments, requests waiting for confirmation and emails that failed, in a fixed number of
queries."""

from datetime import datetime, time, timedelta

from django import template
from django.db.models import Count
from django.utils import timezone

from bookings.admin.roles import runs_every_booking
from bookings.models import Booking, BookingStatus, EmailState, OutboxEmail
from bookings.selectors import main_location
from bookings.wording import time_label

register = template.Library()

NEXT_COUNT = 8


@register.inclusion_tag("admin/bookings/dashboard.html", takes_context=True)
def staff_dashboard(context):
    request = context["request"]
    user = request.user
    if not user.has_perm("bookings.view_booking"):
        return {"shown": False}
    location = main_location()
    zone = location.zone if location else timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate(now, timezone=zone)
    midnight = datetime.combine(today, time(), tzinfo=zone)
    bookings = Booking.objects.all()
    if not runs_every_booking(user):
        bookings = bookings.filter(practitioner__user=user)
    counts = dict(
        bookings.filter(start__gte=midnight, start__lt=midnight + timedelta(days=1))
        .values_list("status")
        .annotate(total=Count("pk"))
        .values_list("status", "total")
    )
    upcoming = list(
        bookings.upcoming().select_related("patient", "service", "practitioner").order_by("start")[:NEXT_COUNT]
    )
    waiting = bookings.filter(status=BookingStatus.REQUESTED, start__gte=now).count()
    failed = (
        OutboxEmail.objects.filter(state=EmailState.FAILED).count() if user.has_perm("bookings.view_outboxemail") else 0
    )
    return {
        "shown": True,
        "today": today,
        "counts": [(status.label, counts.get(status.value, 0)) for status in BookingStatus],
        "upcoming": [(_when(b.start, zone, today), b) for b in upcoming],
        "waiting": waiting,
        "failed": failed,
        "can_book": user.has_perm("bookings.add_booking"),
    }


def _when(moment, zone, today) -> str:
    local = moment.astimezone(zone)
    day = "Today" if local.date() == today else f"{local:%a %-d %b}"
    return f"{day}, {time_label(local)}"

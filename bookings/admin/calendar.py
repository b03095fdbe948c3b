"""The reception calendar inside the admin: a day or a week, one column per practitioner, in the
clinic's time zone; a printable day sheet. Server-rendered tables that work without JavaScript.
Each booking links to its page and each free time to a new booking for it."""

from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from bookings.admin.calendar_html import grid_rows_html
from bookings.admin.roles import runs_every_booking
from bookings.calendar_cache import cached_grid, cached_page
from bookings.calendar_data import load_calendar
from bookings.calendar_grid import build_grid
from bookings.models import Practitioner
from bookings.selectors import main_location
from bookings.wording import time_label

STEPS = [(15, "15 minutes"), (30, "30 minutes"), (10, "10 minutes")]


class CalendarQuery(forms.Form):
    """The calendar's address: which day, day or week, who, and the rows' length. Anything it
    cannot read falls back to today, the day view, everyone and 15 minutes."""

    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    view = forms.ChoiceField(choices=[("day", "Day"), ("week", "Week")], required=False)
    practitioner = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    step = forms.TypedChoiceField(choices=STEPS, coerce=int, required=False, empty_value=15, label="Rows of")

    def __init__(self, *args, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].choices = [("", "Everyone"), *((p.pk, p.name) for p in practitioners)]

    def chosen(self, *, today: date) -> dict:
        valid = self.is_valid()
        data = self.cleaned_data if valid else {}
        return {
            "date": data.get("date") or today,
            "view": data.get("view") or "day",
            "practitioner": data.get("practitioner"),
            "step": data.get("step") or 15,
            "problem": not valid,
        }


def _days(chosen: dict) -> list[date]:
    if chosen["view"] == "week":
        monday = chosen["date"] - timedelta(days=chosen["date"].weekday())
        return [monday + timedelta(days=n) for n in range(7)]
    return [chosen["date"]]


def _address(chosen: dict, **changes) -> str:
    query = {key: chosen[key] for key in ("date", "view", "practitioner", "step")} | changes
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return reverse("admin:bookings_booking_calendar") + "?" + urlencode(query)


def _practitioners(request, location) -> list:
    everyone = Practitioner.objects.active().filter(locations=location).order_by("name").distinct()
    if not runs_every_booking(request.user):
        everyone = everyone.filter(user=request.user)  # a podiatrist's calendar is their own
    return list(everyone)


class CalendarMixin:
    """For the booking admin: the calendar and the day sheet, for staff who may see bookings."""

    def get_urls(self):
        own = [
            path("calendar/", self.admin_site.admin_view(self.calendar), name="bookings_booking_calendar"),
            path("calendar/day-sheet/", self.admin_site.admin_view(self.day_sheet), name="bookings_booking_day_sheet"),
        ]
        return [*own, *super().get_urls()]

    def calendar(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return calendar_view(self, request)

    def day_sheet(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return day_sheet_view(self, request)


def calendar_view(model_admin, request):
    location = main_location()
    if not location:
        raise PermissionDenied("Set up the clinic first.")
    now = timezone.now()
    local = timezone.localtime(now, location.zone)
    # The page as this staff member saw it a moment ago, if nothing on it has changed since: the
    # same address, the same day and the same five minutes (every row length is a multiple).
    five_minutes = (local.hour * 60 + local.minute) // 5
    return cached_page(
        request,
        (tuple(sorted(request.GET.lists())), local.date(), five_minutes),
        lambda: _calendar_page(model_admin, request, location=location, now=now),
    )


def _calendar_page(model_admin, request, *, location, now):
    today = timezone.localdate(now, timezone=location.zone)
    practitioners = _practitioners(request, location)
    query = CalendarQuery(request.GET or None, practitioners=practitioners)
    chosen = query.chosen(today=today) if request.GET else {**query.chosen(today=today), "problem": False}
    shown = [p for p in practitioners if chosen["practitioner"] in (None, p.pk)]
    days = _days(chosen)
    can_book = model_admin.has_add_permission(request)

    def rows_html() -> str:
        data = load_calendar(
            location=location,
            days=days,
            practitioner_ids=[p.pk for p in shown],
            bookings=model_admin.get_queryset(request),
        )
        grid = build_grid(data, days=days, practitioners=shown, step=chosen["step"], now=now)
        return grid_rows_html(grid, can_book=can_book)

    # Everything the grid depends on but the watched models (bookings.calendar_cache): whose
    # bookings this person may see, and where "now" falls (the row it marks).
    scope = "all" if runs_every_booking(request.user) else request.user.pk
    now_row = _floor(timezone.localtime(now, location.zone), chosen["step"]) if today in days else None
    key = (location.pk, days[0], len(days), tuple(p.pk for p in shown), chosen["step"], can_book, scope, now_row)
    jump = timedelta(days=7 if chosen["view"] == "week" else 1)

    context = {
        **_context(model_admin, request, chosen=chosen, days=days, shown=shown, today=today, jump=jump),
        "rows_html": mark_safe(cached_grid(key, rows_html)),  # noqa: S308 (calendar_html escapes every value)
        "query": query,
        "location": location,
        "can_book": can_book,
    }
    return TemplateResponse(request, "admin/bookings/calendar.html", context)


def _context(model_admin, request, *, chosen, days, shown, today, jump) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "title": "Calendar",
        "opts": model_admin.model._meta,
        "grid": {"days": days, "practitioners": shown, "columns": [(day, p) for day in days for p in shown]},
        "chosen": chosen,
        "today": today,
        "previous_url": _address(chosen, date=chosen["date"] - jump),
        "next_url": _address(chosen, date=chosen["date"] + jump),
        "today_url": _address(chosen, date=today),
        "day_url": _address(chosen, view="day"),
        "week_url": _address(chosen, view="week"),
        "sheet_url": reverse("admin:bookings_booking_day_sheet") + "?" + urlencode({"date": chosen["date"]}),
        "heading": _heading(days),
    }


def _floor(moment: datetime, minutes: int) -> str:
    return f"{moment:%Y-%m-%d} {(moment.hour * 60 + moment.minute) // minutes}"


def _heading(days: list[date]) -> str:
    if len(days) == 1:
        return f"{days[0]:%A %-d %B %Y}"
    return f"Week of {days[0]:%A %-d %B} to {days[-1]:%A %-d %B %Y}"


def day_sheet_view(model_admin, request):
    """One day's appointments, a page per practitioner when printed: times, patients, phone
    numbers, services and notes."""
    location = main_location()
    if not location:
        raise PermissionDenied("Set up the clinic first.")
    today = timezone.localdate(timezone=location.zone)
    practitioners = _practitioners(request, location)
    chosen = CalendarQuery(request.GET or None, practitioners=practitioners).chosen(today=today)
    data = load_calendar(
        location=location,
        days=[chosen["date"]],
        practitioner_ids=[p.pk for p in practitioners],
        bookings=model_admin.get_queryset(request),
        detail=True,
    )
    sheets = [
        (
            practitioner,
            [
                (time_label(b.start.astimezone(location.zone)), time_label(b.end.astimezone(location.zone)), b)
                for b in data.bookings
                if b.practitioner_id == practitioner.pk
            ],
        )
        for practitioner in practitioners
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Day sheet: {chosen['date']:%A %-d %B %Y}",
        "opts": model_admin.model._meta,
        "sheets": sheets,
        "closed": data.closed.get(chosen["date"]),
        "calendar_url": _address(chosen),
    }
    return TemplateResponse(request, "admin/bookings/day_sheet.html", context)

"""List filters of the bookings admin."""

from datetime import datetime, time, timedelta

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.utils import timezone


class WhenFilter(admin.SimpleListFilter):
    """Reception mostly looks ahead, so the list opens on upcoming active bookings."""

    title = "when"
    parameter_name = "when"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        # A search or a date picked in the date bar looks at every booking, so a past one is found.
        looking_up = request.GET.get(SEARCH_VAR) or any(key.startswith("start__") for key in request.GET)
        self.default = "all" if looking_up else "upcoming"

    def lookups(self, request, model_admin):
        return [
            ("today", "Today"),
            ("this_week", "This week"),
            ("next_week", "Next week"),
            ("upcoming", "Upcoming"),
            ("past", "Past"),
            ("all", "All"),
        ]

    def chosen(self) -> str:
        return self.value() or self.default

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.chosen() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        now = timezone.now()
        today = timezone.localdate(now)
        midnight = datetime.combine(today, time(), tzinfo=timezone.get_current_timezone())
        monday = midnight - timedelta(days=today.weekday())
        match self.chosen():
            case "today":
                return queryset.filter(start__gte=midnight, start__lt=midnight + timedelta(days=1))
            case "this_week":
                return queryset.filter(start__gte=monday, start__lt=monday + timedelta(days=7))
            case "next_week":
                return queryset.filter(start__gte=monday + timedelta(days=7), start__lt=monday + timedelta(days=14))
            case "upcoming":
                return queryset.upcoming()
            case "past":
                return queryset.filter(start__lt=now)
        return queryset

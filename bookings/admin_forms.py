"""Forms, the list filter and the warnings behind the bookings admin: each stops a mistake staff
could otherwise make silently."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from bookings import schedule_checks
from bookings.models import ACTIVE_STATUSES, Booking, BookingChannel, BookingStatus, Patient, Service
from conditions.compliance import describe_claims, find_forbidden_claims

OUTSIDE_HOURS_HELP = "Tick to book anyway: in the past, outside working hours, or on a day the clinic is closed."


class BookingAdminForm(forms.ModelForm):
    outside_hours_ok = forms.BooleanField(
        label="Book outside normal hours", required=False, help_text=OUTSIDE_HOURS_HELP
    )

    class Meta:
        model = Booking
        fields = [
            "patient",
            "service",
            "practitioner",
            "location",
            "start",
            "status",
            "channel",
            "concern",
            "concern_text",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["channel"].initial = BookingChannel.PHONE
            self.fields["status"].choices = [
                (BookingStatus.CONFIRMED, BookingStatus.CONFIRMED.label),
                (BookingStatus.REQUESTED, BookingStatus.REQUESTED.label),
            ]

    def clean(self):
        data = super().clean()
        service, practitioner, start = data.get("service"), data.get("practitioner"), data.get("start")
        location = data.get("location")
        status = data.get("status") or BookingStatus.CONFIRMED
        if not (service and practitioner and start) or status not in ACTIVE_STATUSES:
            return data
        self._refuse_overlap(service, practitioner, start)
        moved = not self.instance.pk or {"start", "practitioner", "service", "location"} & set(self.changed_data)
        if location and moved and not data.get("outside_hours_ok"):
            self._refuse_unusual_time(service, location, practitioner, start)
        return data

    def _refuse_overlap(self, service, practitioner, start):
        """Refused here with a clear message, whatever the checkbox; the database refuses it again
        under races."""
        clash = (
            Booking.objects.overlapping(
                practitioner_id=practitioner.pk,
                start=start,
                blocked_until=start + service.duration + service.buffer,
            )
            .exclude(pk=self.instance.pk)
            .select_related("location")
            .first()
        )
        if clash:
            local = timezone.localtime(clash.start, clash.location.zone)
            raise forms.ValidationError(
                f"{practitioner} already has booking {clash.reference} at {local:%H:%M on %d %b %Y} "
                "(including its clean-up time). Choose another time or practitioner."
            )

    def _refuse_unusual_time(self, service, location, practitioner, start):
        """A typo (3:00 am, a closed Sunday, last year) is caught unless staff say it is meant."""
        if start < timezone.now():
            problem = "This start time is in the past."
        else:
            problem = schedule_checks.outside_normal_hours(
                service=service, location=location, practitioner=practitioner, start=start
            )
        if problem:
            self.add_error(
                "start", f"{problem} Check the date and time, or tick “Book outside normal hours” to book it anyway."
            )


class PatientAdminForm(forms.ModelForm):
    """Refuses a second record for someone already recorded (same names and email)."""

    def clean(self):
        data = super().clean()
        given, family, email = (data.get(name, "").strip() for name in ("given_name", "family_name", "email"))
        identity_changed = not self.instance.pk or {"given_name", "family_name", "email"} & set(self.changed_data)
        # Without an email two people with the same name cannot be told apart, so they may both exist.
        if not (given and family and email and identity_changed):
            return data
        existing = (
            Patient.objects.same_person(given_name=given, family_name=family, email=email)
            .exclude(pk=self.instance.pk)
            .order_by("created_at")
            .first()
        )
        if existing:
            url = reverse("admin:bookings_patient_change", args=[existing.pk])
            raise forms.ValidationError(
                format_html(
                    'This patient is already recorded: <a href="{}">{}</a> with the same email. '
                    "Book for that record (or update it) rather than adding another.",
                    url,
                    existing,
                )
            )
        return data


class ServiceAdminForm(forms.ModelForm):
    """Service names and descriptions are shown on the website, so the health advertising
    wording check applies to them as to condition pages."""

    checked_fields = ("name", "description", "what_to_bring")

    def clean(self):
        data = super().clean()
        active = data.get("active", self.instance.active)
        if not active:
            return data
        for name in self.checked_fields:
            # The list page edits only some fields; the others are checked as stored.
            value = data[name] if name in data else getattr(self.instance, name)
            phrases = find_forbidden_claims(value or "")
            if not phrases:
                continue
            where = str(Service._meta.get_field(name).verbose_name)
            message = (
                f"The {where} contains {describe_claims(phrases)}, which health advertising law does not allow. "
                "Reword it, or untick Active."
            )
            self.add_error(name if name in self.fields else None, message)
        return data


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
        return [("today", "Today"), ("upcoming", "Upcoming"), ("past", "Past"), ("all", "All")]

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
        match self.chosen():
            case "today":
                midnight = datetime.combine(timezone.localdate(now), time(), tzinfo=timezone.get_current_timezone())
                return queryset.filter(start__gte=midnight, start__lt=midnight + timedelta(days=1))
            case "upcoming":
                return queryset.upcoming()
            case "past":
                return queryset.filter(start__lt=now)
        return queryset


def clinic_time(booking: Booking) -> str:
    return timezone.localtime(booking.start, booking.location.zone).strftime("%a %d %b %Y, %H:%M")


def warn_about_bookings(request, bookings: list[Booking], during: str) -> None:
    """Staff are told whom to contact; the bookings are left as they are, for them to decide."""
    if not bookings:
        return
    links = format_html_join(
        "; ",
        '<a href="{}">{}</a> {} ({})',
        (
            (reverse("admin:bookings_booking_change", args=[b.pk]), b.reference, clinic_time(b), b.patient)
            for b in bookings
        ),
    )
    messages.warning(
        request,
        format_html(
            "{} active booking(s) fall inside {}: {}. They are still booked: contact these patients to move "
            "or cancel them.",
            len(bookings),
            during,
            links,
        ),
    )


def saved_periods(formset, fields: set[str]) -> list:
    """Rows of an inline formset just added, or changed in any of `fields`."""
    changed = [obj for obj, changed_fields in formset.changed_objects if fields & set(changed_fields)]
    return [*formset.new_objects, *changed]

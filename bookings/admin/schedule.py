"""The clinic and its schedule in the admin: clinics with their opening hours, closures and
holiday openings, services, practitioners with their hours and time off, and the booking rules.
Time off or a closure over booked patients waits for staff to say what happens to them
(bookings.admin.clashes): kept, with a warning naming whom to contact, or cancelled."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from bookings import schedule_checks, services, waitlist_offers
from bookings.admin.audit import AuditedAdmin
from bookings.admin.clashes import CANCEL, ClashCheckFormSet
from bookings.admin.forms import PractitionerAdminForm, ServiceAdminForm
from bookings.errors import BookingError
from bookings.models import (
    Booking,
    BookingRules,
    ClinicClosure,
    Location,
    OpeningHours,
    Practitioner,
    PublicHolidayOpening,
    Service,
    TimeOff,
    WorkingHours,
)
from bookings.photos import practitioner_photo_replace
from bookings.templatetags.booking_tags import practitioner_picture
from bookings.wording import staff_time


def warn_about_bookings(request, bookings: list[Booking], during: str) -> None:
    """Staff are told whom to contact; the bookings are left as they are, for them to decide."""
    if not bookings:
        return
    links = format_html_join(
        "; ",
        '<a href="{}">{}</a> {} ({}, <a href="{}">move to a free time</a>)',
        (
            (
                reverse("admin:bookings_booking_change", args=[b.pk]),
                b.reference,
                staff_time(b.start, b.location.zone),
                b.patient,
                reverse("admin:bookings_booking_move", args=[b.pk]),
            )
            for b in bookings
        ),
    )
    messages.warning(
        request,
        format_html(
            "{} active booking(s) fall inside {}: {}. They are still booked: move each to a free time (the "
            "patient is emailed), or contact these patients.",
            len(bookings),
            during,
            links,
        ),
    )


def clash_checked(find_clashes, what: str) -> type[ClashCheckFormSet]:
    return type("ClashChecked", (ClashCheckFormSet,), {"find_clashes": staticmethod(find_clashes), "what": what})


def cancel_clashes(request, formset, reason: str) -> bool:
    """When staff chose to cancel the bookings the rows hit: cancel each (the patient is emailed)."""
    if getattr(formset, "choice", None) != CANCEL or not formset.clashes:
        return False
    cancelled = 0
    for booking in formset.clashes:
        try:
            services.booking_cancel(booking=booking, by_patient=False, reason=reason)
            cancelled += 1
        except BookingError as error:
            messages.warning(request, f"{booking.reference}: {error}")
    messages.success(request, f"{cancelled} booking(s) cancelled; each patient is emailed.")
    return True


def saved_periods(formset, fields: set[str]) -> list:
    """Rows of an inline formset just added, or changed in any of `fields`."""
    changed = [obj for obj, changed_fields in formset.changed_objects if fields & set(changed_fields)]
    return [*formset.new_objects, *changed]


class RowsInline(admin.TabularInline):
    """A table of a clinic's or practitioner's rows (hours, closures, time off), with no empty
    row to fill in, read in a fixed number of queries however many rows there are."""

    extra = 0

    def get_queryset(self, request):
        related = [field.name for field in self.model._meta.fields if field.many_to_one]
        return super().get_queryset(request).select_related(*related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Every row's menu lists the same choices: read them once per page, not once per row.
        cached = request.__dict__.setdefault("_inline_choices", {})
        key = (self.model, db_field.name)
        if key not in cached:
            cached[key] = list(field.choices)
        field.choices = cached[key]
        return field


def rows_of(model, **options) -> type[RowsInline]:
    return type(f"{model.__name__}Inline", (RowsInline,), {"model": model, **options})


@admin.register(Location)
class LocationAdmin(AuditedAdmin):
    list_display = ["name", "suburb", "state", "phone", "email", "time_zone", "active"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [
        rows_of(OpeningHours),
        rows_of(ClinicClosure, formset=clash_checked(schedule_checks.bookings_during_closures, "the closure")),
        rows_of(
            PublicHolidayOpening,
            verbose_name="open on a public holiday",
            verbose_name_plural="open on these public holidays",
        ),
    ]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is ClinicClosure and not cancel_clashes(request, formset, "The clinic is closed that day."):
            closures = saved_periods(formset, {"start_date", "end_date"})
            warn_about_bookings(request, schedule_checks.bookings_during_closures(closures), "the closure")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    form = ServiceAdminForm
    list_display = ["name", "duration_minutes", "buffer_minutes", "price", "bookable_online", "confirmation", "active"]
    list_filter = ["active", "bookable_online", "confirmation", "new_patient_only"]
    list_editable = ["bookable_online", "active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["treatment"]

    def get_changelist_form(self, request, **kwargs):
        # Ticking Active on the list is checked like the full form.
        return super().get_changelist_form(request, **{"form": ServiceAdminForm, **kwargs})


@admin.register(Practitioner)
class PractitionerAdmin(AuditedAdmin):
    form = PractitionerAdminForm
    list_display = ["name", "profession", "active", "is_demo"]
    list_filter = ["active", "is_demo", "locations"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ["services", "locations"]
    inlines = [
        rows_of(WorkingHours),
        rows_of(TimeOff, formset=clash_checked(schedule_checks.bookings_during_time_off, "this time off")),
    ]
    readonly_fields = ["photo_now"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "profession", "active", "is_demo", "user"]}),
        (
            "Team page",
            {"fields": ["qualifications", "summary", "bio", "interests", "languages", "ahpra_number"]},
        ),
        ("Photo", {"fields": ["photo_now", "photo_upload", "photo_alt"]}),
        ("Bookings", {"fields": ["services", "locations"]}),
    ]

    @admin.display(description="Photo now")
    def photo_now(self, obj):
        return practitioner_picture(obj, "10rem") or "No photo yet."

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if data := form.cleaned_data.get("photo_upload"):
            practitioner_photo_replace(practitioner=obj, data=data)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is TimeOff:
            if not cancel_clashes(request, formset, f"{form.instance} is away then."):
                time_off = saved_periods(formset, {"start", "end"})
                warn_about_bookings(
                    request, schedule_checks.bookings_during_time_off(time_off), f"{form.instance}'s time off"
                )
            # Time off taken away frees time that patients on the waitlist may want.
            for removed in formset.deleted_objects:
                for location in form.instance.locations.all():
                    waitlist_offers.time_freed(
                        practitioner_id=form.instance.pk, location_id=location.pk, start=removed.start, end=removed.end
                    )


@admin.register(BookingRules)
class BookingRulesAdmin(AuditedAdmin):
    list_display = ["__str__", "slot_minutes", "min_notice_minutes", "max_days_ahead", "cancellation_notice_hours"]

    def has_add_permission(self, request):
        return not BookingRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

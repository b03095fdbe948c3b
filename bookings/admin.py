from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from bookings import schedule_checks, services
from bookings.admin_forms import (
    BookingAdminForm,
    PatientAdminForm,
    ServiceAdminForm,
    WhenFilter,
    clinic_time,
    saved_periods,
    warn_about_bookings,
)
from bookings.errors import BookingError
from bookings.models import (
    Booking,
    BookingChannel,
    BookingRules,
    BookingStatus,
    ClinicClosure,
    Location,
    OpeningHours,
    Patient,
    Practitioner,
    PublicHolidayOpening,
    Service,
    TimeOff,
    WorkingHours,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClinicClosureInline(admin.TabularInline):
    model = ClinicClosure
    extra = 0


class PublicHolidayOpeningInline(admin.TabularInline):
    model = PublicHolidayOpening
    extra = 0
    verbose_name = "open on a public holiday"
    verbose_name_plural = "open on these public holidays"


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "suburb", "state", "phone", "email", "time_zone", "active"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [OpeningHoursInline, ClinicClosureInline, PublicHolidayOpeningInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is ClinicClosure:
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


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):
    list_display = ["name", "profession", "active", "is_demo"]
    list_filter = ["active", "is_demo", "locations"]
    search_fields = ["name"]
    filter_horizontal = ["services", "locations"]
    inlines = [WorkingHoursInline, TimeOffInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is TimeOff:
            time_off = saved_periods(formset, {"start", "end"})
            warn_about_bookings(
                request, schedule_checks.bookings_during_time_off(time_off), f"{form.instance}'s time off"
            )


@admin.register(BookingRules)
class BookingRulesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slot_minutes", "min_notice_minutes", "max_days_ahead", "cancellation_notice_hours"]

    def has_add_permission(self, request):
        return not BookingRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class BookingInline(admin.TabularInline):
    model = Booking
    fields = ["reference", "start", "service", "practitioner", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    form = PatientAdminForm
    list_display = ["family_name", "given_name", "email", "phone", "is_returning", "created_at"]
    search_fields = ["given_name", "family_name", "email", "phone"]
    list_filter = ["is_returning"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [BookingInline]


EDITABLE_FIELDS = [
    "patient",
    "service",
    "practitioner",
    "location",
    "start",
    "outside_hours_ok",
    "status",
    "channel",
    "concern",
    "concern_text",
    "notes",
]
# Filled in by the booking itself, so shown only once it exists.
RECORD_FIELDS = ["end", "blocked_until", "privacy_notice_version", "privacy_accepted_at", "created_at", "updated_at"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    form = BookingAdminForm
    list_display = ["reference", "local_start", "service", "practitioner", "patient", "patient_phone", "status"]
    list_filter = [WhenFilter, "status", "practitioner", "service", "location", "channel"]
    list_select_related = ["service", "practitioner", "patient", "location"]
    search_fields = ["reference", "patient__given_name", "patient__family_name", "patient__email"]
    date_hierarchy = "start"
    autocomplete_fields = ["patient", "concern"]
    actions = ["confirm_requests", "cancel_bookings", "mark_completed", "mark_no_show"]

    def get_fields(self, request, obj=None):
        return EDITABLE_FIELDS if obj is None else ["reference", *EDITABLE_FIELDS, *RECORD_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.channel == BookingChannel.ONLINE:
            # What the patient wrote stays as they wrote it.
            return ["reference", *RECORD_FIELDS, "channel", "concern_text", "notes"]
        return ["reference", *RECORD_FIELDS]

    def get_ordering(self, request):
        return ["-start"] if request.GET.get(WhenFilter.parameter_name) == "past" else ["start"]

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        # Bookings are records of care: staff cancel them; only a superuser may delete one.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        locations = list(Location.objects.active()[:2])
        if "location" not in initial and len(locations) == 1:
            initial["location"] = locations[0].pk
        return initial

    @admin.display(description="Start (clinic time)", ordering="start")
    def local_start(self, obj):
        return clinic_time(obj)

    @admin.display(description="Phone", ordering="patient__phone")
    def patient_phone(self, obj):
        return obj.patient.phone

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except BookingError as error:
            # Refused by a service after the form checked: the transaction is rolled back; say why.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and context["adminform"].form.errors:
            # The refused values are already on `obj`: name the booking as it is stored.
            stored = self.get_queryset(request).select_related("location", "service").get(pk=obj.pk)
            context.update(subtitle=str(stored), original=stored)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            booking = services.booking_create(
                service=data["service"],
                location=data["location"],
                start=data["start"],
                patient=data["patient"],
                practitioner=data["practitioner"],
                concern=data.get("concern"),
                concern_text=data.get("concern_text", ""),
                notes=data.get("notes", ""),
                channel=data["channel"],
                status=data["status"],
            )
            obj.pk = booking.pk
            obj.reference = booking.reference
            return
        original = Booking.objects.get(pk=obj.pk)
        moved = {"start", "practitioner", "service"} & set(form.changed_data)
        if moved:
            services.booking_reschedule(
                booking=original,
                start=data["start"],
                practitioner=data["practitioner"],
                service=data["service"],
                by_patient=False,
            )
        if "status" in form.changed_data:
            if data["status"] == BookingStatus.CANCELLED:
                services.booking_cancel(booking=original, by_patient=False)
            else:
                services.booking_set_status(booking=original, status=data["status"])
        simple = [f for f in ("location", "concern", "concern_text", "notes", "channel") if f in form.changed_data]
        if simple:
            # Fields with no scheduling rules; saving (not .update()) keeps updated_at and signals.
            details = Booking.objects.get(pk=obj.pk)
            for field in simple:
                setattr(details, field, data[field])
            details.save(update_fields=[*simple, "updated_at"])

    def _apply(self, request, queryset, change, done_message):
        done, refused = 0, []
        for booking in queryset:
            try:
                change(booking)
                done += 1
            except BookingError as error:
                refused.append(f"{booking.reference}: {error}")
        if done:
            self.message_user(request, done_message.format(count=done), messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description="Confirm selected booking requests")
    def confirm_requests(self, request, queryset):
        self._apply(
            request,
            queryset.filter(status=BookingStatus.REQUESTED),
            lambda b: services.booking_set_status(booking=b, status=BookingStatus.CONFIRMED),
            "{count} booking(s) confirmed.",
        )

    @admin.action(description="Cancel selected bookings")
    def cancel_bookings(self, request, queryset):
        if request.POST.get("post") != "yes":
            bookings = queryset.select_related("patient", "service", "practitioner", "location")
            context = {
                **self.admin_site.each_context(request),
                "title": "Cancel these bookings?",
                "opts": self.opts,
                "bookings": [(booking, clinic_time(booking)) for booking in bookings],
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/bookings/booking/cancel_selected_confirmation.html", context)
        self._apply(
            request,
            queryset,
            lambda b: services.booking_cancel(booking=b, by_patient=False),
            "{count} booking(s) cancelled.",
        )

    @admin.action(description="Mark selected as completed")
    def mark_completed(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda b: services.booking_set_status(booking=b, status=BookingStatus.COMPLETED),
            "{count} booking(s) marked completed.",
        )

    @admin.action(description="Mark selected as did not attend")
    def mark_no_show(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda b: services.booking_set_status(booking=b, status=BookingStatus.NO_SHOW),
            "{count} booking(s) marked as did not attend.",
        )

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils import timezone

from bookings import services
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


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "duration_minutes", "buffer_minutes", "price", "bookable_online", "confirmation", "active"]
    list_filter = ["active", "bookable_online", "confirmation", "new_patient_only"]
    list_editable = ["bookable_online", "active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["treatment"]


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
    list_display = ["family_name", "given_name", "email", "phone", "is_returning", "created_at"]
    search_fields = ["given_name", "family_name", "email", "phone"]
    list_filter = ["is_returning"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [BookingInline]


class BookingAdminForm(forms.ModelForm):
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
        """Refuse an overlap here, with a clear message; the database refuses it again under races."""
        data = super().clean()
        service, practitioner, start = data.get("service"), data.get("practitioner"), data.get("start")
        status = data.get("status") or BookingStatus.CONFIRMED
        if service and practitioner and start and status in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED):
            clash = (
                Booking.objects.overlapping(
                    practitioner_id=practitioner.pk,
                    start=start,
                    blocked_until=start + service.duration + service.buffer,
                )
                .exclude(pk=self.instance.pk)
                .first()
            )
            if clash:
                local = timezone.localtime(clash.start, clash.location.zone)
                raise forms.ValidationError(
                    f"{practitioner} already has booking {clash.reference} at {local:%H:%M on %d %b %Y} "
                    "(including its clean-up time). Choose another time or practitioner."
                )
        return data


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    form = BookingAdminForm
    list_display = ["reference", "local_start", "service", "practitioner", "patient", "status", "channel"]
    list_filter = ["status", "practitioner", "service", "location", "channel"]
    list_select_related = ["service", "practitioner", "patient", "location"]
    search_fields = ["reference", "patient__given_name", "patient__family_name", "patient__email"]
    date_hierarchy = "start"
    autocomplete_fields = ["patient", "concern"]
    readonly_fields = [
        "reference",
        "end",
        "blocked_until",
        "privacy_notice_version",
        "privacy_accepted_at",
        "created_at",
        "updated_at",
    ]
    actions = ["confirm_requests", "cancel_bookings", "mark_completed", "mark_no_show"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.channel == BookingChannel.ONLINE:
            # What the patient wrote stays as they wrote it.
            return [*self.readonly_fields, "channel", "concern_text", "notes"]
        return self.readonly_fields

    @admin.display(description="Start (clinic time)", ordering="start")
    def local_start(self, obj):
        return timezone.localtime(obj.start, obj.location.zone).strftime("%a %d %b %Y, %H:%M")

    def changeform_view(self, request, *args, **kwargs):
        try:
            return super().changeform_view(request, *args, **kwargs)
        except BookingError as error:
            # Lost a race after the form checked: the transaction is rolled back; say why.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

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
            if "service" in form.changed_data:
                Booking.objects.filter(pk=obj.pk).update(service=data["service"])
            services.booking_reschedule(
                booking=original, start=data["start"], practitioner=data["practitioner"], by_patient=False
            )
        if "status" in form.changed_data:
            if data["status"] == BookingStatus.CANCELLED:
                services.booking_cancel(booking=original, by_patient=False)
            else:
                services.booking_set_status(booking=original, status=data["status"])
        simple = [f for f in ("location", "concern", "concern_text", "notes", "channel") if f in form.changed_data]
        if simple:
            Booking.objects.filter(pk=obj.pk).update(**{f: data[f] for f in simple})

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

"""Bookings in the admin. Every write goes through the booking services, which decide: a refusal
comes back on the form, as typed, with the service's reason."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from bookings import services
from bookings.admin.audit import AuditedAdmin, ListExportMixin
from bookings.admin.calendar import CalendarMixin
from bookings.admin.filters import WhenFilter
from bookings.admin.forms import BookingAdminForm
from bookings.admin.outbox import emails_table
from bookings.admin.phone_booking import CARRIED, PhoneBookingMixin
from bookings.admin.questionnaire import answers_html
from bookings.admin.roles import OwnBookingsMixin
from bookings.admin.search import PatientSearchMixin
from bookings.csv_export import BOOKING_HEADER, booking_rows
from bookings.errors import BookingError
from bookings.models import Booking, BookingChannel, BookingStatus, Location, Patient, Questionnaire, StaffViewKind
from bookings.wording import staff_booking, staff_time

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
RECORD_FIELDS = [
    "cancellation_reason",
    "end",
    "blocked_until",
    "privacy_notice_version",
    "privacy_accepted_at",
    "created_at",
    "updated_at",
    "emails",
]
COPY_SUBMITTED = "_copy_submitted_details"


@admin.register(Booking)
class BookingAdmin(
    OwnBookingsMixin, PatientSearchMixin, CalendarMixin, PhoneBookingMixin, ListExportMixin, AuditedAdmin
):
    viewed_kind = StaffViewKind.BOOKING
    export_permission, export_kind, export_name = "bookings.export_bookings", StaffViewKind.BOOKING_LIST, "bookings"
    export_header = BOOKING_HEADER
    form = BookingAdminForm
    list_display = ["patient", "local_start", "service", "practitioner", "status", "patient_phone", "reference"]
    list_filter = [WhenFilter, "status", "practitioner", "service", "location", "channel"]
    list_select_related = ["service", "practitioner", "patient", "location"]
    search_fields = ["reference", "patient__given_name", "patient__family_name", "patient__email"]
    phone_search_fields = ("patient__phone", "submitted_phone")
    birth_date_search_fields = ("patient__date_of_birth",)
    # No date hierarchy (its year links read every matching booking: 766 ms at 50,000; the "When"
    # filter serves instead), nor a count of every booking beside the filtered count.
    show_full_result_count = False
    autocomplete_fields = ["patient", "concern"]
    actions = [
        "confirm_requests",
        "cancel_bookings",
        "mark_completed",
        "mark_no_show",
        "copy_submitted_details",
        "send_new_links",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("service", "practitioner", "patient", "location")

    def get_fields(self, request, obj=None):
        if obj is None:
            return EDITABLE_FIELDS
        # What the patient typed about themselves, beside the patient it is booked for.
        return ["reference", "patient", "submitted_details", "health_answers", *EDITABLE_FIELDS[1:], *RECORD_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.channel == BookingChannel.ONLINE:
            # What the patient wrote stays as they wrote it.
            return [
                "reference",
                "submitted_details",
                "health_answers",
                *RECORD_FIELDS,
                "channel",
                "concern_text",
                "notes",
            ]
        return ["reference", "submitted_details", "health_answers", *RECORD_FIELDS]

    def get_ordering(self, request):
        # Ties broken by the id in the time's direction, not the admin's "-id": SQLite then reads
        # its index on the start in order, not sorting every booking for a page of "All".
        return ["-start", "-pk"] if request.GET.get(WhenFilter.parameter_name) == "past" else ["start", "pk"]

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
        # A free time clicked on the calendar arrives as ?practitioner=..&start=<ISO time>.
        start = parse_datetime(initial.pop("start", "") or "")
        if start is not None and timezone.is_aware(start):
            initial["start"] = timezone.localtime(start)
        return initial

    def export_rows(self, bookings):
        return booking_rows(bookings.select_related("patient", "service", "practitioner", "location"))

    @admin.display(description="When (clinic time)", ordering="start")
    def local_start(self, obj):
        return f"{staff_time(obj.start, obj.location.zone)} to {obj.end.astimezone(obj.location.zone):%H:%M}"

    @admin.display(description="Phone", ordering="patient__phone")
    def patient_phone(self, obj):
        return obj.patient.phone

    @admin.display(description="Health questionnaire")
    def health_answers(self, obj):
        return answers_html(Questionnaire.objects.with_answers().filter(booking=obj).first())

    @admin.display(description="Emails about this booking")
    def emails(self, obj):
        return emails_table(obj.emails.select_related("booking__location"), with_booking=False)

    @admin.display(description="Details the patient gave")
    def submitted_details(self, obj):
        """What the patient typed on the booking form beside their record, for staff to check."""
        differences = services.submitted_differences(obj)
        if not differences:
            return "The same as the patient's record." if obj.submitted_phone else "-"
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (Patient._meta.get_field(name).verbose_name.capitalize(), _shown(typed), _shown(recorded))
                for name, (typed, recorded) in differences.items()
            ),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>Detail</th><th scope='col'>Given on this booking</th>"
            "<th scope='col'>On the patient's record</th></tr></thead><tbody>{}</tbody></table>"
            '<p><button type="submit" class="button" name="{}">Save, and copy these details to the patient\'s '
            "record</button></p>",
            rows,
            COPY_SUBMITTED,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_move": self.has_run_permission(request)}
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except BookingError as refusal:
            # A service refused the save and everything was rolled back: show the form again as
            # typed, with the service's reason (the form asks for it in `get_form`).
            request.booking_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if (refusal := getattr(request, "booking_refusal", None)) is not None:
            form = type(form.__name__, (form,), {"refusal": refusal})
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add and "patient" not in request.GET:
            # The patient box searches as staff type (JavaScript); the patient step works without.
            carried = {name: request.GET[name] for name in CARRIED if request.GET.get(name)}
            context["patient_step_url"] = f"{reverse('admin:bookings_booking_phone_patient')}?{urlencode(carried)}"
        if change and obj is not None:
            # A refused form has put its values on `obj`: name the booking as it is stored.
            stored = self.get_queryset(request).get(pk=obj.pk) if context["adminform"].form.errors else obj
            context.update(subtitle=staff_booking(stored), original=stored)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        outside_hours_ok = data.get("outside_hours_ok", False)
        if not change:
            fields = [name for name in BookingAdminForm.Meta.fields if name in data]
            booking = services.booking_create(
                **{name: data[name] for name in fields}, outside_hours_ok=outside_hours_ok
            )
            obj.pk, obj.reference = booking.pk, booking.reference
            return
        changes = {name: data[name] for name in form.changed_data if name in BookingAdminForm.Meta.fields}
        if changes:
            services.booking_update(booking=obj, changes=changes, by=request.user, outside_hours_ok=outside_hours_ok)
        if COPY_SUBMITTED in request.POST:
            copied = services.patient_update_from_booking(booking=obj, by=request.user)
            self.message_user(request, _copied_message(copied), messages.SUCCESS)

    def response_change(self, request, obj):
        if COPY_SUBMITTED in request.POST:
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

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

    def _set_status(self, request, queryset, status, done_message):
        self._apply(request, queryset, lambda b: services.booking_set_status(booking=b, status=status), done_message)

    @admin.action(description="Confirm selected booking requests", permissions=["run"])
    def confirm_requests(self, request, queryset):
        requests = queryset.filter(status=BookingStatus.REQUESTED)
        self._set_status(request, requests, BookingStatus.CONFIRMED, "{count} booking(s) confirmed.")

    @admin.action(description="Cancel selected bookings", permissions=["run"])
    def cancel_bookings(self, request, queryset):
        if request.POST.get("post") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Cancel these bookings?",
                "opts": self.opts,
                "bookings": [(booking, staff_time(booking.start, booking.location.zone)) for booking in queryset],
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/bookings/booking/cancel_selected_confirmation.html", context)
        reason = request.POST.get("cancellation_reason", "")
        cancel = lambda b: services.booking_cancel(booking=b, by_patient=False, reason=reason)  # noqa: E731
        self._apply(request, queryset, cancel, "{count} booking(s) cancelled.")

    @admin.action(description="Mark selected as completed", permissions=["change"])
    def mark_completed(self, request, queryset):
        self._set_status(request, queryset, BookingStatus.COMPLETED, "{count} booking(s) marked completed.")

    @admin.action(description="Mark selected as did not attend", permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._set_status(request, queryset, BookingStatus.NO_SHOW, "{count} booking(s) marked as did not attend.")

    @admin.action(description="Send the patients a new private link (old links stop working)", permissions=["run"])
    def send_new_links(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda b: services.booking_send_new_link(booking=b, by=request.user),
            "{count} new link(s) on their way.",
        )

    @admin.action(description="Copy the details the patient gave to their record", permissions=["run"])
    def copy_submitted_details(self, request, queryset):
        copied = sum(bool(services.patient_update_from_booking(booking=b, by=request.user)) for b in queryset)
        self.message_user(request, f"{copied} patient record(s) updated.", messages.SUCCESS)


def _shown(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "":
        return "-"
    if hasattr(value, "as_national"):
        return value.as_national
    if hasattr(value, "strftime"):
        return f"{value:%d %b %Y}"
    return str(value)


def _copied_message(copied: list[str]) -> str:
    if not copied:
        return "The patient's record already has these details."
    labels = ", ".join(str(Patient._meta.get_field(name).verbose_name) for name in copied)
    return f"Copied to the patient's record: {labels}."

"""Patients in the admin, each with their bookings, their health questionnaire answers and a
download of everything the clinic holds about them."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.cache import never_cache

from bookings import services
from bookings.admin.audit import AuditedAdmin, ListExportMixin
from bookings.admin.forms import PatientAdminForm
from bookings.admin.outbox import emails_table
from bookings.admin.questionnaire import answers_html
from bookings.admin.search import PatientSearchMixin
from bookings.csv_export import PATIENT_HEADER, patient_rows
from bookings.models import Answer, Booking, OutboxEmail, Patient, Questionnaire, Recipient, StaffView, StaffViewKind
from bookings.patient_export import patient_export, patient_export_json


def warn_about_likely_duplicates(request, patient):
    """Same mobile number, or same family name and date of birth: maybe the same person. Staff
    check, and merge the records from the patient list if so."""
    likely = Q(phone=patient.phone) if patient.phone else Q(pk__in=[])
    if patient.date_of_birth:
        likely |= Q(family_name__iexact=patient.family_name, date_of_birth=patient.date_of_birth)
    found = list(Patient.objects.filter(likely).exclude(pk=patient.pk)[:5])
    if found:
        links = format_html_join(
            ", ",
            '<a href="{}">{} {}</a>',
            ((reverse("admin:bookings_patient_change", args=[p.pk]), p.given_name, p.family_name) for p in found),
        )
        messages.warning(
            request,
            format_html(
                "This may be someone already recorded (same phone, or same family name and date of birth): "
                "{}. If it is, merge the records from the patient list.",
                links,
            ),
        )


class BookingInline(admin.TabularInline):
    model = Booking
    fields = ["reference", "start", "service", "practitioner", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # One query for the patient's bookings, whatever their number.
        return super().get_queryset(request).select_related("service", "practitioner")


@admin.register(Patient)
class PatientAdmin(PatientSearchMixin, ListExportMixin, AuditedAdmin):
    viewed_kind = StaffViewKind.PATIENT
    export_permission, export_kind, export_name = "bookings.export_patient", StaffViewKind.PATIENT_LIST, "patients"
    export_header = PATIENT_HEADER

    def export_rows(self, patients):
        return patient_rows(patients)

    form = PatientAdminForm
    list_display = ["family_name", "given_name", "email", "phone", "is_returning", "created_at"]
    search_fields = ["given_name", "family_name", "email", "phone"]
    phone_search_fields = ("phone",)
    birth_date_search_fields = ("date_of_birth",)
    list_filter = ["is_returning"]
    readonly_fields = ["created_at", "updated_at", "typed_differently", "health_questionnaires", "emails"]
    actions = ["merge_patients"]

    @admin.action(description="Merge the two selected records of one person", permissions=["change"])
    def merge_patients(self, request, queryset):
        chosen = list(queryset.order_by("created_at")[:3])
        if len(chosen) != 2:
            self.message_user(request, "Select exactly two records of the same person to merge.", messages.WARNING)
            return None
        keep = request.POST.get("keep")
        if request.POST.get("post") == "yes" and keep in {str(p.pk) for p in chosen}:
            survivor = next(p for p in chosen if str(p.pk) == keep)
            duplicate = next(p for p in chosen if p.pk != survivor.pk)
            services.patient_merge(survivor=survivor, duplicate=duplicate, by=request.user)
            self.message_user(request, f"Merged: {survivor} now holds both records' bookings.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge these patient records?",
            "opts": self.opts,
            "patients": [(p, p.bookings.count()) for p in chosen],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/bookings/patient/merge_confirmation.html", context)

    inlines = [BookingInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            warn_about_likely_duplicates(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if request.user.has_perm("bookings.export_patient"):
            fields.insert(2, "export")  # the download is for practice managers
        return fields

    def get_urls(self):
        export = path(
            "<int:object_id>/export/",
            self.admin_site.admin_view(never_cache(self.export_view)),
            name="bookings_patient_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request, object_id):
        patient = get_object_or_404(Patient, pk=object_id)
        if not request.user.has_perm("bookings.export_patient"):
            raise PermissionDenied
        StaffView.objects.create(user=request.user, kind=StaffViewKind.EXPORT, object_id=patient.pk)
        if request.GET.get("format") == "page":
            # The same record as a page to read or print for the patient.
            context = {
                **self.admin_site.each_context(request),
                "title": "Everything we hold",
                "data": patient_export(patient),
            }
            return TemplateResponse(request, "admin/bookings/patient_export.html", context)
        response = HttpResponse(patient_export_json(patient), content_type="application/json; charset=utf-8")
        # Named by the record's number, not the patient's name: file names end up in logs and menus.
        response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}.json"'
        return response

    @admin.display(description="Their data")
    def export(self, obj):
        if obj.pk is None:
            return "-"
        url = reverse("admin:bookings_patient_export", args=[obj.pk])
        return format_html(
            '<a href="{}">Download everything we hold about this patient (JSON)</a> or <a href="{}?format=page">'
            "read it as a page</a> (to print or send them)",
            url,
            url,
        )

    @admin.display(description="Typed differently on a booking")
    def typed_differently(self, obj):
        """What the patient typed on a booking that differs from this record, for staff to check
        (copy it over from the booking's page when it is right)."""
        rows = []
        for booking in obj.bookings.order_by("-start"):
            booking.patient = obj
            for name, (typed, recorded) in services.submitted_differences(booking).items():
                label = Patient._meta.get_field(name).verbose_name
                rows.append((reverse("admin:bookings_booking_change", args=[booking.pk]), booking.reference, label,
                             typed, recorded or "nothing"))  # fmt: skip
        if not rows:
            return "Nothing: every booking matches this record."
        return format_html_join("", '<p><a href="{}">{}</a>: {} typed as {} (record: {})</p>', rows)

    @admin.display(description="Health questionnaires")
    def health_questionnaires(self, obj):
        found = (
            Questionnaire.objects.filter(booking__patient=obj)
            .select_related("booking__service")
            .prefetch_related(Prefetch("answers", Answer.objects.order_by("step_position", "position")))
            .order_by("-booking__start")
        )
        if not found:
            return "None yet."
        return format_html_join(
            "",
            "<h3>{} on {} (booking {})</h3>{}",
            (
                (
                    q.booking.service.name,
                    f"{timezone.localtime(q.booking.start):%-d %b %Y}",
                    q.booking.reference,
                    answers_html(q),
                )
                for q in found
            ),
        )

    @admin.display(description="Emails to this patient")
    def emails(self, obj):
        sent = OutboxEmail.objects.filter(booking__patient=obj, recipient=Recipient.PATIENT)
        return emails_table(sent.select_related("booking__location")[:50], with_booking=True)

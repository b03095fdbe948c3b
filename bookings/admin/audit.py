"""The audit trail in the admin: each booking's, patient's and schedule's change history (who,
when, old and new values: django-simple-history, read-only), and the log of which records staff
opened, for practice managers."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from bookings.csv_export import csv_text
from bookings.models import StaffView, StaffViewKind

RECORD_PAGES = {
    StaffViewKind.BOOKING: "admin:bookings_booking_change",
    StaffViewKind.PATIENT: "admin:bookings_patient_change",
    StaffViewKind.EXPORT: "admin:bookings_patient_change",
}


class AuditedAdmin(SimpleHistoryAdmin):
    """A model admin whose History page lists every change with who made it and the old and new
    values; with `viewed_kind` set, each time a staff member opens a record is logged too."""

    viewed_kind: StaffViewKind | None = None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.viewed_kind and request.method == "GET" and response.status_code == 200 and str(object_id).isdigit():
            StaffView.objects.create(user=request.user, kind=self.viewed_kind, object_id=int(object_id))
        return response


@admin.register(StaffView)
class StaffViewAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "record", "rows"]
    list_filter = ["kind", "user"]
    date_hierarchy = "at"
    search_fields = ["object_id"]
    list_select_related = ["user"]

    @admin.display(description="Record")
    def record(self, obj):
        if obj.object_id is None:
            return "-"
        try:
            url = reverse(RECORD_PAGES[obj.kind], args=[obj.object_id])
        except (KeyError, NoReverseMatch):
            return obj.object_id
        return format_html(
            '<a href="{}">{} {}</a>', url, "Booking" if obj.kind == "booking" else "Patient", obj.object_id
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ListExportMixin:
    """For a list in the admin: "Download these as CSV" exports the list as filtered and searched,
    for staff with `export_permission`, and logs the download (who, when, how many rows)."""

    export_permission = ""
    export_kind: StaffViewKind
    export_name = ""

    def get_urls(self):
        opts = self.model._meta
        export = path(
            "export.csv",
            self.admin_site.admin_view(self.export_csv),
            name=f"{opts.app_label}_{opts.model_name}_export_csv",
        )
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if request.user.has_perm(self.export_permission):
            opts = self.model._meta
            query = request.GET.urlencode()
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export_csv")
            extra_context["export_url"] = url + (f"?{query}" if query else "")
        return super().changelist_view(request, extra_context)

    def export_csv(self, request):
        if not request.user.has_perm(self.export_permission):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest("That list's filters could not be read. Go back to the list and try again.")
        rows = list(self.export_rows(changelist.get_queryset(request)))
        StaffView.objects.create(user=request.user, kind=self.export_kind, rows=len(rows))
        response = HttpResponse(csv_text(self.export_header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.export_name}-{timezone.localdate():%Y-%m-%d}.csv"'
        )
        response["Cache-Control"] = "no-store"
        return response

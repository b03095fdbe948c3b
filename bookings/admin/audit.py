"""The audit trail in the admin: each booking's, patient's and schedule's change history (who,
when, old and new values: django-simple-history, read-only), and the log of which records staff
opened, for practice managers."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

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
    list_display = ["at", "user", "kind", "record"]
    list_filter = ["kind", "user"]
    date_hierarchy = "at"
    search_fields = ["object_id"]
    list_select_related = ["user"]

    @admin.display(description="Record")
    def record(self, obj):
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

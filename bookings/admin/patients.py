"""Patients in the admin, each with their bookings."""

from django.contrib import admin

from bookings.admin.forms import PatientAdminForm
from bookings.admin.outbox import emails_table
from bookings.models import Booking, OutboxEmail, Patient, Recipient


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
class PatientAdmin(admin.ModelAdmin):
    form = PatientAdminForm
    list_display = ["family_name", "given_name", "email", "phone", "is_returning", "created_at"]
    search_fields = ["given_name", "family_name", "email", "phone"]
    list_filter = ["is_returning"]
    readonly_fields = ["created_at", "updated_at", "emails"]
    inlines = [BookingInline]

    @admin.display(description="Emails to this patient")
    def emails(self, obj):
        sent = OutboxEmail.objects.filter(booking__patient=obj, recipient=Recipient.PATIENT)
        return emails_table(sent.select_related("booking__location")[:50], with_booking=True)

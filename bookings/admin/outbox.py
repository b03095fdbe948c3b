"""Emails in the admin: every email a booking caused, its state and why it failed, and a way to
send one again. The list opens on every email; "Failed" is one click away."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from bookings import outbox
from bookings.models import OutboxEmail
from bookings.wording import staff_time

EMAIL_COLUMNS = ["kind", "recipient", "state", "attempts", "next_attempt_at", "sent_at", "last_error"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "booking_link", *EMAIL_COLUMNS]
    list_filter = ["state", "kind", "recipient"]
    list_select_related = ["booking"]
    search_fields = ["booking__reference"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = ["booking_link", *EMAIL_COLUMNS, "to_address", "message_id", "for_start", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Booking", ordering="booking__reference")
    def booking_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:bookings_booking_change", args=[obj.booking_id]),
            obj.booking.reference,
        )

    @admin.action(description="Send the selected emails again", permissions=["view"])
    def send_again(self, request, queryset):
        sent = sum(outbox.resend(email) for email in queryset)
        if sent:
            self.message_user(request, f"{sent} email(s) will be sent again in a moment.", messages.SUCCESS)
        if skipped := len(queryset) - sent:
            self.message_user(request, f"{skipped} email(s) are already waiting to be sent.", messages.WARNING)


def emails_table(emails, *, with_booking: bool) -> str:
    """Emails as a small table for a booking or patient page, newest first (`emails` read with
    their booking's location)."""
    emails = list(emails)
    if not emails:
        return "None yet."
    rows = format_html_join(
        "",
        "<tr><td><a href='{}'>{}</a></td>{}<td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                reverse("admin:bookings_outboxemail_change", args=[email.pk]),
                email.get_kind_display(),
                format_html("<td>{}</td>", email.booking.reference) if with_booking else "",
                email.get_state_display(),
                email.attempts,
                staff_time(email.sent_at, email.booking.location.zone) if email.sent_at else email.last_error or "-",
            )
            for email in emails
        ),
    )
    booking_heading = format_html("<th scope='col'>{}</th>", "Booking") if with_booking else ""
    return format_html(
        "<table><thead><tr><th scope='col'>Email</th>{}<th scope='col'>State</th><th scope='col'>Attempts</th>"
        "<th scope='col'>Sent (clinic time), or why not</th></tr></thead><tbody>{}</tbody></table>",
        booking_heading,
        rows,
    )

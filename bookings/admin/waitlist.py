"""The waitlist in the admin: who is waiting for what, what they were offered, and a way to take
someone off it."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join

from bookings.models import WaitlistEntry, WaitlistState
from bookings.wording import staff_time


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "service", "practitioner", "earliest", "latest", "state", "name", "email"]
    list_filter = ["state", "service", "practitioner"]
    list_select_related = ["service", "practitioner"]
    search_fields = ["name", "email"]
    fields = [
        "service",
        "practitioner",
        "location",
        "earliest",
        "latest",
        "name",
        "email",
        "state",
        "privacy_notice_version",
        "privacy_accepted_at",
        "offers_made",
        "created_at",
    ]
    readonly_fields = ["privacy_notice_version", "privacy_accepted_at", "offers_made", "created_at"]
    actions = ["take_off_waitlist"]

    def has_add_permission(self, request):
        return False  # patients join from the times page, with their consent recorded

    @admin.display(description="Times offered")
    def offers_made(self, obj):
        offers = list(obj.offers.select_related("practitioner"))
        if not offers:
            return "None yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} with {}: {}</li>",
                (
                    (staff_time(offer.start, obj.location.zone), offer.practitioner, offer.get_state_display())
                    for offer in offers
                ),
            ),
        )

    @admin.action(description="Take the selected patients off the waitlist")
    def take_off_waitlist(self, request, queryset):
        count = queryset.filter(state=WaitlistState.WAITING).update(state=WaitlistState.LEFT)
        self.message_user(request, f"{count} patient(s) taken off the waitlist.", messages.SUCCESS)

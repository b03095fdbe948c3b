"""The email outbox: every email a booking change causes is a row here, written in the same
transaction as the change, and sent afterwards by the task worker (`bookings.outbox`)."""

from django.db import models
from django.utils import timezone

from bookings.models.booking import Booking
from bookings.models.schedule import Practitioner
from bookings.models.waitlist import WaitlistEntry, WaitlistOffer


class EmailKind(models.TextChoices):
    BOOKED = "booked", "Booking confirmed"
    REQUESTED = "requested", "Booking request received"
    CONFIRMED = "confirmed", "Booking request confirmed"
    RESCHEDULED = "rescheduled", "Booking moved"
    CANCELLED = "cancelled", "Booking cancelled"
    REMINDER = "reminder", "Reminder"
    MORNING_REMINDER = "morning_reminder", "Reminder on the morning"
    NEW_LINK = "new_link", "New private link"
    CLINIC_NEW = "clinic_new", "Clinic notice: new online booking"
    CLINIC_RESCHEDULED = "clinic_rescheduled", "Clinic notice: moved online"
    CLINIC_CANCELLED = "clinic_cancelled", "Clinic notice: cancelled online"
    WAITLIST_JOINED = "waitlist_joined", "On the waitlist"
    WAITLIST_OFFER = "waitlist_offer", "Waitlist: a time has opened"


REMINDER_KINDS = (EmailKind.REMINDER, EmailKind.MORNING_REMINDER)
# What a patient is told about their booking as it stands: a newer one of these replaces one
# not yet sent, so a patient whose email was held up gets the booking as it is now, once.
BOOKING_NEWS_KINDS = (
    EmailKind.BOOKED,
    EmailKind.REQUESTED,
    EmailKind.CONFIRMED,
    EmailKind.RESCHEDULED,
    EmailKind.CANCELLED,
)


class Recipient(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINIC = "clinic", "Clinic"


class EmailState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Not needed any more"


class OutboxEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state__in=(EmailState.QUEUED, EmailState.SENDING))


class OutboxEmail(models.Model):
    # About a booking, or (for the waitlist's emails) a waitlist entry and the time offered.
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="emails")
    waitlist_entry = models.ForeignKey(
        WaitlistEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    waitlist_offer = models.ForeignKey(
        WaitlistOffer, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    kind = models.CharField(max_length=20, choices=EmailKind)
    recipient = models.CharField(max_length=10, choices=Recipient, default=Recipient.PATIENT)
    state = models.CharField(max_length=10, choices=EmailState, default=EmailState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField("next attempt", default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True, help_text="When its task was last queued.")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker began sending it.")
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True, help_text="The kind of error, never its details.")
    to_address = models.EmailField("sent to", blank=True)
    message_id = models.CharField(max_length=200, unique=True, editable=False)
    # A reminder is for one appointment time; a move makes a new one for the new time.
    for_start = models.DateTimeField(null=True, blank=True)
    # For "moved" emails: where the booking was.
    previous_start = models.DateTimeField(null=True, blank=True)
    previous_practitioner = models.ForeignKey(
        Practitioner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_patient = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "email"
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [
            # Never two reminders for one appointment time, whichever worker or change asks.
            models.UniqueConstraint(
                fields=["booking", "kind", "for_start"],
                condition=models.Q(kind__in=REMINDER_KINDS) & ~models.Q(state=EmailState.CANCELLED),
                name="one_reminder_per_appointment_time",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} email {self.pk}"

"""Patients and their bookings."""

import secrets

from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from bookings.models.clinic import Location
from bookings.models.constraints import ends_after
from bookings.models.history import audited_history
from bookings.models.schedule import Practitioner, Service

REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY346789"  # no look-alikes such as 0/O, 1/I, 5/S, 2/Z, B/8
REFERENCE_LENGTH = 8


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class PatientQuerySet(models.QuerySet):
    def same_person(self, *, given_name: str, family_name: str, email: str):
        """Records of this person: the same names and email, ignoring case and spaces."""
        return self.filter(
            given_name__iexact=given_name.strip(), family_name__iexact=family_name.strip(), email__iexact=email.strip()
        )


class Patient(models.Model):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = PhoneNumberField("mobile phone")
    date_of_birth = models.DateField(null=True, blank=True)
    is_returning = models.BooleanField("has visited before", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["email"])]
        permissions = [("export_patient", "Can download everything held about a patient")]

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    def identity(self) -> dict:
        return {"given_name": self.given_name, "family_name": self.family_name, "email": self.email}


class BookingStatus(models.TextChoices):
    """A booking's life: a request waits for staff to confirm it; a confirmed booking is later
    completed or marked did not attend; either may be cancelled before then."""

    REQUESTED = "requested", "Requested"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"
    NO_SHOW = "no_show", "Did not attend"


# Bookings in these states hold their practitioner's time.
ACTIVE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)


class BookingChannel(models.TextChoices):
    ONLINE = "online", "Online"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def upcoming(self):
        return self.active().filter(start__gte=timezone.now())

    def overlapping(self, *, practitioner_id, start, blocked_until):
        return self.active().filter(practitioner_id=practitioner_id, start__lt=blocked_until, blocked_until__gt=start)


class Booking(models.Model):
    reference = models.CharField(max_length=REFERENCE_LENGTH, unique=True, default=new_reference, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="bookings")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    blocked_until = models.DateTimeField(help_text="End plus the service's clean-up buffer.", editable=False)
    status = models.CharField(max_length=10, choices=BookingStatus, default=BookingStatus.CONFIRMED)
    concern = models.ForeignKey(
        "conditions.Condition", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concern_text = models.CharField("concern (in the patient's words)", max_length=500, blank=True)
    notes = models.TextField(max_length=2000, blank=True)
    cancellation_reason = models.CharField(
        "why it was cancelled",
        max_length=300,
        blank=True,
        help_text="For the clinic's records; not sent to the patient.",
    )
    channel = models.CharField(max_length=10, choices=BookingChannel, default=BookingChannel.ONLINE)
    privacy_notice_version = models.CharField(max_length=20, blank=True)
    privacy_accepted_at = models.DateTimeField(null=True, blank=True)
    # What the patient typed on the public form. A public form never changes a patient record:
    # staff compare these with the record and copy them over when they are right.
    submitted_phone = PhoneNumberField("phone given", blank=True)
    submitted_date_of_birth = models.DateField("date of birth given", null=True, blank=True)
    submitted_is_returning = models.BooleanField("said they had visited before", null=True, blank=True)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # A hash of the secret half of the form's key, which only the session that filled the form
    # holds: a second press of Confirm in that session gets this booking back, a replay of the
    # key (it is in the review page's address) from anywhere else does not.
    idempotency_secret_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Raised each time the appointment changes, so calendar apps replace the event they hold.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    # Raised when staff send the patient a new private link: links made before stop working.
    link_version = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()
    # The form key's secret half stays out of the audit history.
    history = audited_history(excluded_fields=["idempotency_key", "idempotency_secret_hash"])

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["practitioner", "start"]),
            models.Index(fields=["status", "start"]),
            models.Index(fields=["start"]),  # the booking list and the calendar, in time order
        ]
        permissions = [("export_bookings", "Can export the booking list")]
        constraints = [
            ends_after("start", "end", name="booking_end_after_start"),
            ends_after("end", "blocked_until", name="booking_blocked_until_after_end", or_equal=True),
        ]

    def __str__(self):
        # Its own field only: lists of bookings must not load a row for each one's name.
        return f"Booking {self.reference}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

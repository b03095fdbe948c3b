"""The waitlist: patients who would take an earlier time if one opened, and the freed times
offered to them."""

from django.db import models

from bookings.models.clinic import Location
from bookings.models.constraints import ends_after
from bookings.models.schedule import Practitioner, Service


class WaitlistState(models.TextChoices):
    WAITING = "waiting", "Waiting"
    BOOKED = "booked", "Booked"
    LEFT = "left", "Left the waitlist"
    ENDED = "ended", "Dates passed"


class WaitlistEntry(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="waitlist")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="waitlist")
    practitioner = models.ForeignKey(
        Practitioner,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="waitlist",
        help_text="Blank: anyone.",
    )
    earliest = models.DateField("from")
    latest = models.DateField("until", help_text="The last day the patient could come (inclusive).")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    privacy_notice_version = models.CharField(max_length=20)
    privacy_accepted_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=WaitlistState, default=WaitlistState.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "waitlist entry"
        verbose_name_plural = "waitlist"
        constraints = [
            ends_after(
                "earliest", "latest", name="waitlist_range", message="'Until' cannot be before 'from'.", or_equal=True
            )
        ]
        indexes = [models.Index(fields=["state", "location", "earliest"])]

    def __str__(self):
        return f"Waitlist entry {self.pk}"


class OfferState(models.TextChoices):
    OPEN = "open", "Offered"
    TAKEN = "taken", "Booked"
    GONE = "gone", "Taken by someone else"


class WaitlistOffer(models.Model):
    """A freed time offered by email to one waiting patient; a few may be offered the same time,
    and the first to book it gets it."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    state = models.CharField(max_length=10, choices=OfferState, default=OfferState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Offer {self.pk}"

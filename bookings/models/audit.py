"""Who on the staff opened which patient's record or booking page, and when: the Privacy Act's
question "who has looked at my record?" answered. Changes themselves are in each model's
history (django-simple-history). This log holds no patient detail beyond the record's number."""

from django.conf import settings
from django.db import models


class StaffViewKind(models.TextChoices):
    BOOKING = "booking", "Booking page"
    PATIENT = "patient", "Patient record"
    EXPORT = "export", "Patient data download"
    BOOKING_LIST = "bookings", "Booking list download (CSV)"
    PATIENT_LIST = "patients", "Patient list download (CSV)"


class StaffView(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=StaffViewKind)
    object_id = models.PositiveBigIntegerField("record number", null=True, blank=True)
    rows = models.PositiveIntegerField("rows downloaded", null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "record viewed by staff"
        verbose_name_plural = "records viewed by staff"
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id}"

"""A practitioner's photo, in the sizes and formats pages offer (see bookings/photos.py). Kept in
the database, so every app server serves the same files and the backup holds them."""

from django.db import models
from django.urls import reverse

from bookings.models.schedule import Practitioner


class PhotoFormat(models.TextChoices):
    WEBP = "webp", "WebP"
    JPEG = "jpeg", "JPEG"


class PractitionerPhoto(models.Model):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="photos")
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=4, choices=PhotoFormat)
    digest = models.CharField(max_length=64, unique=True, help_text="Of the file: its address changes with it.")
    data = models.BinaryField()

    class Meta:
        ordering = ["format", "width"]

    def __str__(self):
        return f"{self.practitioner} {self.width}px {self.format}"

    def get_absolute_url(self):
        return reverse("bookings:team_photo", kwargs={"digest": self.digest, "extension": self.format})

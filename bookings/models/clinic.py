"""The clinic: where it is, how to reach it, its time zone and opening hours."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField

from bookings.models.constraints import ends_after
from bookings.models.history import audited_history
from bookings.models.querysets import ActiveQuerySet


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError("%(value)s is not a time zone name such as Australia/Sydney.", params={"value": value})


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class AustralianState(models.TextChoices):
    ACT = "ACT", "Australian Capital Territory"
    NSW = "NSW", "New South Wales"
    NT = "NT", "Northern Territory"
    QLD = "QLD", "Queensland"
    SA = "SA", "South Australia"
    TAS = "TAS", "Tasmania"
    VIC = "VIC", "Victoria"
    WA = "WA", "Western Australia"


class Hicaps(models.TextChoices):
    UNKNOWN = "", "Not said (patients are asked to ask)"
    YES = "yes", "Yes: patients claim from their fund on the spot"
    NO = "no", "No: patients claim from their fund afterwards, with our receipt"


class Location(models.Model):
    """A clinic: the one source of the clinic details shown anywhere on the site."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    street_address = models.CharField(max_length=200)
    suburb = models.CharField(max_length=100)
    state = models.CharField(
        max_length=3, choices=AustralianState, help_text="Sets which public holidays close the clinic."
    )
    postcode = models.CharField(max_length=4)
    phone = PhoneNumberField()
    email = models.EmailField()
    parking = models.TextField(
        blank=True, help_text="Where patients can park, or how to arrive by public transport. Shown in emails."
    )
    directions = models.TextField(blank=True, help_text="How to find the entrance. Markdown is not used: plain text.")
    public_transport = models.TextField(blank=True, help_text="The nearest stations and bus stops.")
    accessibility = models.TextField(
        blank=True,
        help_text="Steps, lifts, ramps, accessible toilets and parking: what a person with limited mobility needs.",
    )
    hicaps = models.CharField("HICAPS", max_length=3, choices=Hicaps, blank=True, default=Hicaps.UNKNOWN)
    payment_methods = models.CharField(
        max_length=200, blank=True, help_text="For example: EFTPOS, Visa, Mastercard and cash. Left blank: 'Ask us'."
    )
    time_zone = models.CharField(max_length=64, default="Australia/Sydney", validators=[validate_time_zone])
    position = models.PositiveSmallIntegerField(default=0, help_text="The first location is the main clinic.")
    active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def address_one_line(self) -> str:
        return f"{self.street_address}, {self.suburb} {self.state} {self.postcode}"


class OpeningHours(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            ends_after(
                "opens",
                "closes",
                name="opening_hours_close_after_open",
                message="Closing time must be after opening time.",
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

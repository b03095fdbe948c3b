import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from conditions.markdown import render_markdown


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


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError("%(value)s is not a time zone name such as Australia/Sydney.", params={"value": value})


class LocationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


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
    time_zone = models.CharField(max_length=64, default="Australia/Sydney", validators=[validate_time_zone])
    position = models.PositiveSmallIntegerField(default=0, help_text="The first location is the main clinic.")
    active = models.BooleanField(default=True)

    objects = LocationQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="opening_hours_close_after_open",
                violation_error_message="Closing time must be after opening time.",
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ConfirmationMode(models.TextChoices):
    INSTANT = "instant", "Confirmed at once"
    REQUEST = "request", "Request that staff confirm"


class ServiceQuerySet(models.QuerySet):
    def bookable_online(self):
        return self.filter(active=True, bookable_online=True)


class Service(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    buffer_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Clean-up time kept free after each appointment."
    )
    price = models.DecimalField(
        "price (AUD)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave blank to not show a price.",
    )
    bookable_online = models.BooleanField(default=True, help_text="Untick for services booked by phone only.")
    new_patient_only = models.BooleanField(default=False)
    confirmation = models.CharField(max_length=10, choices=ConfirmationMode, default=ConfirmationMode.INSTANT)
    treatment = models.ForeignKey(
        "conditions.Treatment", null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(duration_minutes__gt=0), name="service_duration_positive"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)


class PractitionerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Practitioner(models.Model):
    name = models.CharField(max_length=120)
    profession = models.CharField(max_length=120, default="Podiatrist")
    bio = models.TextField(blank=True)
    services = models.ManyToManyField(Service, related_name="practitioners", blank=True)
    locations = models.ManyToManyField(Location, related_name="practitioners", blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    active = models.BooleanField(default=True)
    is_demo = models.BooleanField(default=False, help_text="Demo data, removed by `manage.py remove_demo_data`.")

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkingHours(models.Model):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="working_hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    start = models.TimeField()
    end = models.TimeField()
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True, help_text="Last day these hours apply (inclusive).")

    class Meta:
        ordering = ["practitioner", "weekday", "start"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="working_hours_end_after_start",
                violation_error_message="End time must be after start time.",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_from__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="working_hours_effective_range",
                violation_error_message="'Effective to' must not be before 'effective from'.",
            ),
        ]

    def __str__(self):
        return f"{self.practitioner}: {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class TimeOff(models.Model):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="time_off")
    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="time_off_end_after_start",
                violation_error_message="End must be after start.",
            )
        ]

    def __str__(self):
        # In the clinic's time (the site's time zone), as staff entered it.
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{self.practitioner}: {start:%d %b %Y %H:%M} to {end:%d %b %Y %H:%M}"


class ClinicClosure(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField()
    end_date = models.DateField(help_text="Last closed day (inclusive).")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="closure_end_not_before_start",
                violation_error_message="The last closed day cannot be before the first.",
            )
        ]

    def __str__(self):
        return f"{self.location}: closed {self.start_date:%d %b %Y} to {self.end_date:%d %b %Y}"


class PublicHolidayOpening(models.Model):
    """Public holidays in the location's state close it automatically, unless opened here."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="holiday_openings")
    date = models.DateField()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["location", "date"], name="unique_holiday_opening")]

    def __str__(self):
        return f"{self.location}: open on {self.date:%d %b %Y}"


class BookingRules(models.Model):
    """The clinic's booking rules: one row, edited in the admin."""

    slot_minutes = models.PositiveSmallIntegerField(default=15, help_text="Start times are offered on this grid.")
    min_notice_minutes = models.PositiveIntegerField(
        default=120, help_text="How soon before a start time patients may book."
    )
    max_days_ahead = models.PositiveSmallIntegerField(default=90, help_text="How far ahead patients may book.")
    cancellation_notice_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Patients may cancel or reschedule online up to this many hours before."
    )

    class Meta:
        verbose_name = verbose_name_plural = "booking rules"
        constraints = [
            models.CheckConstraint(condition=models.Q(slot_minutes__gte=5), name="booking_rules_slot_at_least_5"),
        ]

    def __str__(self):
        return "Booking rules"

    @classmethod
    def current(cls) -> "BookingRules":
        rules = cls.objects.order_by("pk").first()
        return rules if rules is not None else cls()


class Patient(models.Model):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = PhoneNumberField("mobile phone")
    date_of_birth = models.DateField(null=True, blank=True)
    is_returning = models.BooleanField("has visited before", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self):
        return f"{self.given_name} {self.family_name}"


class BookingStatus(models.TextChoices):
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


REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY346789"  # no look-alikes such as 0/O, 1/I, 5/S, 2/Z, B/8
REFERENCE_LENGTH = 8


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


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
    channel = models.CharField(max_length=10, choices=BookingChannel, default=BookingChannel.ONLINE)
    privacy_notice_version = models.CharField(max_length=20, blank=True)
    privacy_accepted_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["practitioner", "start"]), models.Index(fields=["status", "start"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="booking_end_after_start"),
            models.CheckConstraint(
                condition=models.Q(blocked_until__gte=models.F("end")), name="booking_blocked_until_after_end"
            ),
        ]

    def __str__(self):
        local_start = timezone.localtime(self.start, self.location.zone)
        return f"{self.reference}: {self.service} on {local_start:%a %d %b %Y %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

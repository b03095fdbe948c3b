"""What can be booked, with whom and when: services, practitioners, hours, time off,
closures, public holiday openings and the clinic's booking rules."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from bookings.models.clinic import Location, Weekday
from bookings.models.constraints import ends_after
from bookings.models.history import audited_history
from bookings.models.querysets import ActiveQuerySet
from conditions.markdown import RendersMarkdown
from conditions.registration import ahpra_number_validator


class ConfirmationMode(models.TextChoices):
    INSTANT = "instant", "Confirmed at once"
    REQUEST = "request", "Request that staff confirm"


class ServiceQuerySet(models.QuerySet):
    def bookable_online(self):
        return self.filter(active=True, bookable_online=True)


# The longest appointment and clean-up a service may have: the free-times query reads only the
# bookings that start less than their sum before the range, through the start index.
MAX_DURATION_MINUTES = 12 * 60
MAX_BUFFER_MINUTES = 4 * 60
LONGEST_BLOCK = timedelta(minutes=MAX_DURATION_MINUTES + MAX_BUFFER_MINUTES)


class Service(RendersMarkdown):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_BUFFER_MINUTES)],
        help_text="Clean-up time kept free after each appointment (up to 4 hours).",
    )
    what_to_bring = models.CharField(
        max_length=300,
        blank=True,
        help_text="A sentence for the booking emails, e.g. 'Please bring the shoes you wear most.' "
        "Left blank, the emails give general advice.",
    )
    price = models.DecimalField(
        "price (AUD)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave blank until the fee is set: patients then see 'Ask us'.",
    )
    price_from = models.BooleanField(
        "the price is a starting price", default=False, help_text="Shown as 'from $…' (for example when it varies)."
    )
    included = models.CharField(
        "what the fee includes", max_length=300, blank=True, help_text="For example: the assessment and a written plan."
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
    markdown_fields = {"description": "description_html"}

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(duration_minutes__gt=0), name="service_duration_positive"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__lte=MAX_DURATION_MINUTES), name="service_duration_at_most_12_hours"
            ),
            models.CheckConstraint(
                condition=models.Q(buffer_minutes__lte=MAX_BUFFER_MINUTES), name="service_buffer_at_most_4_hours"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)


class PractitionerQuerySet(ActiveQuerySet):
    def offering(self, service, location):
        """Active practitioners who offer this service at this clinic."""
        return self.active().filter(services=service, locations=location)

    def with_photos(self):
        """With their photos' sizes and addresses (not the files themselves)."""
        photos = self.model._meta.get_field("photos").related_model  # bookings.models.team, which imports this
        return self.prefetch_related(models.Prefetch("photos", queryset=photos.objects.defer("data")))


class Practitioner(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, help_text="The address of their page: /team/<slug>/.")
    profession = models.CharField(max_length=120, default="Podiatrist")
    qualifications = models.CharField(max_length=200, blank=True, help_text="For example: Bachelor of Podiatry.")
    summary = models.CharField(
        max_length=200, blank=True, help_text="One sentence for the team list and the booking step."
    )
    bio = models.TextField(blank=True, help_text="A few short paragraphs in plain language.")
    interests = models.CharField(
        max_length=300, blank=True, help_text="For example: running injuries, children's feet."
    )
    languages = models.CharField(max_length=200, blank=True, help_text="The languages they consult in.")
    ahpra_number = models.CharField(
        "AHPRA registration number",
        max_length=13,
        blank=True,
        validators=[ahpra_number_validator],
        help_text="For example POD0001234567. Linked to the public register.",
    )
    photo_alt = models.CharField(
        "photo description",
        max_length=200,
        blank=True,
        help_text="What the photo shows, for people who cannot see it, e.g. 'Sam smiling, in the clinic'.",
    )
    services = models.ManyToManyField(Service, related_name="practitioners", blank=True)
    locations = models.ManyToManyField(Location, related_name="practitioners", blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    active = models.BooleanField(default=True)
    is_demo = models.BooleanField(default=False, help_text="Demo data, removed by `manage.py remove_demo_data`.")

    objects = PractitionerQuerySet.as_manager()
    history = audited_history()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The admin fills the slug in from the name as staff type; the loaders and shells may not.
        if not self.slug:
            base = slugify(self.name) or "practitioner"
            taken = set(Practitioner.objects.filter(slug__startswith=base).values_list("slug", flat=True))
            self.slug = next(
                slug for n in range(1, len(taken) + 2) if (slug := base if n == 1 else f"{base}-{n}") not in taken
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bookings:team_member", kwargs={"slug": self.slug})


class WorkingHoursQuerySet(models.QuerySet):
    def rows_between(self, first, last):
        """The ranges in effect on any day from `first` to `last`, as `slot_grid.Hours` reads them."""
        return self.filter(
            models.Q(effective_from__isnull=True) | models.Q(effective_from__lte=last),
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=first),
        ).values_list("practitioner_id", "weekday", "start", "end", "effective_from", "effective_to")


class WorkingHours(models.Model):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="working_hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    start = models.TimeField()
    end = models.TimeField()
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True, help_text="Last day these hours apply (inclusive).")

    history = audited_history()

    objects = WorkingHoursQuerySet.as_manager()

    class Meta:
        ordering = ["practitioner", "weekday", "start"]
        verbose_name_plural = "working hours"
        constraints = [
            ends_after(
                "start", "end", name="working_hours_end_after_start", message="End time must be after start time."
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

    history = audited_history()

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "time off"
        constraints = [ends_after("start", "end", name="time_off_end_after_start", message="End must be after start.")]

    def __str__(self):
        # In the clinic's time (the site's time zone), as staff entered it.
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{self.practitioner}: {start:%d %b %Y %H:%M} to {end:%d %b %Y %H:%M}"


class ClinicClosure(models.Model):
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField()
    end_date = models.DateField(help_text="Last closed day (inclusive).")
    reason = models.CharField(max_length=200, blank=True)

    history = audited_history()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            ends_after(
                "start_date",
                "end_date",
                name="closure_end_not_before_start",
                message="The last closed day cannot be before the first.",
                or_equal=True,
            )
        ]

    def __str__(self):
        return f"{self.location}: closed {self.start_date:%d %b %Y} to {self.end_date:%d %b %Y}"


class PublicHolidayOpening(models.Model):
    """Public holidays in the location's state close it automatically, unless opened here."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="holiday_openings")
    date = models.DateField()

    history = audited_history()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["location", "date"], name="unique_holiday_opening")]

    def __str__(self):
        return f"{self.location}: open on {self.date:%d %b %Y}"

"""The clinic's booking rules: one row, edited in the admin, read once by each worker."""

from datetime import timedelta

from django.db import models

from bookings.models.history import audited_history
from soletherapy.page_cache import content_generation
from soletherapy.worker_pages import PerGeneration


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
    reminder_hours = models.PositiveSmallIntegerField(
        default=48, help_text="A reminder email goes this many hours before each appointment (0: no reminder)."
    )
    morning_reminder = models.BooleanField(
        default=False, help_text="Also send a short reminder at 7 am on the day of the appointment."
    )
    late_arrival_policy = models.TextField(
        blank=True, help_text="What happens when a patient arrives late. Shown on the fees page; blank: not shown."
    )
    missed_appointment_policy = models.TextField(
        blank=True, help_text="Any fee for a missed appointment or late cancellation. Blank: not shown."
    )

    history = audited_history()

    class Meta:
        verbose_name = verbose_name_plural = "booking rules"
        constraints = [
            models.CheckConstraint(condition=models.Q(slot_minutes__gte=5), name="booking_rules_slot_at_least_5"),
        ]

    def __str__(self):
        return "Booking rules"

    @classmethod
    def current(cls) -> "BookingRules":
        """The rules, read once by each worker while nothing changes them (any save bumps the
        content generation they are kept under: BookingsConfig.ready). Not to be changed in place."""
        return _kept_rules.get(cls._read)

    @classmethod
    def _read(cls) -> "BookingRules":
        rules = cls.objects.order_by("pk").first()
        return rules if rules is not None else cls()

    @staticmethod
    def forget_kept() -> None:
        _kept_rules.forget()

    def too_late_to_change_online(self, start, now) -> bool:
        """Inside the cancellation notice, patients must phone to change or cancel."""
        return start - now < timedelta(hours=self.cancellation_notice_hours)


_kept_rules = PerGeneration(content_generation)

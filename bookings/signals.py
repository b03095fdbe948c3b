"""Cache upkeep: the clinic's details and services appear on cached public pages, and the
schedule decides the cached week of free times. Any change drops what it affects when it
commits (admin edits, services, commands and shell sessions alike)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from bookings.free_times_cache import schedule_generation
from bookings.models import (
    Booking,
    BookingRules,
    ClinicClosure,
    Location,
    OpeningHours,
    Practitioner,
    PublicHolidayOpening,
    Service,
    TimeOff,
    WorkingHours,
)
from soletherapy.page_cache import invalidate_pages

PUBLIC_MODELS = (Location, OpeningHours, Service)
SCHEDULE_MODELS = (
    Booking,
    BookingRules,
    ClinicClosure,
    Location,
    Practitioner,
    PublicHolidayOpening,
    Service,
    TimeOff,
    WorkingHours,
)


@receiver(post_save)
@receiver(post_delete)
def drop_cached_pages(sender, **kwargs):
    if sender in PUBLIC_MODELS:
        invalidate_pages()
    if sender in SCHEDULE_MODELS:
        schedule_generation.bump()


@receiver(m2m_changed, sender=Practitioner.services.through)
@receiver(m2m_changed, sender=Practitioner.locations.through)
def drop_cached_free_times(sender, action, **kwargs):
    if action.startswith("post_"):
        schedule_generation.bump()

"""The clinic's details and services appear on cached public pages: drop them on change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from bookings.models import Location, OpeningHours, Service
from soletherapy.page_cache import invalidate_pages

PUBLIC_MODELS = (Location, OpeningHours, Service)


@receiver(post_save)
@receiver(post_delete)
def drop_cached_pages(sender, **kwargs):
    if sender in PUBLIC_MODELS:
        invalidate_pages()

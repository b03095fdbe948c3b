"""Cached pages show clinic content, so any content change drops them at once.

This is cache upkeep, not business logic: it must also run for admin edits, revision restores
and the content loader, which all save through the ORM.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from conditions.models import BodyArea, Condition, ConditionSection, Treatment, TreatmentSection
from soletherapy.page_cache import invalidate_pages

CONTENT_MODELS = (BodyArea, Condition, ConditionSection, Treatment, TreatmentSection)


@receiver(post_save)
@receiver(post_delete)
def drop_cached_pages(sender, **kwargs):
    if sender in CONTENT_MODELS:
        invalidate_pages()


@receiver(m2m_changed, sender=Condition.treatments.through)
@receiver(m2m_changed, sender=Condition.related.through)
def drop_cached_pages_on_links(sender, action, **kwargs):
    if action.startswith("post_"):
        invalidate_pages()

"""`check --deploy` warns when published health pages have never been reviewed by a named,
registered clinician, or are overdue for review: the site may go live, but someone should know."""

from django.core.checks import Warning, register
from django.db import DatabaseError


@register(deploy=True)
def health_pages_reviewed(app_configs=None, databases=None, **kwargs):
    from django.conf import settings

    from conditions.models import Condition, Treatment

    if settings.DEBUG:
        return []
    found = []
    try:
        for model in (Condition, Treatment):
            published = model.objects.published()
            never = list(published.never_reviewed().values_list("title", flat=True))
            overdue = list(published.review_overdue().values_list("title", flat=True))
            plural = model._meta.verbose_name_plural
            if never:
                found.append(
                    Warning(
                        f"{len(never)} published {plural} never reviewed by a named clinician: {', '.join(never)}.",
                        hint="When a registered practitioner has checked each page, enter their name, profession, "
                        "AHPRA number and the date under “Clinical review” in the admin.",
                        id="conditions.W001",
                    )
                )
            if overdue:
                found.append(
                    Warning(
                        f"{len(overdue)} published {plural} overdue for review: {', '.join(overdue)}.",
                        hint="Check each page is still right, then update its clinical review in the admin.",
                        id="conditions.W002",
                    )
                )
    except DatabaseError:
        return []  # no database yet (before migrate): nothing to check
    return found

"""Database checks that several models share."""

from django.db import models


def ends_after(start: str, end: str, *, name: str, message: str = "", or_equal: bool = False):
    """A period's `end` field must come after its `start` field (or equal it, with `or_equal`)."""
    condition = models.Q(**{f"{end}__gte" if or_equal else f"{end}__gt": models.F(start)})
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message or None)

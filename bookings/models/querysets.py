"""Query sets several models share."""

from django.db import models


class ActiveQuerySet(models.QuerySet):
    def active(self):
        """Rows staff have not switched off (an inactive clinic or practitioner keeps its history)."""
        return self.filter(active=True)

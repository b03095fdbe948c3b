from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from conditions.models import Condition, Treatment


class StaticPagesSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "conditions:condition_list",
            "conditions:treatment_list",
            "bookings:team",
            "fees",
            "new_patients",
            "contact",
            "bookings:start",
            "privacy",
            "accessibility",
        ]

    def location(self, item):
        return reverse(item)


class ConditionSitemap(Sitemap):
    def items(self):
        return Condition.objects.published()

    def lastmod(self, obj):
        return obj.updated_at


class TreatmentSitemap(Sitemap):
    def items(self):
        return Treatment.objects.published()

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {"pages": StaticPagesSitemap, "conditions": ConditionSitemap, "treatments": TreatmentSitemap}

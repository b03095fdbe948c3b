from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Conditions and treatments"

    def ready(self):
        from conditions import checks  # noqa: F401  (registers the review check)
        from conditions.models import (
            BodyArea,
            Condition,
            ConditionSection,
            FrequentQuestion,
            InformationPage,
            InformationSection,
            Treatment,
            TreatmentSection,
        )
        from soletherapy.page_cache import content_generation

        # Cached public pages show this content, so any change drops them at once.
        content_generation.watch(
            BodyArea,
            Condition,
            ConditionSection,
            Treatment,
            TreatmentSection,
            InformationPage,
            InformationSection,
            FrequentQuestion,
            Condition.treatments.through,
            Condition.related.through,
        )

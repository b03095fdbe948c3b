from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Conditions and treatments"

    def ready(self):
        from conditions import signals  # noqa: F401

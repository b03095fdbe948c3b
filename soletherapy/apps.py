from django.apps import AppConfig


class SoleTherapyConfig(AppConfig):
    name = "soletherapy"
    verbose_name = "SOLE THERAPY site"

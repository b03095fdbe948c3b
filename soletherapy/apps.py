from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SoleTherapyConfig(AppConfig):
    name = "soletherapy"
    verbose_name = "SOLE THERAPY site"


class StaffAdminConfig(admin_apps.AdminConfig):
    """The admin, as the staff admin site with two-step sign-in (soletherapy/admin_site.py)."""

    default = False  # named in INSTALLED_APPS instead of django.contrib.admin
    default_site = "soletherapy.admin_site.StaffAdminSite"

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from conditions.sitemaps import SITEMAPS
from soletherapy import health, views

handler404 = "soletherapy.views.page_not_found"
handler500 = "soletherapy.views.server_error"


urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("fees/", views.fees, name="fees"),
    path("new-patients/", views.new_patients, name="new_patients"),
    path("contact/", views.contact, name="contact"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("health/", views.health, name="health"),
    path("health/ready/", health.ReadinessView.as_view(), name="health_ready"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
    path("", include("conditions.urls")),
    path("", include("bookings.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

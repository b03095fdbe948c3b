from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from conditions.models import Condition, Treatment


@require_safe
def home(request):
    conditions = Condition.objects.published().select_related("body_area")
    treatments = Treatment.objects.published()
    return render(request, "home.html", {"conditions": conditions, "treatments": treatments})


@require_safe
def privacy(request):
    return render(request, "privacy.html")


@require_safe
def accessibility(request):
    return render(request, "accessibility.html")


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /book/",
        "Disallow: /booking/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
@require_safe
def health(request):
    """For the load balancer: the app is up and its database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: a broken database must not break the error page.
    return HttpResponse(loader.get_template("500.html").render(), status=500)

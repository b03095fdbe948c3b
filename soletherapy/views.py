from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from bookings.models import BookingRules, Service
from bookings.selectors import main_location, upcoming_closed_days
from conditions.models import Condition, InformationPage, Treatment
from soletherapy import structured_data


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


def _information_page(slug: str):
    return get_object_or_404(InformationPage.objects.prefetch_related("sections", "questions"), slug=slug)


@require_safe
def fees(request):
    """The fees staff set beside the page's words: what is claimable, how to pay, the policies."""
    services = Service.objects.filter(active=True).select_related("treatment")
    context = {"page": _information_page("fees"), "services": services, "rules": BookingRules.current()}
    return render(request, "fees.html", context)


@require_safe
def new_patients(request):
    page = _information_page("new-patients")
    faq = structured_data.faq_page([(question.question, question.answer_html) for question in page.questions.all()])
    return render(request, "new_patients.html", {"page": page, "faq_json_ld": structured_data.ld_json_script(faq)})


@require_safe
def contact(request):
    location = main_location()
    today = timezone.localdate(timezone=location.zone) if location else timezone.localdate()
    # The clinic read here is the one the page shows (not read again by the context processor).
    context = {"clinic": location, "closed_days": upcoming_closed_days(location, today=today)}
    return render(request, "contact.html", context)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /book/$",  # the choice of service; the steps after it are private
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

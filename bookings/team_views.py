"""Our team: who patients will see, with their photos, qualifications and registration."""

import re

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bookings.models import Practitioner, PractitionerPhoto, WorkingHours
from bookings.wording import working_days
from conditions.registration import AHPRA_REGISTER

_DIGEST = re.compile(r"[0-9a-f]{40}")


def team_queryset():
    """Active practitioners with their photos and current hours; demo ones only on a laptop."""
    today = timezone.localdate()
    current = WorkingHours.objects.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
    practitioners = (
        Practitioner.objects.active()
        .with_photos()
        .prefetch_related(Prefetch("working_hours", queryset=current.order_by("weekday")))
    )
    return practitioners if settings.DEBUG else practitioners.filter(is_demo=False)


def _profile(practitioner) -> dict:
    photos = list(practitioner.photos.all())
    return {
        "practitioner": practitioner,
        "webp": [photo for photo in photos if photo.format == "webp"],
        "jpeg": [photo for photo in photos if photo.format == "jpeg"],
        "days": working_days(practitioner.working_hours.all()),
    }


@require_safe
def team(request):
    profiles = [_profile(practitioner) for practitioner in team_queryset()]
    return render(request, "bookings/team.html", {"profiles": profiles})


@require_safe
def team_member(request, slug):
    profile = _profile(get_object_or_404(team_queryset(), slug=slug))
    return render(request, "bookings/team_member.html", profile | {"ahpra_search": AHPRA_REGISTER})


@require_safe
def team_photo(request, digest, extension):
    if not _DIGEST.fullmatch(digest):  # nothing else is a photo's address (and NUL bytes never reach the database)
        raise Http404
    photo = get_object_or_404(PractitionerPhoto, digest=digest)
    if photo.format != extension:
        raise Http404
    response = HttpResponse(bytes(photo.data), content_type=f"image/{photo.format}")
    # The address changes with the file, so it can be kept for a year.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response

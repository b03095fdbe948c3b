"""The waitlist pages: asking to hear of an earlier time, leaving the waitlist, and the link in
an offer email, which leads into the usual booking steps while the time is still free."""

import logging

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from bookings import links
from bookings.models import Practitioner, WaitlistEntry, WaitlistOffer, WaitlistState
from bookings.patient_forms import WaitlistForm
from bookings.picker import booking_window
from bookings.services import waitlist
from bookings.views import clinic_or_404, private, service_or_404
from bookings.wording import appointment, start_value
from soletherapy.limits import rate_limited

logger = logging.getLogger(__name__)


@private
@require_http_methods(["GET", "POST"])
@rate_limited("waitlist-join", email=lambda request: request.POST.get("email"))
def join(request, service_slug):
    service, location = service_or_404(service_slug), clinic_or_404()
    practitioners = list(Practitioner.objects.offering(service, location))
    first_day, last_day = booking_window(location=location, now=timezone.now())
    chosen = request.GET.get("practitioner", "any")
    form = WaitlistForm(
        request.POST if request.method == "POST" else None,
        initial={"practitioner": chosen if chosen in {str(p.pk) for p in practitioners} else "any"},
        practitioners=practitioners,
        first_day=first_day,
        last_day=last_day,
    )
    context = {"service": service, "clinic": location, "form": form}
    if form.is_bound and not form.is_valid() and form.caught:
        logger.info("Waitlist form refused as automated: %s", form.caught)
    if request.method == "GET" or not form.is_valid():
        return render(request, "bookings/waitlist_join.html", context, status=400 if form.is_bound else 200)
    data = form.cleaned_data
    entry = waitlist.waitlist_join(
        service=service,
        location=location,
        practitioner=data["practitioner"],
        earliest=data["earliest"],
        latest=data["latest"],
        name=data["name"],
        email=data["email"],
        privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
    )
    return render(request, "bookings/waitlist_joined.html", context | {"entry": entry})


@private
@require_http_methods(["GET", "POST"])
def leave(request, entry_id, token):
    if not links.waitlist_token_valid("leave", entry_id, token):
        return render(request, "bookings/link_problem.html", {"clinic": clinic_or_404()}, status=404)
    entry = get_object_or_404(WaitlistEntry.objects.select_related("service", "location"), pk=entry_id)
    if request.method == "POST":
        entry = waitlist.waitlist_leave(entry=entry)
    context = {"entry": entry, "clinic": entry.location, "left": entry.state != WaitlistState.WAITING}
    return render(request, "bookings/waitlist_leave.html", context)


@private
@require_safe
def offer(request, offer_id, token):
    """An offered time still free leads to the details step for it; a time gone says so."""
    if not links.waitlist_token_valid("offer", offer_id, token):
        return render(request, "bookings/link_problem.html", {"clinic": clinic_or_404()}, status=404)
    offer = get_object_or_404(
        WaitlistOffer.objects.select_related("entry__service", "entry__location", "practitioner"), pk=offer_id
    )
    entry = offer.entry
    if waitlist.offer_still_open(offer):
        details = reverse("bookings:details", kwargs={"service_slug": entry.service.slug})
        return redirect(f"{details}?start={start_value(offer.start)}&practitioner={offer.practitioner_id}")
    context = {
        "entry": entry,
        "clinic": entry.location,
        "appointment": appointment(
            service=entry.service, location=entry.location, start=offer.start, practitioner=offer.practitioner
        ),
        "still_waiting": entry.state == WaitlistState.WAITING,
    }
    return render(request, "bookings/waitlist_offer_gone.html", context, status=410)

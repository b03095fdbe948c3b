"""The public booking pages: choose a service, who with and when, give details, review and
confirm.

Every page works without JavaScript and is never cached by browsers or proxies. Patient
details travel only in POST bodies and the session, never in a URL or a log line.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bookings import flow, links, services
from bookings.errors import BookingError, SlotUnavailable
from bookings.forms import DetailsForm
from bookings.free_times_cache import shared_free_times
from bookings.models import Booking, BookingChannel, BookingRules, BookingStatus, Practitioner, Service
from bookings.view_helpers import (
    clinic_or_404,
    concern_from,
    nearest,
    picker_for,
    practitioners_offering,
    private,
    service_or_404,
    slot_form,
)


@private
@require_safe
def start(request):
    offered = list(Service.objects.filter(active=True))
    online = [service for service in offered if service.bookable_online]
    context = {
        "featured": online[0] if online else None,
        "follow_ups": online[1:],
        "phone_only": [service for service in offered if not service.bookable_online],
        "concern": concern_from(request.GET.get("concern")),
    }
    return render(request, "bookings/start.html", context)


@private
@require_safe
def choose_practitioner(request, service_slug):
    service, location = service_or_404(service_slug), clinic_or_404()
    context = {
        "service": service,
        "practitioners": practitioners_offering(service, location),
        "concern": concern_from(request.GET.get("concern")),
        "clinic": location,
    }
    return render(request, "bookings/practitioner.html", context)


@private
@require_safe
@shared_free_times
def times(request, service_slug):
    service, location = service_or_404(service_slug), clinic_or_404()
    practitioners = practitioners_offering(service, location)
    concern = concern_from(request.GET.get("concern"))
    picker, practitioner = picker_for(request, service=service, location=location, practitioners=practitioners)
    carry = {"concern": concern.slug} if concern else {}
    context = {
        "service": service,
        "practitioner": practitioner,
        "picker": picker,
        "zone": flow.zone_label(location),
        "concern": concern,
        "clinic": location,
        "page_state": carry | {"practitioner": practitioner.pk if practitioner else "any"},
        "slot_url": reverse("bookings:details", kwargs={"service_slug": service.slug}),
        "slot_state": carry,
    }
    return render(request, "bookings/times.html", context)


@private
@require_http_methods(["GET", "POST"])
def details(request, service_slug):
    service, location = service_or_404(service_slug), clinic_or_404()
    data = request.POST if request.method == "POST" else request.GET
    if booked := _booked(request, data.get("idempotency_key") or data.get("key")):
        return booked
    practitioners, now = practitioners_offering(service, location), timezone.now()
    concern = concern_from(request.GET.get("concern"))
    slot = slot_form(data, service=service, location=location, practitioners=practitioners, now=now)
    context = {"service": service, "concern": concern, "clinic": location, "slot": slot}
    if not slot.is_valid() and not slot.unavailable:
        return render(request, "bookings/time_problem.html", context | {"invalid": True}, status=400)
    start, practitioner = slot.cleaned_data["start"], slot.cleaned_data["practitioner"]
    context["appointment"] = flow.appointment(
        service=service, location=location, start=start, practitioner=practitioner
    )
    if slot.unavailable:
        context |= {
            "alternatives": nearest(
                service=service, location=location, around=start, practitioners=practitioners, now=now
            ),
            "choice_url": reverse("bookings:details", kwargs={"service_slug": service.slug}),
            "choice_state": {"concern": concern.slug} if concern else {},
        }
    if request.method == "GET" and slot.unavailable:
        return render(request, "bookings/time_problem.html", context)
    if request.method == "GET":
        context["form"] = DetailsForm(initial=_details_initial(request, concern), service=service)
        return render(request, "bookings/details.html", context)

    form = DetailsForm(request.POST, service=service)
    if not (form.is_valid() and slot.is_valid()):
        context["form"] = form
        return render(request, "bookings/details.html", context, status=409 if slot.unavailable else 400)
    key = form.cleaned_data["idempotency_key"]
    draft = form.draft() | {
        "service_id": service.pk,
        "start": flow.start_param(start),
        "practitioner_id": practitioner.pk if practitioner else None,
    }
    flow.draft_save(request.session, key, draft)
    return redirect("bookings:review", key=key)


def _details_initial(request, concern) -> dict:
    """A fresh form, or the patient's answers again when they come back from the review."""
    key = flow.parse_key(request.GET.get("key")) or uuid.uuid4()
    draft = flow.draft_get(request.session, key) or {}
    if "given_name" in draft:
        return DetailsForm.initial_from_draft(draft) | {"idempotency_key": key}
    return {"concern": concern.slug if concern else "", "idempotency_key": key}


def _booked(request, key):
    """Where a key that already made a booking leads: to that booking, never to a second one."""
    key = flow.parse_key(key)
    draft = (flow.draft_get(request.session, key) if key else None) or {}
    booking_id = draft.get("booking_id")
    booking = Booking.objects.filter(pk=booking_id, idempotency_key=key).first() if booking_id else None
    if booking is None:
        return None
    messages.info(request, f"You have already made this booking. Your reference is {booking.reference}.")
    return redirect(links.manage_path(booking))


@private
@require_http_methods(["GET", "POST"])
def review(request, key):
    if booked := _booked(request, key):
        return booked
    draft = flow.draft_get(request.session, key)
    service = Service.objects.bookable_online().filter(pk=(draft or {}).get("service_id")).first()
    if draft is None or service is None:
        return render(request, "bookings/draft_missing.html", status=410)
    location = clinic_or_404()
    practitioners = practitioners_offering(service, location)
    practitioner = (
        Practitioner.objects.filter(pk=draft["practitioner_id"]).first() if draft["practitioner_id"] else None
    )
    concern = concern_from(draft["concern"])
    start, now = flow.parse_start(draft["start"]), timezone.now()
    details_url = reverse("bookings:details", kwargs={"service_slug": service.slug})
    context = {
        "key": key,
        "draft": draft,
        "patient": flow.patient_details(draft),
        "concern": concern,
        "appointment": flow.appointment(service=service, location=location, start=start, practitioner=practitioner),
        "change_url": details_url,
        "change_state": {
            "start": draft["start"],
            "practitioner": draft["practitioner_id"] or "any",
            "key": str(key),
        },
        "clinic": location,
        # Booking inside the change window is fine, but the patient should know before confirming.
        "rules": (rules := BookingRules.current()),
        "inside_change_window": rules.too_late_to_change_online(start, now),
    }
    booking_args = {"service": service, "location": location, "start": start, "practitioner": practitioner}
    if request.method == "GET":
        if not flow.slot_is_free(**booking_args, now=now):
            context["error"] = services.TAKEN_MESSAGE
            context["alternatives"] = nearest(
                service=service, location=location, around=start, practitioners=practitioners, now=now
            )
        return render(request, "bookings/review.html", context)
    try:
        booking = services.booking_create_with_patient(
            patient_details=flow.patient_details(draft),
            idempotency_key=key,
            concern=concern,
            concern_text=draft["concern_text"],
            notes=draft["notes"],
            channel=BookingChannel.ONLINE,
            privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
            **booking_args,
        )
    except SlotUnavailable as error:
        # (A second press of Confirm gets the first press's booking back from the service.)
        context["error"] = str(error)
        context["alternatives"] = nearest(
            service=service, location=location, around=start, practitioners=practitioners, now=now
        )
        return render(request, "bookings/review.html", context, status=409)
    except BookingError as error:
        context["error"] = str(error)
        return render(request, "bookings/review.html", context, status=400)
    flow.draft_finish(request.session, key, booking)
    if booking.status == BookingStatus.REQUESTED:
        messages.success(
            request, f"Thank you. We have your request, reference {booking.reference}. We will contact you to confirm."
        )
    else:
        messages.success(
            request,
            f"Your appointment is booked. Your reference is {booking.reference}. "
            "We are emailing you the details, with a link to this page.",
        )
    return redirect(links.manage_path(booking))


@private
@require_POST
def review_change_time(request, key):
    draft = flow.draft_get(request.session, key)
    choice = flow.parse_choice(request.POST.get("time_choice"))
    if draft is not None and "given_name" in draft and choice is not None:
        draft["start"], draft["practitioner_id"] = flow.start_param(choice[0]), choice[1]
        flow.draft_save(request.session, key, draft)
    return redirect("bookings:review", key=key)

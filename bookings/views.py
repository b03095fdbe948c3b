"""The public booking pages: choose a service, who with and when, give details, review and
confirm; then the patient's own booking page (from the emailed link) to reschedule or cancel.

Every page works without JavaScript and is never cached. Patient details travel only in POST
bodies and the session, never in a URL or a log line.
"""

import uuid
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings import flow, links, services
from bookings.errors import BookingError, SlotUnavailable
from bookings.forms import DetailsForm, SlotForm, TimesQueryForm
from bookings.free_times_cache import shared_free_times
from bookings.models import Booking, BookingChannel, BookingRules, BookingStatus, Practitioner, Service
from bookings.selectors import main_location
from conditions.models import Condition


def private(view):
    """Never stored by any cache and kept out of search results."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return never_cache(wrapper)


def _clinic():
    location = main_location()
    if not location:
        raise Http404("No clinic is set up for online booking yet.")
    return location


def _service(slug) -> Service:
    return get_object_or_404(Service.objects.bookable_online(), slug=slug)


def _practitioners(service, location) -> list[Practitioner]:
    return list(Practitioner.objects.active().filter(services=service, locations=location))


def _concern(slug) -> Condition | None:
    return Condition.objects.published().filter(slug=slug).first() if slug else None


def _slot_form(data, *, service, location, practitioners, now, **kwargs) -> SlotForm:
    """A time picked from the offered alternatives replaces the one that was taken."""
    if choice := flow.parse_choice(data.get("time_choice")):
        data = data.copy()
        data["start"], data["practitioner"] = flow.start_param(choice[0]), str(choice[1])
    return SlotForm(data, service=service, location=location, practitioners=practitioners, now=now, **kwargs)


def _nearest(*, service, location, around, practitioners, now):
    """Free times near a refused one, with anyone: the patient sees who each is with."""
    names = {p.pk: p.name for p in practitioners}
    return flow.nearest_options(service=service, location=location, around=around, now=now, names=names)


def _picker(request, *, service, location, practitioners, default_practitioner=None):
    query = TimesQueryForm(request.GET, practitioners=practitioners)
    query.is_valid()
    practitioner = query.cleaned_data.get("practitioner") if "practitioner" in request.GET else default_practitioner
    picker = flow.build_picker(
        service=service,
        location=location,
        practitioner=practitioner,
        names={p.pk: p.name for p in practitioners},
        month=query.cleaned_data.get("month"),
        day=query.cleaned_data.get("day"),
        now=timezone.now(),
    )
    picker.messages[:0] = [error for errors in query.errors.values() for error in errors]
    return picker, practitioner


# Booking: steps 1 to 5.


@private
@require_GET
def start(request):
    offered = list(Service.objects.filter(active=True))
    online = [service for service in offered if service.bookable_online]
    context = {
        "featured": online[0] if online else None,
        "follow_ups": online[1:],
        "phone_only": [service for service in offered if not service.bookable_online],
        "concern": _concern(request.GET.get("concern")),
    }
    return render(request, "bookings/start.html", context)


@private
@require_GET
def choose_practitioner(request, service_slug):
    service, location = _service(service_slug), _clinic()
    context = {
        "service": service,
        "practitioners": _practitioners(service, location),
        "concern": _concern(request.GET.get("concern")),
        "clinic": location,
    }
    return render(request, "bookings/practitioner.html", context)


@private
@require_GET
@shared_free_times
def times(request, service_slug):
    service, location = _service(service_slug), _clinic()
    practitioners = _practitioners(service, location)
    concern = _concern(request.GET.get("concern"))
    picker, practitioner = _picker(request, service=service, location=location, practitioners=practitioners)
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
    service, location = _service(service_slug), _clinic()
    data = request.POST if request.method == "POST" else request.GET
    if booked := _booked(request, data.get("idempotency_key") or data.get("key")):
        return booked
    practitioners, now = _practitioners(service, location), timezone.now()
    concern = _concern(request.GET.get("concern"))
    slot = _slot_form(data, service=service, location=location, practitioners=practitioners, now=now)
    context = {"service": service, "concern": concern, "clinic": location, "slot": slot}
    if not slot.is_valid() and not slot.unavailable:
        return render(request, "bookings/time_problem.html", context | {"invalid": True}, status=400)
    start, practitioner = slot.cleaned_data["start"], slot.cleaned_data["practitioner"]
    context["appointment"] = flow.appointment(
        service=service, location=location, start=start, practitioner=practitioner
    )
    if slot.unavailable:
        context |= {
            "alternatives": _nearest(
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
    booking = Booking.objects.filter(pk=draft.get("booking_id"), idempotency_key=key).first() if draft else None
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
    location = _clinic()
    practitioners = _practitioners(service, location)
    practitioner = (
        Practitioner.objects.filter(pk=draft["practitioner_id"]).first() if draft["practitioner_id"] else None
    )
    concern = _concern(draft["concern"])
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
    }
    booking_args = {"service": service, "location": location, "start": start, "practitioner": practitioner}
    if request.method == "GET":
        if not flow.slot_is_free(**booking_args, now=now):
            context["error"] = "Sorry, that time has just been taken. Please choose another time."
            context["alternatives"] = _nearest(
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
        # A second press of Confirm can find the time taken by the first press: that is this
        # patient's booking, not someone else's.
        booking = Booking.objects.filter(idempotency_key=key).first()
        if booking is None:
            context["error"] = str(error)
            context["alternatives"] = _nearest(
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


# The patient's own booking, from the link in their email.


def _patient_booking(reference, token) -> Booking:
    if not links.manage_token_valid(reference, token):
        raise Http404("No booking matches this link.")
    return get_object_or_404(Booking.objects.select_related("service", "practitioner", "location"), reference=reference)


def _manage_context(booking, *, now) -> dict:
    notice_hours = BookingRules.current().cancellation_notice_hours
    link = {"reference": booking.reference, "token": links.manage_token(booking.reference)}
    return {
        "booking": booking,
        "appointment": flow.appointment(
            service=booking.service, location=booking.location, start=booking.start, practitioner=booking.practitioner
        ),
        "clinic": booking.location,
        "manage_url": links.manage_path(booking),
        "reschedule_url": reverse("bookings:reschedule", kwargs=link),
        "cancel_url": reverse("bookings:cancel", kwargs=link),
        "notice_hours": notice_hours,
        # What the page offers; the services decide, and say so if the answer has changed.
        "can_change": booking.is_active and booking.start - now >= timedelta(hours=notice_hours),
    }


@private
@require_GET
def manage(request, reference, token):
    booking = _patient_booking(reference, token)
    return render(request, "bookings/manage.html", _manage_context(booking, now=timezone.now()))


@private
@require_http_methods(["GET", "POST"])
def cancel(request, reference, token):
    booking = _patient_booking(reference, token)
    if request.method == "GET":
        return render(request, "bookings/cancel.html", _manage_context(booking, now=timezone.now()))
    try:
        services.booking_cancel(booking=booking, by_patient=True)
    except BookingError as error:
        context = _manage_context(booking, now=timezone.now()) | {"error": str(error)}
        return render(request, "bookings/cancel.html", context, status=409)
    messages.success(request, f"Your booking {booking.reference} is cancelled.")
    return redirect(links.manage_path(booking))


@private
@require_GET
def reschedule(request, reference, token):
    booking = _patient_booking(reference, token)
    context = _manage_context(booking, now=timezone.now())
    if context["can_change"]:
        practitioners = _practitioners(booking.service, booking.location)
        current = next((p for p in practitioners if p.pk == booking.practitioner_id), None)
        picker, practitioner = _picker(
            request,
            service=booking.service,
            location=booking.location,
            practitioners=practitioners,
            default_practitioner=current,
        )
        context |= {
            "picker": picker,
            "practitioner": practitioner,
            "practitioners": practitioners,
            "zone": flow.zone_label(booking.location),
            "page_state": {"practitioner": practitioner.pk if practitioner else "any"},
            "slot_url": reverse("bookings:reschedule_confirm", kwargs={"reference": reference, "token": token}),
            "slot_state": {},
        }
    return render(request, "bookings/reschedule.html", context)


@private
@require_http_methods(["GET", "POST"])
def reschedule_confirm(request, reference, token):
    booking = _patient_booking(reference, token)
    now = timezone.now()
    context = _manage_context(booking, now=now)
    if not context["can_change"]:
        return render(request, "bookings/reschedule.html", context, status=409 if request.method == "POST" else 200)
    practitioners = _practitioners(booking.service, booking.location)
    data = request.POST if request.method == "POST" else request.GET
    slot = _slot_form(
        data,
        service=booking.service,
        location=booking.location,
        practitioners=practitioners,
        now=now,
        allow_any=False,
        ignore_booking_id=booking.pk,
    )
    context |= {"slot": slot, "reschedule": True}
    if not slot.is_valid() and not slot.unavailable:
        return render(request, "bookings/time_problem.html", context | {"invalid": True}, status=400)
    start, practitioner = slot.cleaned_data["start"], slot.cleaned_data["practitioner"]
    context["new_appointment"] = flow.appointment(
        service=booking.service, location=booking.location, start=start, practitioner=practitioner
    )
    if slot.unavailable:
        context |= {
            "alternatives": _nearest(
                service=booking.service, location=booking.location, around=start, practitioners=practitioners, now=now
            ),
            "choice_url": reverse("bookings:reschedule_confirm", kwargs={"reference": reference, "token": token}),
            "choice_state": {},
        }
        return render(request, "bookings/time_problem.html", context, status=409 if request.method == "POST" else 200)
    if request.method == "GET":
        return render(request, "bookings/reschedule_confirm.html", context)
    try:
        booking = services.booking_reschedule(booking=booking, start=start, practitioner=practitioner, by_patient=True)
    except BookingError as error:
        context["error"] = str(error)
        return render(request, "bookings/reschedule_confirm.html", context, status=409)
    moved = flow.appointment(service=booking.service, location=booking.location, start=booking.start)
    messages.success(request, f"Your booking {booking.reference} is now on {moved['day']} at {moved['time']}.")
    return redirect(links.manage_path(booking))

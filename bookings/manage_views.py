"""The patient's own booking pages, reached from the private link in their email: see,
reschedule or cancel without phoning, and add the appointment to a calendar."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from bookings import calendar_file, links, services
from bookings.errors import BookingError, SlotUnavailable
from bookings.forms import TIME_TAKEN, SlotForm
from bookings.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Booking, BookingRules, Practitioner, Questionnaire
from bookings.selectors import main_location
from bookings.views import nearest_times, picker_context, private
from bookings.wording import appointment, booking_appointment
from soletherapy.limits import rate_limited


def own_booking(view):
    """Opens the booking the link names, or says kindly why the link does not work: mistyped or
    cut short (404), or replaced by a newer link staff sent (410). Never which bookings exist."""

    @wraps(view)
    def wrapper(request, reference, token, **kwargs):
        well_formed = len(reference) == REFERENCE_LENGTH and set(reference) <= set(REFERENCE_ALPHABET)
        booking = (
            Booking.objects.select_related("service", "practitioner", "location", "patient")
            .filter(reference=reference)
            .first()
            if well_formed  # junk (a NUL byte, say) never reaches the database
            else None
        )
        check = links.check_token(reference, token, booking.link_version if booking else 0)
        if booking is None or check is links.LinkCheck.UNKNOWN:
            return render(request, "bookings/link_problem.html", {"clinic": main_location()}, status=404)
        if check is links.LinkCheck.REPLACED:
            context = {"clinic": booking.location, "replaced": True}
            return render(request, "bookings/link_problem.html", context, status=410)
        return view(request, booking, **kwargs)

    return wrapper


def _manage_context(booking, *, now) -> dict:
    rules = BookingRules.current()
    link = {"reference": booking.reference, "token": links.manage_token(booking.reference, booking.link_version)}
    return {
        "booking": booking,
        "appointment": booking_appointment(booking),
        "clinic": booking.location,
        "manage_url": links.manage_path(booking),
        "reschedule_url": reverse("bookings:reschedule", kwargs=link),
        "cancel_url": reverse("bookings:cancel", kwargs=link),
        "confirm_url": reverse("bookings:reschedule_confirm", kwargs=link),
        "calendar_url": reverse("bookings:calendar", kwargs=link),
        "rules": rules,
        "passed": booking.end <= now,
        # What the page offers; the services decide, and say so if the answer has changed.
        "can_change": booking.is_active and not rules.too_late_to_change_online(booking.start, now),
    }


def _questionnaire_context(booking) -> dict:
    """The health questionnaire's place on the booking page: how far the patient has got."""
    questionnaire = Questionnaire.objects.filter(booking=booking).first()
    steps = services.questionnaire_steps(booking, questionnaire)
    if not steps or (questionnaire is None and not services.questionnaire_is_open(booking, now=timezone.now())):
        return {}  # nothing to fill in, and nothing filled in to see
    return {
        "questionnaire": questionnaire,
        "questionnaire_url": links.questionnaire_path(booking),
        "questionnaire_steps": len(steps),
        "questionnaire_done": sum(step.done for step in steps),
    }


@private
@require_safe
@own_booking
def manage(request, booking):
    context = _manage_context(booking, now=timezone.now()) | _questionnaire_context(booking)
    return render(request, "bookings/manage.html", context)


@private
@require_safe
@own_booking
def calendar(request, booking):
    """The appointment as a calendar file, to add it to the patient's calendar."""
    response = HttpResponse(
        calendar_file.booking_calendar(booking, method=calendar_file.PUBLISH),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{calendar_file.filename(booking)}"'
    return response


@private
@require_http_methods(["GET", "POST"])
@rate_limited("booking-change")
@own_booking
def cancel(request, booking):
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
@require_safe
@own_booking
def reschedule(request, booking):
    context = _manage_context(booking, now=timezone.now())
    if context["can_change"]:
        practitioners = list(Practitioner.objects.offering(booking.service, booking.location))
        context["practitioners"] = practitioners
        context |= picker_context(
            request,
            service=booking.service,
            location=booking.location,
            practitioners=practitioners,
            slot_url=context["confirm_url"],
            carry={},
            default_practitioner=next((p for p in practitioners if p.pk == booking.practitioner_id), None),
            moving_booking_id=booking.pk,
        )
    return render(request, "bookings/reschedule.html", context)


@private
@require_http_methods(["GET", "POST"])
@rate_limited("booking-change")
@own_booking
def reschedule_confirm(request, booking):
    now = timezone.now()
    context = _manage_context(booking, now=now)
    conflict = 409 if request.method == "POST" else 200
    if not context["can_change"]:
        return render(request, "bookings/reschedule.html", context, status=conflict)
    practitioners = list(Practitioner.objects.offering(booking.service, booking.location))
    # The times on offer are this booking's service and clinic, as if it were not booked.
    moving = {"service": booking.service, "location": booking.location, "ignore_booking_id": booking.pk}
    slot = SlotForm(
        request.POST if request.method == "POST" else request.GET,
        practitioners=practitioners,
        now=now,
        allow_any=False,
        # On Move, the service checks the time as it moves the booking: once, not twice.
        check_free=request.method == "GET",
        **moving,
    )
    context |= {"slot": slot, "reschedule": True}
    if not slot.is_valid() and not slot.unavailable:
        return render(request, "bookings/time_problem.html", context | {"invalid": True}, status=400)
    start, practitioner = slot.cleaned_data["start"], slot.cleaned_data["practitioner"]
    context["inside_change_window"] = context["rules"].too_late_to_change_online(start, now)
    context["new_appointment"] = appointment(
        service=booking.service, location=booking.location, start=start, practitioner=practitioner
    )
    if request.method == "POST" and not slot.unavailable:
        try:
            booking = services.booking_reschedule(
                booking=booking, start=start, practitioner=practitioner, by_patient=True, now=now
            )
        except SlotUnavailable:
            slot.add_error(None, ValidationError(TIME_TAKEN, code="unavailable"))
        except BookingError as error:
            context["error"] = str(error)
            return render(request, "bookings/reschedule_confirm.html", context, status=409)
        else:
            moved = booking_appointment(booking)
            messages.success(request, f"Your booking {booking.reference} is now on {moved['day']} at {moved['time']}.")
            return redirect(links.manage_path(booking))
    if slot.unavailable:
        context |= {
            "alternatives": nearest_times(around=start, practitioners=practitioners, now=now, **moving),
            "choice_url": context["confirm_url"],
            "choice_state": {},
        }
        return render(request, "bookings/time_problem.html", context, status=conflict)
    return render(request, "bookings/reschedule_confirm.html", context)

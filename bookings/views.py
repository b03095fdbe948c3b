"""The public booking pages: choose a service, who with and when, give details, review and
confirm.

Every page works without JavaScript and is never cached by browsers or proxies. Patient
details travel only in POST bodies and the session, never in a URL or a log line.
"""

import logging
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bookings import availability, drafts, links, services
from bookings.errors import AlreadyBooked, BookingError, SlotUnavailable
from bookings.formfields import read_choice, read_key
from bookings.forms import ConcernQueryForm, SlotForm, TimesQueryForm
from bookings.fresh_forms import details_initial, fresh_questions
from bookings.models import Booking, BookingChannel, BookingRules, BookingStatus, Practitioner, Service
from bookings.patient_forms import DetailsForm
from bookings.picker import build_picker
from bookings.selectors import bookable_service, main_location, offering, practitioner_by_id
from bookings.wording import appointment, time_options, zone_label
from soletherapy.limits import rate_limited

logger = logging.getLogger(__name__)


def unlisted(view):
    """Kept out of search results."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapper


def private(view):
    """Never stored by any cache and kept out of search results."""
    return never_cache(unlisted(view))


def clinic_or_404():
    location = main_location()
    if not location:
        raise Http404("No clinic is set up for online booking yet.")
    return location


def service_or_404(slug) -> Service:
    if (service := bookable_service(slug=slug)) is None:
        raise Http404("No such service can be booked online.")
    return service


def nearest_times(*, service, location, around, practitioners, now, ignore_booking_id=None):
    """Free times near a refused one, with anyone: the patient sees who each is with. When a
    booking is being moved, its own time does not hide the times around it."""
    slots = availability.nearest_free_slots(
        service=service, location=location, around=around, now=now, ignore_booking_id=ignore_booking_id
    )
    return time_options(slots, location=location, names={p.pk: p.name for p in practitioners})


def picker_context(request, *, service, location, practitioners, slot_url, carry, **picker_options) -> dict:
    """The times picker's part of a page: the month and week the query string asks for, and
    where a chosen time leads (`slot_url`, keeping `carry` in its query)."""
    default = picker_options.pop("default_practitioner", None)
    query = TimesQueryForm(request.GET, practitioners=practitioners, default_practitioner=default)
    choices = query.picker_choices()
    picker = build_picker(
        service=service,
        location=location,
        names={p.pk: p.name for p in practitioners},
        now=timezone.now(),
        **choices,
        **picker_options,
    )
    practitioner = choices["practitioner"]
    page_state = carry | {"practitioner": practitioner.pk if practitioner else "any"}
    return {
        "picker": picker.link(page_state=page_state, slot_url=slot_url, slot_state=carry),
        "practitioner": practitioner,
        "zone": zone_label(location),
        "page_state": page_state,
    }


@require_safe
def start(request):
    """The choice of service: a public page search engines may list and the page cache serves
    (soletherapy.middleware). The steps after it are private."""
    concern_form = ConcernQueryForm(request.GET)
    concern = concern_form.chosen()
    if "concern" in request.GET and concern is None:
        return redirect("bookings:start")  # an unknown condition is not worth a page of its own
    offered = list(Service.objects.filter(active=True))
    online = [service for service in offered if service.bookable_online]
    context = {
        "featured": online[0] if online else None,
        "follow_ups": online[1:],
        "phone_only": [service for service in offered if not service.bookable_online],
        "concern": concern,
    }
    return render(request, "bookings/start.html", context)


@unlisted  # and shared by the page cache (soletherapy.middleware), like the choice of service
@require_safe
def choose_practitioner(request, service_slug):
    service, location = service_or_404(service_slug), clinic_or_404()
    concern = ConcernQueryForm(request.GET).chosen()
    practitioners = list(Practitioner.objects.offering(service, location).with_photos())
    if len(practitioners) == 1:
        # Nobody to choose between: straight on to the times.
        query = {"practitioner": practitioners[0].pk} | ({"concern": concern.slug} if concern else {})
        return redirect(reverse("bookings:times", kwargs={"service_slug": service.slug}) + "?" + urlencode(query))
    context = {"service": service, "practitioners": practitioners, "concern": concern, "clinic": location}
    return render(request, "bookings/practitioner.html", context)


@private
@require_safe
def times(request, service_slug):
    service, location = service_or_404(service_slug), clinic_or_404()
    concern = ConcernQueryForm(request.GET).chosen()
    context = {"service": service, "concern": concern, "clinic": location} | picker_context(
        request,
        service=service,
        location=location,
        practitioners=offering(service, location),
        slot_url=reverse("bookings:details", kwargs={"service_slug": service.slug}),
        carry={"concern": concern.slug} if concern else {},
    )
    return render(request, "bookings/times.html", context)


@private
@require_http_methods(["GET", "POST"])
@rate_limited("booking-details")
def details(request, service_slug):
    service, location = service_or_404(service_slug), clinic_or_404()
    data = request.POST if request.method == "POST" else request.GET
    if booked := _booked(request, read_key(data.get("idempotency_key") or data.get("key"))):
        return booked
    practitioners, now = offering(service, location), timezone.now()
    concern = ConcernQueryForm(request.GET).chosen()
    slot = SlotForm(data, service=service, location=location, practitioners=practitioners, now=now)
    context = {"service": service, "concern": concern, "clinic": location, "slot": slot}
    if not slot.is_valid() and not slot.unavailable:
        return render(request, "bookings/time_problem.html", context | {"invalid": True}, status=400)
    start, practitioner = slot.cleaned_data["start"], slot.cleaned_data["practitioner"]
    context["appointment"] = appointment(service=service, location=location, start=start, practitioner=practitioner)
    if slot.unavailable:
        context |= {
            "alternatives": nearest_times(
                service=service, location=location, around=start, practitioners=practitioners, now=now
            ),
            "choice_url": reverse("bookings:details", kwargs={"service_slug": service.slug}),
            "choice_state": {"concern": concern.slug} if concern else {},
        }
    if request.method == "GET" and slot.unavailable:
        return render(request, "bookings/time_problem.html", context)
    if request.method == "GET":
        initial, fresh = details_initial(request, concern)
        context["form"] = form = DetailsForm(initial=initial, service=service)
        if fresh:
            context["questions_html"] = fresh_questions(form, service=service, concern=concern, clinic=location)
        return render(request, "bookings/details.html", context)

    form = DetailsForm(request.POST, service=service)
    if not (form.is_valid() and slot.is_valid()):
        if form.caught:
            logger.info("Booking details refused as automated: %s", form.caught)
        context["form"] = form
        return render(request, "bookings/details.html", context, status=409 if slot.unavailable else 400)
    key = form.cleaned_data["idempotency_key"]
    drafts.draft_save(
        request.session, key, answers=form.cleaned_data, service=service, start=start, practitioner=practitioner
    )
    return redirect("bookings:review", key=key)


def _booked(request, key):
    """Where a key this session already made a booking with leads: to that booking, never to a
    second one."""
    booking_id = drafts.finished_booking_id(request.session, key)
    booking = Booking.objects.filter(pk=booking_id, idempotency_key=key).first() if booking_id else None
    if booking is None:
        return None
    messages.info(request, f"You have already made this booking. Your reference is {booking.reference}.")
    return redirect(links.manage_path(booking))


def _draft_email(request) -> str:
    draft = drafts.draft_get(request.session, request.resolver_match.kwargs["key"]) or {}
    return draft.get("email", "")


@private
@require_http_methods(["GET", "POST"])
@rate_limited("booking-confirm", email=_draft_email)
def review(request, key):
    if booked := _booked(request, key):
        return booked
    draft = drafts.draft_get(request.session, key)
    service = bookable_service(pk=(draft or {}).get("service_id"))
    if draft is None or service is None:
        return render(request, "bookings/draft_missing.html", status=410)
    location = clinic_or_404()
    practitioner = practitioner_by_id(draft["practitioner_id"]) if draft["practitioner_id"] else None
    concern = ConcernQueryForm({"concern": draft["concern"]}).chosen()
    start, now = drafts.draft_start(draft), timezone.now()
    rules = BookingRules.current()
    context = {
        "key": key,
        "draft": draft,
        "patient": drafts.patient_details(draft),
        "concern": concern,
        "appointment": appointment(service=service, location=location, start=start, practitioner=practitioner),
        "change_url": reverse("bookings:details", kwargs={"service_slug": service.slug}),
        "change_state": {"start": draft["start"], "practitioner": draft["practitioner_id"] or "any", "key": str(key)},
        "clinic": location,
        # Booking inside the change window is fine, but the patient should know before confirming.
        "rules": rules,
        "inside_change_window": rules.too_late_to_change_online(start, now),
    }
    booking_args = {"service": service, "location": location, "start": start, "practitioner": practitioner}
    status, error = 200, None
    if request.method == "POST":
        try:
            booking = services.booking_create_with_patient(
                patient_details=drafts.patient_details(draft),
                form_key=drafts.form_key(key, draft),
                concern=concern,
                concern_text=draft["concern_text"],
                notes=draft["notes"],
                channel=BookingChannel.ONLINE,
                privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
                **booking_args,
            )
        except AlreadyBooked as refusal:
            return render(request, "bookings/already_booked.html", {"message": str(refusal)}, status=409)
        except SlotUnavailable as refusal:
            status, error = 409, refusal
        except BookingError as refusal:
            context["error"] = str(refusal)
            return render(request, "bookings/review.html", context, status=400)
        else:
            return _confirmed(request, key, booking)
    elif not availability.is_slot_free(**booking_args, now=now):
        error = SlotUnavailable(services.TAKEN_MESSAGE)
    if error is not None:
        context["error"] = str(error)
        practitioners = offering(service, location)
        context["alternatives"] = nearest_times(
            service=service, location=location, around=start, practitioners=practitioners, now=now
        )
    return render(request, "bookings/review.html", context, status=status)


def _confirmed(request, key, booking):
    drafts.draft_finish(request.session, key, booking)
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
    if choice := read_choice(request.POST.get("time_choice")):
        drafts.draft_move(request.session, key, start=choice[0], practitioner_id=choice[1])
    return redirect("bookings:review", key=key)

"""What the booking pages and the patient's own booking pages share."""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.cache import never_cache

from bookings import flow, picker
from bookings.forms import SlotForm, TimesQueryForm
from bookings.models import Practitioner, Service
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


def clinic_or_404():
    location = main_location()
    if not location:
        raise Http404("No clinic is set up for online booking yet.")
    return location


def service_or_404(slug) -> Service:
    return get_object_or_404(Service.objects.bookable_online(), slug=slug)


def practitioners_offering(service, location) -> list[Practitioner]:
    return list(Practitioner.objects.active().filter(services=service, locations=location))


def concern_from(slug) -> Condition | None:
    return Condition.objects.published().filter(slug=slug).first() if slug else None


def slot_form(data, *, service, location, practitioners, now, **kwargs) -> SlotForm:
    """A time picked from the offered alternatives replaces the one that was taken."""
    if choice := flow.parse_choice(data.get("time_choice")):
        data = data.copy()
        data["start"], data["practitioner"] = flow.start_param(choice[0]), str(choice[1])
    return SlotForm(data, service=service, location=location, practitioners=practitioners, now=now, **kwargs)


def nearest(*, service, location, around, practitioners, now, ignore_booking_id=None):
    """Free times near a refused one, with anyone: the patient sees who each is with. When a
    booking is being moved, its own time does not hide the times around it."""
    names = {p.pk: p.name for p in practitioners}
    return flow.nearest_options(
        service=service, location=location, around=around, now=now, names=names, ignore_booking_id=ignore_booking_id
    )


def picker_for(request, *, service, location, practitioners, default_practitioner=None, moving_booking_id=None):
    query = TimesQueryForm(request.GET, practitioners=practitioners)
    query.is_valid()
    practitioner = query.cleaned_data.get("practitioner") if "practitioner" in request.GET else default_practitioner
    chosen = picker.build_picker(
        service=service,
        location=location,
        practitioner=practitioner,
        names={p.pk: p.name for p in practitioners},
        month=query.cleaned_data.get("month"),
        day=query.cleaned_data.get("day"),
        now=timezone.now(),
        moving_booking_id=moving_booking_id,
    )
    chosen.messages[:0] = [error for errors in query.errors.values() for error in errors]
    return chosen, practitioner

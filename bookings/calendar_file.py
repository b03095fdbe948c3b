"""A booking as a calendar file (RFC 5545, built with `icalendar`), so Outlook, Google and Apple
calendars add the appointment, move it when it moves and remove it when it is cancelled.

One UID for the booking's whole life and a SEQUENCE raised on each change let a calendar app
match a later file to the event it already holds. Times are in the clinic's own time zone, with
its VTIMEZONE, so the event stays right across daylight saving.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from bookings import links
from bookings.models import BookingStatus

PRODID = "-//SOLE THERAPY//Bookings//EN"
# Emailed with an update: calendar apps add, move or remove the event. Downloaded: just add it.
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


def uid(booking) -> str:
    return f"booking-{booking.reference}@{urlsplit(settings.SITE_URL).hostname or 'soletherapy'}"


def method_for(booking) -> str:
    return CANCEL if booking.status == BookingStatus.CANCELLED else REQUEST


def booking_calendar(booking, *, method: str | None = None) -> bytes:
    """The booking's event as it stands now. Reads the booking's service, practitioner,
    location and patient, so load them with it."""
    method = method or method_for(booking)
    location = booking.location
    zone = location.zone
    manage_url = links.manage_url(booking)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = Event()
    event.add("uid", uid(booking))
    event.add("sequence", booking.calendar_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.start.astimezone(zone))
    event.add("dtend", booking.end.astimezone(zone))
    event.add("summary", f"{booking.service.name} at {location.name}")
    event.add("location", vText(", ".join(part for part in (location.name, location.address_one_line) if part)))
    event.add("url", manage_url)
    event.add(
        "description",
        f"Booking reference {booking.reference} with {booking.practitioner.name}.\n"
        f"To see, move or cancel it: {manage_url}\n"
        f"Or phone {location.phone.as_national}.",
    )
    event.add("status", _status(booking))
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{location.email}")
    organizer.params["cn"] = vText(location.name)
    event.add("organizer", organizer)
    if booking.patient.email:
        attendee = vCalAddress(f"mailto:{booking.patient.email}")
        attendee.params["cn"] = vText(f"{booking.patient.given_name} {booking.patient.family_name}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _status(booking) -> str:
    if booking.status == BookingStatus.CANCELLED:
        return "CANCELLED"
    if booking.status == BookingStatus.REQUESTED:
        return "TENTATIVE"
    return "CONFIRMED"


def filename(booking) -> str:
    return f"sole-therapy-{booking.reference}.ics"

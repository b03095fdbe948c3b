"""Emails about a booking. Sent after the transaction commits, so an email never describes a
booking that was rolled back; a mail server failure never undoes a booking. Logs name the
booking reference only, never the patient or their address.

The patient hears about every change. The clinic hears about new online bookings and about
changes a patient makes online; its notices carry no patient details and point to the admin."""

import logging
from datetime import datetime

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from bookings import links
from bookings.models import Booking, BookingChannel, BookingRules, Practitioner, Service
from bookings.wording import booking_appointment

logger = logging.getLogger(__name__)

# The same advice as each service's "what to bring" on the website (bookings/content/services.toml).
GENERAL_ADVICE = "Please bring the shoes you wear most, any orthotics, and any referral letters or scans."

PATIENT_SUBJECTS = {
    "booked": "Your SOLE THERAPY booking {reference}",
    "confirmed": "Your SOLE THERAPY booking {reference} is confirmed",
    "rescheduled": "Your SOLE THERAPY booking {reference} has moved",
    "cancelled": "Your SOLE THERAPY booking {reference} is cancelled",
}
CLINIC_SUBJECTS = {
    "rescheduled": "Booking {reference} moved online by the patient",
    "cancelled": "Booking {reference} cancelled online by the patient",
}


def what_to_bring(service: Service) -> str:
    return service.what_to_bring or GENERAL_ADVICE


def _context(booking: Booking, **extra) -> dict:
    return {
        "booking": booking,
        "appointment": booking_appointment(booking),
        "manage_url": links.manage_url(booking),
        "rules": BookingRules.current(),
        "what_to_bring": what_to_bring(booking.service),
        **extra,
    }


def _send(*, to: str, subject: str, template: str, context: dict, reply_to: str | None = None) -> None:
    booking = context["booking"]
    body = render_to_string(template, context)
    message = EmailMessage(subject=subject, body=body, to=[to], reply_to=[reply_to] if reply_to else None)
    try:
        message.send()
    except Exception as error:
        logger.error("Could not send %s for booking %s: %s", template, booking.reference, type(error).__name__)


def _emails(
    booking_pk: int,
    kind: str,
    *,
    by_patient: bool,
    old_start: datetime | None,
    old_practitioner: Practitioner | None,
) -> None:
    booking = Booking.objects.select_related("patient", "service", "practitioner", "location").get(pk=booking_pk)
    context = _context(booking)
    if booking.patient.email:  # staff may book someone who gave only a phone number
        _send(
            to=booking.patient.email,
            subject=PATIENT_SUBJECTS[kind].format(reference=booking.reference),
            template=f"bookings/email/{kind}.txt",
            context=context,
            reply_to=booking.location.email,
        )
    if kind == "booked" and booking.channel == BookingChannel.ONLINE:
        _send(
            to=booking.location.email,
            subject=f"New online booking {booking.reference} ({booking.get_status_display()})",
            template="bookings/email/clinic_new_booking.txt",
            context=context,
        )
    elif by_patient and kind in CLINIC_SUBJECTS:
        if old_start is not None:
            context["was"] = booking_appointment(booking, start=old_start, practitioner=old_practitioner)
        _send(
            to=booking.location.email,
            subject=CLINIC_SUBJECTS[kind].format(reference=booking.reference),
            template=f"bookings/email/clinic_{kind}.txt",
            context=context,
        )


def send_after_commit(
    booking: Booking,
    kind: str,
    *,
    by_patient: bool = False,
    old_start: datetime | None = None,
    old_practitioner: Practitioner | None = None,
) -> None:
    """Email the patient about `kind` ("booked", "confirmed", "rescheduled", "cancelled") once
    the transaction commits. `by_patient` changes also go to the clinic; a reschedule passes the
    time (and practitioner) it moved from."""
    transaction.on_commit(
        lambda: _emails(
            booking.pk, kind, by_patient=by_patient, old_start=old_start, old_practitioner=old_practitioner
        ),
        robust=True,
    )

"""Emails about a booking. Sent after the transaction commits, so an email never describes a
booking that was rolled back; a mail server failure never undoes a booking. Logs name the
booking reference only, never the patient or their address."""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from bookings import links
from bookings.models import Booking, BookingChannel, BookingRules

logger = logging.getLogger(__name__)


def _context(booking: Booking) -> dict:
    return {
        "booking": booking,
        "local_start": timezone.localtime(booking.start, booking.location.zone),
        "manage_url": links.manage_url(booking),
        "rules": BookingRules.current(),
    }


def _send(*, to: str, subject: str, template: str, booking: Booking, reply_to: str | None = None) -> None:
    body = render_to_string(template, _context(booking))
    message = EmailMessage(subject=subject, body=body, to=[to], reply_to=[reply_to] if reply_to else None)
    try:
        message.send()
    except Exception as error:
        logger.error("Could not send %s for booking %s: %s", template, booking.reference, type(error).__name__)


def _patient_email(booking: Booking, kind: str) -> None:
    booking = Booking.objects.select_related("patient", "service", "practitioner", "location").get(pk=booking.pk)
    subjects = {
        "booked": f"Your SOLE THERAPY booking {booking.reference}",
        "rescheduled": f"Your SOLE THERAPY booking {booking.reference} has moved",
        "cancelled": f"Your SOLE THERAPY booking {booking.reference} is cancelled",
    }
    _send(
        to=booking.patient.email,
        subject=subjects[kind],
        template=f"bookings/email/{kind}.txt",
        booking=booking,
        reply_to=booking.location.email,
    )
    if kind == "booked" and booking.channel == BookingChannel.ONLINE:
        _send(
            to=booking.location.email,
            subject=f"New online booking {booking.reference} ({booking.get_status_display()})",
            template="bookings/email/clinic_new_booking.txt",
            booking=booking,
        )


def send_after_commit(booking: Booking, kind: str) -> None:
    transaction.on_commit(lambda: _patient_email(booking, kind), robust=True)

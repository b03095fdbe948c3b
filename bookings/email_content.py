"""What each outbox email says, built when it is sent from the booking as it stands then: plain
text and HTML (no images, no remote anything), with a calendar file for confirmations, moves
and cancellations. Subjects never carry clinical details; reminders name no condition.

The patient hears about every change. The clinic hears about new online bookings and changes a
patient makes online; its notices carry no patient details and link to the booking in the admin.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bookings import calendar_file, links, wording
from bookings.models import BookingRules, BookingStatus, EmailKind, OutboxEmail, Questionnaire, Recipient

# The same advice as each service's "what to bring" on the website (bookings/content/services.toml).
# Subject, then the heading and first sentence of the email.
PATIENT_WORDS = {
    EmailKind.BOOKED: (
        "Your SOLE THERAPY booking {reference}",
        "Your appointment is booked",
        "Thank you for booking with SOLE THERAPY. Here are the details.",
    ),
    EmailKind.REQUESTED: (
        "Your SOLE THERAPY booking request {reference}",
        "We have your booking request",
        "Thank you for your booking request. The clinic will confirm it with you soon.",
    ),
    EmailKind.CONFIRMED: (
        "Your SOLE THERAPY booking {reference} is confirmed",
        "Your booking is confirmed",
        "The clinic has confirmed your booking request.",
    ),
    EmailKind.RESCHEDULED: (
        "Your SOLE THERAPY booking {reference} has moved",
        "Your booking has moved",
        "Your appointment is now at the time below.",
    ),
    EmailKind.CANCELLED: (
        "Your SOLE THERAPY booking {reference} is cancelled",
        "Your booking is cancelled",
        "Your appointment below is cancelled. Nothing more needs to be done.",
    ),
    EmailKind.REMINDER: (
        "Reminder: your SOLE THERAPY appointment on {day}",
        "See you soon",
        "This is a reminder of your appointment at SOLE THERAPY.",
    ),
    EmailKind.MORNING_REMINDER: (
        "Today: your SOLE THERAPY appointment at {time}",
        "Your appointment is today",
        "This is a reminder of your appointment at SOLE THERAPY today.",
    ),
    EmailKind.NEW_LINK: (
        "A new link to your SOLE THERAPY booking {reference}",
        "Your new booking link",
        "Here is a new private link to your booking. Links we sent you before no longer work.",
    ),
}
CLINIC_WORDS = {
    EmailKind.CLINIC_NEW: "New online booking {reference} ({status})",
    EmailKind.CLINIC_RESCHEDULED: "Booking {reference} moved online by the patient",
    EmailKind.CLINIC_CANCELLED: "Booking {reference} cancelled online by the patient",
}
CALENDAR_KINDS = (EmailKind.BOOKED, EmailKind.CONFIRMED, EmailKind.RESCHEDULED, EmailKind.CANCELLED)


WAITLIST_SUBJECTS = {
    EmailKind.WAITLIST_JOINED: "You are on the SOLE THERAPY waitlist",
    EmailKind.WAITLIST_OFFER: "A time has opened at SOLE THERAPY",
}


def address_of(email: OutboxEmail) -> str:
    if email.waitlist_entry_id is not None:
        return email.waitlist_entry.email
    booking = email.booking
    return booking.location.email if email.recipient == Recipient.CLINIC else booking.patient.email


def build(email: OutboxEmail) -> EmailMultiAlternatives:
    """The message for this outbox row (booking, patient, service, practitioner and location
    loaded with it). Its Message-ID is the row's, so a retry is the same message."""
    if email.waitlist_entry_id is not None:
        return _waitlist_message(email)
    booking = email.booking
    context = _context(email)
    if email.recipient == Recipient.CLINIC:
        subject = CLINIC_WORDS[email.kind].format(reference=booking.reference, status=booking.get_status_display())
        template, reply_to = "bookings/email/clinic", None
    else:
        words = PATIENT_WORDS[email.kind]
        subject = words[0].format(
            reference=booking.reference, day=context["appointment"]["day"], time=context["appointment"]["time"]
        )
        context |= {"heading": words[1], "lead": words[2]}
        template, reply_to = "bookings/email/patient", [booking.location.email]
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[address_of(email)],
        reply_to=reply_to,
        headers={"Message-ID": email.message_id},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context | {"subject": subject}), "text/html")
    if email.recipient == Recipient.PATIENT and email.kind in CALENDAR_KINDS:
        method = calendar_file.method_for(booking)
        message.attach(
            calendar_file.filename(booking),
            calendar_file.booking_calendar(booking, method=method),
            f"text/calendar; method={method}; charset=UTF-8",
        )
    return message


def _questionnaire_to_do(booking) -> bool:
    if not booking.is_active or booking.start <= timezone.now():
        return False
    if not booking.service.health_questions.filter(active=True).exists():
        return False
    return not Questionnaire.objects.filter(booking=booking, completed_at__isnull=False).exists()


def _context(email: OutboxEmail) -> dict:
    booking = email.booking
    rules = BookingRules.current()
    context = {
        "email": email,
        "kind": email.kind,
        "booking": booking,
        "appointment": wording.booking_appointment(booking),
        "duration": wording.duration_label(booking.service.duration_minutes),
        "clinic": booking.location,
        "map_url": wording.map_link(booking.location),
        "manage_url": links.manage_url(booking),
        "book_again_url": settings.SITE_URL + reverse("bookings:start"),
        "admin_url": settings.SITE_URL + reverse("admin:bookings_booking_change", args=[booking.pk]),
        "rules": rules,
        "what_to_bring": wording.what_to_bring(booking.service),
        "cancelled": booking.status == BookingStatus.CANCELLED,
        "reminder": email.kind in (EmailKind.REMINDER, EmailKind.MORNING_REMINDER),
        # Worded for this booking: inside the change window the patient is asked to phone.
        "inside_change_window": rules.too_late_to_change_online(booking.start, timezone.now()),
        # Only the link: the questions and answers never go in an email.
        "questionnaire_url": links.questionnaire_url(booking) if _questionnaire_to_do(booking) else "",
    }
    if email.previous_start is not None:
        context["was"] = wording.booking_appointment(
            booking, start=email.previous_start, practitioner=email.previous_practitioner
        )
    return context


def _waitlist_message(email: OutboxEmail) -> EmailMultiAlternatives:
    entry = email.waitlist_entry
    subject = WAITLIST_SUBJECTS[email.kind]
    context = {
        "kind": email.kind,
        "entry": entry,
        "clinic": entry.location,
        "who": entry.practitioner.name if entry.practitioner else "anyone",
        "dates": f"{wording.day_label(entry.earliest)} to {wording.day_label(entry.latest)} {entry.latest.year}",
        "leave_url": links.waitlist_leave_url(entry),
        "subject": subject,
    }
    if offer := email.waitlist_offer:
        context |= {
            "appointment": wording.appointment(
                service=entry.service, location=entry.location, start=offer.start, practitioner=offer.practitioner
            ),
            "offer_url": links.waitlist_offer_url(offer),
        }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("bookings/email/waitlist.txt", context),
        to=[entry.email],
        reply_to=[entry.location.email],
        headers={"Message-ID": email.message_id},
    )
    message.attach_alternative(render_to_string("bookings/email/waitlist.html", context), "text/html")
    return message

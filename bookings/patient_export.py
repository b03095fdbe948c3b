"""Everything the clinic holds about one patient, as one JSON document: for a patient who asks to
see their record (Australian Privacy Principle 12) or to take it to another practitioner. The
bookings with what the patient typed, the health questionnaire answers with each question as it
was asked and the notice version agreed to, and the emails sent (their kind and time; the emails
themselves are built from these same facts)."""

import json
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone

from bookings.models import Answer, Booking, OutboxEmail, Patient, Recipient, WaitlistEntry


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _questionnaire(booking: Booking) -> dict | None:
    questionnaire = getattr(booking, "questionnaire", None)
    if questionnaire is None:
        return None
    return {
        "privacy_notice_version": questionnaire.privacy_notice_version,
        "agreed_at": _when(questionnaire.consented_at),
        "completed_at": _when(questionnaire.completed_at),
        "last_changed_at": _when(questionnaire.updated_at),
        "answers": [
            {
                "page": answer.get_step_display(),
                "question": answer.question_text,
                "answer": answer.value_list() if len(answer.value_list()) > 1 else answer.value,
            }
            for answer in questionnaire.answers.all()
        ],
    }


def _booking(booking: Booking) -> dict:
    return {
        "reference": booking.reference,
        "appointment": booking.service.name,
        "practitioner": booking.practitioner.name,
        "clinic": booking.location.name,
        "start": _when(booking.start),
        "end": _when(booking.end),
        "status": booking.get_status_display(),
        "booked": booking.get_channel_display(),
        "booked_at": _when(booking.created_at),
        "concern": booking.concern.title if booking.concern else None,
        "concern_in_own_words": booking.concern_text,
        "notes": booking.notes,
        "phone_given": str(booking.submitted_phone) if booking.submitted_phone else None,
        "date_of_birth_given": _when(booking.submitted_date_of_birth),
        "privacy_notice_version": booking.privacy_notice_version or None,
        "privacy_agreed_at": _when(booking.privacy_accepted_at),
        "health_questionnaire": _questionnaire(booking),
        "emails": [
            {
                "kind": email.get_kind_display(),
                "state": email.get_state_display(),
                "created_at": _when(email.created_at),
            }
            for email in booking.emails.all()
        ],
    }


def patient_export(patient: Patient) -> dict:
    bookings = (
        Booking.objects.filter(patient=patient)
        .select_related("service", "practitioner", "location", "concern", "questionnaire")
        .prefetch_related(
            Prefetch("questionnaire__answers", Answer.objects.order_by("step_position", "position")),
            Prefetch("emails", OutboxEmail.objects.filter(recipient=Recipient.PATIENT).order_by("created_at")),
        )
        .order_by("start")
    )
    waitlist = WaitlistEntry.objects.filter(email__iexact=patient.email) if patient.email else []
    return {
        "exported_at": _when(timezone.now()),
        "patient": {
            "given_name": patient.given_name,
            "family_name": patient.family_name,
            "email": patient.email,
            "mobile_phone": str(patient.phone),
            "date_of_birth": _when(patient.date_of_birth),
            "has_visited_before": patient.is_returning,
            "record_created_at": _when(patient.created_at),
        },
        "bookings": [_booking(booking) for booking in bookings],
        "waitlist": [
            {"from": _when(entry.earliest), "until": _when(entry.latest), "state": entry.get_state_display()}
            for entry in waitlist
        ],
    }


def patient_export_json(patient: Patient) -> str:
    return json.dumps(patient_export(patient), ensure_ascii=False, indent=2)

"""Patients: a returning patient is matched to their record, never duplicated, and a public
booking form never changes a record; staff copy what a patient typed over when it is right."""

import logging
from datetime import date

from django.db import transaction

from bookings.models import Booking, Patient

logger = logging.getLogger(__name__)


def patient_find_or_create(
    *,
    given_name: str,
    family_name: str,
    email: str,
    phone,
    date_of_birth: date | None = None,
    is_returning: bool = False,
) -> Patient:
    """A returning patient is matched to their record (same email and name, and the same date
    of birth when both are known) and the record is left as it is: anyone who knows a patient's
    name and email could type them. Family members sharing an email stay separate people."""
    candidates = Patient.objects.same_person(given_name=given_name, family_name=family_name, email=email).order_by(
        "created_at"
    )
    for patient in candidates:
        if date_of_birth and patient.date_of_birth and patient.date_of_birth != date_of_birth:
            continue
        return patient
    return Patient.objects.create(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        email=email.strip(),
        phone=phone,
        date_of_birth=date_of_birth,
        is_returning=is_returning,
    )


# Patient fields a public booking form asks about, and where the booking keeps the answer.
SUBMITTED_FIELDS = {
    "phone": "submitted_phone",
    "date_of_birth": "submitted_date_of_birth",
    "is_returning": "submitted_is_returning",
}


def submitted_differences(booking: Booking) -> dict[str, tuple]:
    """What the patient typed on this booking that differs from their record, as
    {patient field: (typed, on record)}. A question left blank is no difference."""
    patient = booking.patient
    differences = {}
    for name, submitted in SUBMITTED_FIELDS.items():
        typed, recorded = getattr(booking, submitted), getattr(patient, name)
        if typed not in (None, "") and typed != recorded:
            differences[name] = (typed, recorded)
    return differences


@transaction.atomic
def patient_update_from_booking(*, booking: Booking, by) -> list[str]:
    """Staff have checked what the patient typed on this booking: copy it onto their record.
    Returns the names of the patient fields that changed."""
    booking = Booking.objects.select_related("patient").get(pk=booking.pk)
    patient = booking.patient
    changed = []
    for name, (typed, _) in submitted_differences(booking).items():
        setattr(patient, name, typed)
        changed.append(name)
    if changed:
        patient.save(update_fields=[*changed, "updated_at"])
        logger.info(
            "Patient %s: %s copied from booking %s by staff user %s", patient.pk, changed, booking.reference, by.pk
        )
    return changed

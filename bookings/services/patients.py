"""Patients: a returning patient is matched to their record, never duplicated, and a public
booking form never changes a record; staff copy what a patient typed over when it is right."""

import logging
from datetime import date

from django.db import transaction

from bookings.errors import BookingError
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


MERGED_FIELDS = ("email", "phone", "date_of_birth")


@transaction.atomic
def patient_merge(*, survivor: Patient, duplicate: Patient, by) -> Patient:
    """Two records of one person become one: the duplicate's bookings (with their questionnaires
    and emails) move to the survivor, which takes any detail it lacks, and the duplicate record
    goes. Both records' audit history stays: each moved booking's history says it was merged."""
    if survivor.pk == duplicate.pk:
        raise BookingError("Choose two different patient records to merge.")
    survivor = Patient.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Patient.objects.select_for_update().get(pk=duplicate.pk)
    for booking in Booking.objects.select_for_update().filter(patient=duplicate):
        booking.patient = survivor
        booking._change_reason = f"Patient records merged: moved from patient {duplicate.pk} to {survivor.pk}"
        booking.save(update_fields=["patient", "updated_at"])
    taken = [name for name in MERGED_FIELDS if not getattr(survivor, name) and getattr(duplicate, name)]
    for name in taken:
        setattr(survivor, name, getattr(duplicate, name))
    survivor.is_returning = survivor.is_returning or duplicate.is_returning
    survivor._change_reason = f"Merged with patient {duplicate.pk}"
    survivor.save()
    duplicate_id = duplicate.pk
    duplicate._change_reason = f"Merged into patient {survivor.pk}"
    duplicate.delete()
    logger.info("Patient %s merged into %s by staff user %s", duplicate_id, survivor.pk, by.pk)
    return survivor

"""Patients: a returning patient is matched to their record, never duplicated."""

from datetime import date

from bookings.models import Patient


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
    of birth when both are known); family members sharing an email stay separate people."""
    candidates = Patient.objects.same_person(given_name=given_name, family_name=family_name, email=email).order_by(
        "created_at"
    )
    for patient in candidates:
        if date_of_birth and patient.date_of_birth and patient.date_of_birth != date_of_birth:
            continue
        changed = []
        if phone and patient.phone != phone:
            patient.phone = phone
            changed.append("phone")
        if date_of_birth and not patient.date_of_birth:
            patient.date_of_birth = date_of_birth
            changed.append("date_of_birth")
        if not patient.is_returning:
            patient.is_returning = True
            changed.append("is_returning")
        if changed:
            patient.save(update_fields=[*changed, "updated_at"])
        return patient
    return Patient.objects.create(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        email=email.strip(),
        phone=phone,
        date_of_birth=date_of_birth,
        is_returning=is_returning,
    )

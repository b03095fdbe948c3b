"""Patient records: matched, never duplicated, and never changed by a public booking form; staff
copy over what a patient typed when it is right."""

from datetime import date

import pytest
from phonenumber_field.phonenumber import to_python as to_phone_number

from bookings import services
from bookings.models import Booking, Patient
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db

DETAILS = {"given_name": "Jordan", "family_name": "Sole", "email": "jordan@example.com", "phone": "+61491570006"}


def test_a_returning_patient_is_matched_not_duplicated_but_family_members_stay_separate(db):
    first = services.patient_find_or_create(**DETAILS, is_returning=False)
    again = services.patient_find_or_create(
        **{**DETAILS, "email": "JORDAN@example.com", "phone": "+61491570156"}, is_returning=True
    )
    sibling = services.patient_find_or_create(**{**DETAILS, "given_name": "Casey"})

    assert again.pk == first.pk
    assert sibling.pk != first.pk
    assert Patient.objects.count() == 2


def test_a_public_booking_never_changes_the_patient_record_but_keeps_what_was_typed(clinic, patient):
    """Anyone who knows a patient's name and email can fill in the booking form as them."""
    recorded = (patient.phone, patient.date_of_birth, patient.is_returning, patient.updated_at)
    typed = {
        "given_name": "JORDAN",
        "family_name": "sole",
        "email": "Jordan@Example.com",
        "phone": to_phone_number("+61491570156"),
        "date_of_birth": date(1985, 3, 27),
        "is_returning": True,
    }

    booking = services.booking_create_with_patient(
        patient_details=typed,
        service=clinic["service"],
        location=clinic["location"],
        start=TEN_AM_SYDNEY_DEC_3,
        now=NOW,
    )

    patient.refresh_from_db()
    assert booking.patient == patient
    assert (patient.phone, patient.date_of_birth, patient.is_returning, patient.updated_at) == recorded
    booking.refresh_from_db()
    assert booking.submitted_phone.as_e164 == "+61491570156"
    assert booking.submitted_date_of_birth == date(1985, 3, 27)
    assert booking.submitted_is_returning is True
    assert services.submitted_differences(booking) == {
        "phone": (booking.submitted_phone, patient.phone),
        "date_of_birth": (date(1985, 3, 27), None),
        "is_returning": (True, False),
    }


def test_staff_copy_what_a_patient_typed_onto_their_record_when_it_is_right(clinic, patient, admin_user):
    booking = services.booking_create_with_patient(
        patient_details=DETAILS | {"phone": to_phone_number("+61491570156"), "is_returning": False},
        service=clinic["service"],
        location=clinic["location"],
        start=TEN_AM_SYDNEY_DEC_3,
        now=NOW,
    )

    copied = services.patient_update_from_booking(booking=booking, by=admin_user)

    patient.refresh_from_db()
    assert copied == ["phone"]
    assert patient.phone.as_e164 == "+61491570156"
    assert services.submitted_differences(Booking.objects.get(pk=booking.pk)) == {}

"""Time off or a closure over booked patients is not saved until staff choose what happens to
them: kept (with a warning naming whom to contact) or cancelled, each patient emailed."""

import re
from datetime import timedelta

import pytest

from bookings.models import Booking, BookingStatus, ClinicClosure, TimeOff
from tests.bookings.admin_helpers import (
    clinic_evening_before,  # noqa: F401 (a fixture)
    page_text,
    phone_booking,
)
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db


# 1. Time off and closures over booked patients


def _practitioner_form(practitioner, clinic, time_off=(), initial_time_off=0):
    data = {
        "name": practitioner.name,
        "slug": practitioner.slug,
        "profession": practitioner.profession,
        "bio": "",
        "services": [clinic["service"].pk],
        "locations": [clinic["location"].pk],
        "active": "on",
        "working_hours-TOTAL_FORMS": "0",
        "working_hours-INITIAL_FORMS": "0",
        "time_off-TOTAL_FORMS": str(len(time_off)),
        "time_off-INITIAL_FORMS": str(initial_time_off),
    }
    for index, row in enumerate(time_off):
        data |= {f"time_off-{index}-{name}": value for name, value in row.items()}
        data[f"time_off-{index}-practitioner"] = practitioner.pk
    return data


def _time_off_row(day, start, end, **extra):
    return {"start_0": day, "start_1": start, "end_0": day, "end_1": end, "reason": "Conference", **extra}


def test_time_off_over_booked_patients_warns_whom_to_contact_and_keeps_the_bookings(admin_client, clinic, patient):
    alex, sam = clinic["practitioners"]
    booked = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    phone_booking(clinic, None, TEN_AM_SYDNEY_DEC_3, practitioner=sam)
    phone_booking(clinic, None, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), status=BookingStatus.CANCELLED)

    url = f"/admin/bookings/practitioner/{alex.pk}/change/"
    form = _practitioner_form(alex, clinic, [_time_off_row("2026-12-03", "08:30", "17:30")])

    asked = page_text(admin_client.post(url, form))
    assert "1 booked patient(s) fall inside this time off. Nothing is saved yet" in asked
    assert f'<a href="/admin/bookings/booking/{booked.pk}/change/">{booked.reference}</a>' in asked
    assert not TimeOff.objects.filter(practitioner=alex).exists()
    response = admin_client.post(url, form | {"clash_choice": "keep"}, follow=True)

    page = page_text(response)
    assert "1 active booking(s) fall inside Alex Foot&#x27;s time off" in page
    assert f'<a href="/admin/bookings/booking/{booked.pk}/change/">{booked.reference}</a>' in page
    assert "Thu 03 Dec 2026, 10:00 (Jordan Sole, " in page
    assert "contact these patients" in page
    assert TimeOff.objects.filter(practitioner=alex).count() == 1
    booked.refresh_from_db()
    assert booked.status == BookingStatus.CONFIRMED

    # Each is offered a move onto a free time, and the picker now leaves the time off out.
    move = f"/admin/bookings/booking/{booked.pk}/move/"
    assert f'<a href="{move}">move to a free time</a>' in page
    times = admin_client.get(move, {"practitioner": alex.pk, "month": "2026-12", "day": "2026-12-03"})
    offered = re.findall(r"start=(2026-12-0[23]T[0-9%A]+Z)", times.content.decode())
    assert offered, "the week still has free times"
    away_from, away_to = "2026-12-02T21%3A30%3A00Z", "2026-12-03T06%3A30%3A00Z"  # 8:30 am to 5:30 pm in Sydney
    assert not [start for start in offered if away_from <= start < away_to]


def test_moving_existing_time_off_onto_a_booking_warns_too(admin_client, clinic, patient):
    alex = clinic["practitioners"][0]
    booked = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    time_off = TimeOff.objects.create(
        practitioner=alex, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=1), end=TEN_AM_SYDNEY_DEC_3 + timedelta(days=2)
    )
    row = _time_off_row("2026-12-03", "09:00", "12:00", id=time_off.pk)

    response = admin_client.post(
        f"/admin/bookings/practitioner/{alex.pk}/change/",
        _practitioner_form(alex, clinic, [row], initial_time_off=1),
        follow=True,
    )

    assert booked.reference in page_text(response)
    assert TimeOff.objects.get().start == TEN_AM_SYDNEY_DEC_3 + timedelta(days=1)  # not moved until staff choose


def test_staff_cancel_the_bookings_time_off_hits_and_each_patient_is_emailed(
    admin_client, clinic, patient, mailoutbox, delivered
):
    alex = clinic["practitioners"][0]
    booked = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    form = _practitioner_form(alex, clinic, [_time_off_row("2026-12-03", "08:30", "17:30")])

    with delivered():
        response = admin_client.post(
            f"/admin/bookings/practitioner/{alex.pk}/change/", form | {"clash_choice": "cancel"}, follow=True
        )

    assert "1 booking(s) cancelled; each patient is emailed." in page_text(response)
    booked.refresh_from_db()
    assert booked.status == BookingStatus.CANCELLED
    assert booked.cancellation_reason == "Alex Foot is away then."
    assert TimeOff.objects.filter(practitioner=alex).count() == 1
    assert [message.to for message in mailoutbox if booked.reference in message.subject] == [[patient.email]]


def test_time_off_clear_of_bookings_saves_without_a_warning(admin_client, clinic, patient):
    alex = clinic["practitioners"][0]
    phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)

    response = admin_client.post(
        f"/admin/bookings/practitioner/{alex.pk}/change/",
        _practitioner_form(alex, clinic, [_time_off_row("2026-12-03", "12:00", "17:30")]),
        follow=True,
    )

    assert "was changed successfully" in page_text(response)
    assert "fall inside" not in page_text(response)


def _location_form(location, closures):
    data = {
        "name": location.name,
        "slug": location.slug,
        "street_address": location.street_address,
        "suburb": location.suburb,
        "state": location.state,
        "postcode": location.postcode,
        "phone": "+61255501234",
        "email": location.email,
        "time_zone": location.time_zone,
        "position": "0",
        "active": "on",
        "opening_hours-TOTAL_FORMS": "0",
        "opening_hours-INITIAL_FORMS": "0",
        "holiday_openings-TOTAL_FORMS": "0",
        "holiday_openings-INITIAL_FORMS": "0",
        "closures-TOTAL_FORMS": str(len(closures)),
        "closures-INITIAL_FORMS": "0",
    }
    for index, (first, last) in enumerate(closures):
        data |= {
            f"closures-{index}-start_date": first,
            f"closures-{index}-end_date": last,
            f"closures-{index}-reason": "Renovations",
            f"closures-{index}-location": location.pk,
        }
    return data


def test_a_closure_over_booked_patients_lists_each_booking_that_day(admin_client, clinic, patient):
    location = clinic["location"]
    morning = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    evening = phone_booking(
        clinic, None, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=7), practitioner=clinic["practitioners"][1]
    )
    next_day = phone_booking(clinic, None, TEN_AM_SYDNEY_DEC_3 + timedelta(days=1))

    url = f"/admin/bookings/location/{location.pk}/change/"
    form = _location_form(location, [("2026-12-03", "2026-12-03")])
    asked = page_text(admin_client.post(url, form))
    assert "2 booked patient(s) fall inside the closure. Nothing is saved yet" in asked
    assert not ClinicClosure.objects.exists()

    response = admin_client.post(url, form | {"clash_choice": "keep"})
    page = page_text(admin_client.get(response["Location"]))

    assert "2 active booking(s) fall inside the closure" in page
    assert morning.reference in page and evening.reference in page
    assert "Thu 03 Dec 2026, 17:00" in page
    assert next_day.reference not in page
    assert ClinicClosure.objects.filter(location=location).count() == 1
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 3


# 8. Clinic time in record names

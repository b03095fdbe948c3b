"""Patients, the booking list, bulk actions and service wording in the admin: what stops reception
making a mistake silently."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking, BookingStatus, Patient, Service, TimeOff
from tests.bookings.admin_helpers import (
    ADD_BOOKING,
    BOOKINGS,
    booking_form,
    clinic_evening_before,  # noqa: F401 (a fixture)
    page_text,
    phone_booking,
)
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_location, make_patient
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


# 3. Duplicate patients, phone-only patients


def _patient_form(**fields):
    return {
        "given_name": "Jordan",
        "family_name": "Sole",
        "email": "jordan@example.com",
        "phone": "+61491570006",
        "date_of_birth": "",
        "bookings-TOTAL_FORMS": "0",
        "bookings-INITIAL_FORMS": "0",
        **fields,
    }


def test_adding_the_same_patient_again_is_refused_with_a_link_to_the_record(admin_client, patient):
    response = admin_client.post(
        "/admin/bookings/patient/add/", _patient_form(given_name="jordan", email="JORDAN@example.com")
    )

    assert response.status_code == 200
    assert f'<a href="/admin/bookings/patient/{patient.pk}/change/">Jordan Sole</a>' in page_text(response)
    assert Patient.objects.count() == 1


def test_a_family_member_sharing_the_email_can_be_added(admin_client, patient):
    response = admin_client.post("/admin/bookings/patient/add/", _patient_form(given_name="Riley"))

    assert response.status_code == 302
    assert Patient.objects.count() == 2


def test_a_phone_only_patient_can_be_added_and_their_phone_shows_in_the_booking_list(admin_client, clinic):
    response = admin_client.post(
        "/admin/bookings/patient/add/", _patient_form(given_name="Pat", email="", phone="+61491570159")
    )
    assert response.status_code == 302
    phone_only = Patient.objects.get(given_name="Pat")
    assert phone_only.email == ""
    phone_booking(clinic, phone_only, TEN_AM_SYDNEY_DEC_3)

    page = page_text(admin_client.get(BOOKINGS))

    assert "+61491570159" in page


# 4. The booking list and the add form


def test_the_booking_list_opens_on_upcoming_active_bookings_soonest_first(admin_client, clinic, patient):
    later = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(days=1))
    sooner = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    past = phone_booking(clinic, patient, NOW - timedelta(days=1), status=BookingStatus.COMPLETED)
    cancelled = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=3), status=BookingStatus.CANCELLED)

    response = admin_client.get(BOOKINGS)

    assert list(response.context["cl"].result_list) == [sooner, later]
    assert '<li class="selected">\n    <a href="?when=upcoming"' in page_text(response)
    assert list(admin_client.get(BOOKINGS, {"when": "past"}).context["cl"].result_list) == [past]
    assert set(admin_client.get(BOOKINGS, {"when": "all"}).context["cl"].result_list) == {
        later,
        sooner,
        past,
        cancelled,
    }
    assert past.reference in page_text(admin_client.get(BOOKINGS, {"q": past.reference}))


def test_today_shows_the_clinic_days_bookings_whatever_their_status(admin_client, clinic, patient):
    with time_machine.travel(TEN_AM_SYDNEY_DEC_3 + timedelta(hours=1), tick=False):
        done = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3, status=BookingStatus.COMPLETED)
        afternoon = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=4))
        phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(days=1))

        response = admin_client.get(BOOKINGS, {"when": "today"})

    assert list(response.context["cl"].result_list) == [done, afternoon]


def test_the_booking_list_takes_the_same_queries_for_many_bookings(admin_client, clinic, patient):
    phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    admin_client.get(BOOKINGS)  # the staff session's first request also sets when it ends
    with CaptureQueriesContext(connection) as one:
        admin_client.get(BOOKINGS)
    for hour in range(1, 6):
        phone_booking(clinic, make_patient(), TEN_AM_SYDNEY_DEC_3 + timedelta(hours=hour, days=hour))
    with CaptureQueriesContext(connection) as six:
        response = admin_client.get(BOOKINGS)

    assert len(response.context["cl"].result_list) == 6
    assert len(six) == len(one)


def test_the_add_form_picks_the_only_clinic_and_hides_empty_record_fields(admin_client, clinic, patient):
    page = page_text(admin_client.get(ADD_BOOKING))

    assert f'<option value="{clinic["location"].pk}" selected>' in page
    assert "Book outside normal hours" in page
    for label in ("Blocked until", "Privacy accepted at", "Created at", "Reference"):
        assert label not in page

    booking = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    assert "Blocked until" in page_text(admin_client.get(f"/admin/bookings/booking/{booking.pk}/change/"))


def test_the_add_form_leaves_the_clinic_to_choose_when_there_are_two(admin_client, clinic):
    make_location()

    page = page_text(admin_client.get(ADD_BOOKING))

    assert f'<option value="{clinic["location"].pk}" selected>' not in page


# 5. Risky bulk actions


@pytest.fixture
def receptionist(client):
    user = User.objects.create_user("reception", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="bookings"))
    return signed_in(client, user)


def test_bookings_cannot_be_deleted_by_reception_only_cancelled(receptionist, clinic, patient):
    booking = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)

    page = page_text(receptionist.get(BOOKINGS))
    response = receptionist.post(f"/admin/bookings/booking/{booking.pk}/delete/", {"post": "yes"})

    assert "Cancel selected bookings" in page
    assert "delete_selected" not in page
    assert response.status_code == 403
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_cancelling_selected_bookings_asks_first_then_cancels(admin_client, clinic, patient):
    first = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    second = phone_booking(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(days=1))
    selected = {"action": "cancel_bookings", "_selected_action": [first.pk, second.pk]}

    asked = admin_client.post(BOOKINGS, selected)

    page = page_text(asked)
    assert "Are you sure you want to cancel these bookings?" in page
    assert f"{first.reference}</a>:\n        Thu 03 Dec 2026, 10:00" in page
    assert second.reference in page and "Jordan Sole" in page
    assert 'value="Yes, cancel them"' in page
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 2

    done = admin_client.post(BOOKINGS, selected | {"post": "yes"}, follow=True)

    assert "2 booking(s) cancelled." in page_text(done)
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 2


# 7. Service wording


def _service_form(**fields):
    return {
        "name": "Heel pain assessment",
        "slug": "heel-pain-assessment",
        "description": "We look at how you walk.",
        "duration_minutes": "45",
        "buffer_minutes": "0",
        "price": "",
        "bookable_online": "on",
        "confirmation": "instant",
        "treatment": "",
        "position": "0",
        "active": "on",
        **fields,
    }


def test_an_active_service_cannot_promise_a_painless_cure(admin_client, db):
    response = admin_client.post(
        "/admin/bookings/service/add/", _service_form(description="A painless fix, guaranteed.")
    )

    [error] = response.context["adminform"].form.errors["description"]
    assert "The description contains “painless”, “guaranteed”" in error
    assert not Service.objects.exists()


def test_an_inactive_draft_service_may_keep_the_wording_for_now(admin_client, db):
    response = admin_client.post("/admin/bookings/service/add/", _service_form(name="Miracle insoles", active=""))

    assert response.status_code == 302
    assert Service.objects.get().name == "Miracle insoles"


def test_ticking_active_on_the_service_list_is_checked_too(admin_client, db):
    service = Service.objects.create(name="Miracle insoles", slug="miracle", active=False)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": service.pk,
        "form-0-bookable_online": "on",
        "form-0-active": "on",
        "_save": "Save",
    }

    response = admin_client.post("/admin/bookings/service/", data)

    assert "The name contains “Miracle”" in page_text(response)
    service.refresh_from_db()
    assert not service.active


def test_booking_a_practitioner_during_their_time_off_is_refused(admin_client, clinic, patient):
    TimeOff.objects.create(
        practitioner=clinic["practitioners"][0],
        start=TEN_AM_SYDNEY_DEC_3 - timedelta(hours=1),
        end=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=1),
    )

    response = admin_client.post(ADD_BOOKING, booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))

    assert "Alex Foot has time off then." in response.context["adminform"].form.errors["start"][0]
    assert not Booking.objects.exists()


def test_an_online_booking_change_page_keeps_what_the_patient_wrote_read_only(admin_client, clinic, patient):
    booking = make_booking(
        practitioner=clinic["practitioners"][0],
        location=clinic["location"],
        service=clinic["service"],
        start=TEN_AM_SYDNEY_DEC_3,
        patient=patient,
    )

    response = admin_client.get(f"/admin/bookings/booking/{booking.pk}/change/")

    form = response.context["adminform"].form
    assert "notes" not in form.fields and "outside_hours_ok" in form.fields
    assert booking.reference in page_text(response)


def test_staff_see_which_privacy_notice_the_patient_agreed_to_and_when(admin_client, clinic, patient):
    booking = make_booking(
        practitioner=clinic["practitioners"][0],
        location=clinic["location"],
        service=clinic["service"],
        start=TEN_AM_SYDNEY_DEC_3,
        patient=patient,
    )
    Booking.objects.filter(pk=booking.pk).update(
        privacy_notice_version="2026-11-25", privacy_accepted_at=TEN_AM_SYDNEY_DEC_3 - timedelta(days=2)
    )

    page = page_text(admin_client.get(f"/admin/bookings/booking/{booking.pk}/change/"))

    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Privacy notice version: 2026-11-25 Privacy accepted at: 1 Dec 2026, 10 a.m." in shown

"""A phone booking from the free times patients see: choose the appointment and who with (or the
first available), pick a time, find the caller (by name, phone as spoken or date of birth) or
add them, all without JavaScript, and the booking form opens filled in; saving books them."""

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from bookings.models import Booking, BookingChannel, Patient
from tests.bookings.admin_helpers import clinic_evening_before  # noqa: F401 (a fixture)
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_patient, make_service

pytestmark = pytest.mark.django_db

PHONE = reverse("admin:bookings_booking_phone")
PATIENT_STEP = reverse("admin:bookings_booking_phone_patient")
ADD = reverse("admin:bookings_booking_add")


def _first_time(admin_client) -> str:
    """The patient step's address for the first free time of the assessment."""
    times = admin_client.get(PHONE, {"service": "assessment", "practitioner": "any"}).content.decode()
    return re.search(r'href="(/admin/bookings/booking/phone/patient/\?[^"]+)"', times)[1].replace("&amp;", "&")


def _links(response, starting: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(rf'href="({re.escape(starting)}\?[^"]+)"', response.text)]


def test_reception_books_a_caller_on_a_free_time(admin_client, clinic, patient):
    chooser = admin_client.get(PHONE)
    assert chooser.status_code == 200
    assert "Comprehensive biomechanical assessment (60 min)" in chooser.content.decode()

    times = admin_client.get(PHONE, {"service": "assessment", "practitioner": "any"}).content.decode()
    assert "Times from" in times
    step = _first_time(admin_client)
    assert "service=" in step and "practitioner=" in step and "start=" in step
    asked = admin_client.get(step)
    booking = "Booking <strong>Comprehensive biomechanical assessment</strong>, Wednesday 2 December 2026 at 8:00 am"
    assert booking in asked.text
    assert "Who is the booking for?" in asked.text

    # The caller gives their mobile number as people say it; the search is posted, not put in the address.
    found = admin_client.post(step, {"q": "0491 570 006"})
    assert "Jordan Sole" in found.text and "1 record found" in found.text
    (link,) = _links(found, ADD)
    assert "0491" not in link and "Jordan" not in link

    form = admin_client.get(link).context["adminform"].form
    assert form.initial["service"] == str(clinic["service"].pk)
    assert form.initial["patient"] == str(patient.pk)
    start = form.initial["start"]
    data = {
        "patient": form.initial["patient"],
        "service": clinic["service"].pk,
        "practitioner": form.initial["practitioner"],
        "location": clinic["location"].pk,
        "start_0": f"{start:%Y-%m-%d}",
        "start_1": f"{start:%H:%M}",
        "status": "confirmed",
        "channel": BookingChannel.PHONE,
        "concern_text": "",
        "notes": "",
    }
    saved = admin_client.post(reverse("admin:bookings_booking_add"), data)

    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    booking = Booking.objects.get()
    assert booking.start == start and booking.channel == BookingChannel.PHONE


def test_an_unknown_appointment_is_a_404(admin_client, clinic):
    assert admin_client.get(PHONE, {"service": "no-such-thing"}).status_code == 404


def test_a_new_caller_is_added_on_the_way_and_the_booking_form_has_them(admin_client, clinic):
    step = _first_time(admin_client)
    nobody = admin_client.post(step, {"q": "Riley Arch"})
    assert "Nobody recorded matches" in nobody.text

    added = admin_client.post(
        step,
        {
            "add_patient": "",
            "new-given_name": "Riley",
            "new-family_name": "Arch",
            "new-phone": "0412 345 678",
            "new-email": "",
            "new-date_of_birth": "14 July 1988",
        },
    )

    assert added.status_code == 302
    riley = Patient.objects.get(family_name="Arch")
    assert riley.phone == "+61412345678" and riley.date_of_birth == date(1988, 7, 14)
    query = parse_qs(urlsplit(added["Location"]).query)
    assert urlsplit(added["Location"]).path == ADD and query["patient"] == [str(riley.pk)]
    assert {"service", "location", "practitioner", "start"} <= set(query)
    assert riley.history.get().history_user.username == "admin"  # the audit names who added them
    form = admin_client.get(added["Location"]).context["adminform"].form
    assert form.initial["patient"] == str(riley.pk)


def test_adding_a_caller_who_may_be_recorded_warns_and_bad_details_keep_nothing(admin_client, clinic):
    make_patient(given_name="Riley", family_name="Arch", phone="+61412345678")
    step = _first_time(admin_client)
    details = {"add_patient": "", "new-given_name": "Riley", "new-family_name": "Arch", "new-phone": "0412345678"}

    refused = admin_client.post(step, details | {"new-date_of_birth": "31/02/1988"})
    assert refused.status_code == 200
    assert "Enter the date of birth as day, month and year" in refused.text
    assert 'value="Riley"' in refused.text  # what was typed stays
    assert Patient.objects.count() == 1

    added = admin_client.post(step, details, follow=True)
    assert "This may be someone already recorded" in added.text
    assert Patient.objects.count() == 2


@pytest.mark.parametrize("carried", ["?start=not-a-time&service=x", "?start=2026-12-03T08:00:00&service=999999999", ""])
def test_the_patient_step_without_a_usable_time_still_finds_and_adds(admin_client, clinic, patient, carried):
    page = admin_client.get(PATIENT_STEP + carried)
    assert page.status_code == 200 and "No time is chosen yet" in page.text
    found = admin_client.post(PATIENT_STEP + carried, {"q": "jordan@example.com"})
    assert len(_links(found, ADD)) == 1


def test_the_booking_form_offers_the_patient_step_for_staff_without_javascript(admin_client, clinic):
    form = admin_client.get(ADD, {"practitioner": clinic["practitioners"][0].pk, "start": "2026-12-03T08:00:00+11:00"})
    (step,) = _links(form, PATIENT_STEP)
    assert parse_qs(urlsplit(step).query)["practitioner"] == [str(clinic["practitioners"][0].pk)]
    assert PATIENT_STEP not in admin_client.get(ADD, {"patient": "1"}).text


def test_a_service_patients_must_phone_for_is_booked_and_moved_on_the_same_free_times(admin_client, clinic, patient):
    fitting = make_service(name="Footwear fitting", slug="fitting", bookable_online=False)
    for practitioner in clinic["practitioners"]:
        practitioner.services.add(fitting)

    chooser = admin_client.get(PHONE).content.decode()
    assert "Footwear fitting (60 min, booked by phone only)" in chooser
    times = admin_client.get(PHONE, {"service": "fitting", "practitioner": "any"}).content.decode()
    assert re.search(r'href="/admin/bookings/booking/phone/patient/\?[^"]*start=', times), "no free times offered"

    booking = make_booking(
        service=fitting,
        location=clinic["location"],
        practitioner=clinic["practitioners"][0],
        patient=patient,
        start=TEN_AM_SYDNEY_DEC_3,
    )
    moves = admin_client.get(reverse("admin:bookings_booking_move", args=[booking.pk])).content.decode()
    assert re.search(rf'href="/admin/bookings/booking/{booking.pk}/move/\?[^"]*start=', moves)


@pytest.mark.parametrize("typed", ["\x00", "Jor\x00dan", "x" * 5000, "0412 ☎ 345", "%", "'; DROP TABLE patients; --"])
def test_anything_typed_in_the_patient_search_gets_a_page_not_an_error(admin_client, clinic, patient, typed):
    response = admin_client.post(PATIENT_STEP, {"q": typed})
    assert response.status_code == 200


def test_a_new_patient_with_an_unreadable_phone_is_refused_in_words_and_nothing_kept(admin_client, clinic):
    refused = admin_client.post(
        PATIENT_STEP,
        {"add_patient": "", "new-given_name": "Riley", "new-family_name": "Arch", "new-phone": "call me maybe"},
    )
    assert refused.status_code == 200
    assert "phone" in refused.context["new_patient"].errors
    assert not Patient.objects.filter(family_name="Arch").exists()

"""Reception finds a patient as they are told: the phone number in any written form, or the date
of birth as people say it, in the patient list and the booking list."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from bookings.models import Booking, Patient
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_patient

pytestmark = pytest.mark.django_db

PATIENTS = reverse("admin:bookings_patient_changelist")
BOOKINGS = reverse("admin:bookings_booking_changelist")


@pytest.fixture
def jordan(db):
    return make_patient(given_name="Jordan", phone="+61412345678", date_of_birth=date(1988, 7, 14))


@pytest.mark.parametrize("typed", ["0412 345 678", "0412345678", "+61 412 345 678", "+61412345678", " 0412-345-678 "])
def test_a_patient_is_found_by_their_mobile_number_however_it_is_written(admin_client, jordan, typed):
    make_patient(given_name="Other", phone="+61491570006")

    found = list(admin_client.get(PATIENTS, {"q": typed}).context["cl"].result_list)

    assert found == [jordan]


@pytest.mark.parametrize("typed", ["14 July 1988", "14/7/88", "14/07/1988", "1988-07-14"])
def test_a_patient_is_found_by_their_date_of_birth_as_people_say_it(admin_client, jordan, typed):
    make_patient(given_name="Other", phone="+61491570006", date_of_birth=date(1990, 1, 2))

    found = list(admin_client.get(PATIENTS, {"q": typed}).context["cl"].result_list)

    assert found == [jordan]


def test_bookings_are_found_by_the_patient_s_phone_number_as_spoken(admin_client, clinic, jordan):
    where = {"practitioner": clinic["practitioners"][0], "location": clinic["location"], "service": clinic["service"]}
    booking = make_booking(patient=jordan, start=TEN_AM_SYDNEY_DEC_3, **where)
    other = make_patient(given_name="Other", phone="+61491570006")
    make_booking(patient=other, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), **where)

    found = list(admin_client.get(BOOKINGS, {"q": "0412 345 678"}).context["cl"].result_list)

    assert found == [booking]


def test_names_and_emails_are_still_found_and_junk_finds_nothing(admin_client, jordan):
    assert list(admin_client.get(PATIENTS, {"q": "jordan"}).context["cl"].result_list) == [jordan]
    for junk in ("0412 345", "31/02/1988", "+999 1234 5678 9999 99"):
        response = admin_client.get(PATIENTS, {"q": junk})
        assert response.status_code == 200
        assert jordan not in response.context["cl"].result_list
    assert Patient.objects.count() == 1


def test_the_booking_list_shows_this_week_next_week_or_any_range(admin_client, clinic, jordan):
    import time_machine

    where = {"practitioner": clinic["practitioners"][0], "location": clinic["location"], "service": clinic["service"]}
    this_week = make_booking(patient=jordan, start=TEN_AM_SYDNEY_DEC_3, **where)  # a Thursday
    next_week = make_booking(patient=jordan, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=7), **where)
    later = make_booking(patient=jordan, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=21), **where)

    with time_machine.travel(TEN_AM_SYDNEY_DEC_3 - timedelta(days=1), tick=False):

        def listed(**query):
            return list(admin_client.get(BOOKINGS, query).context["cl"].result_list)

        assert listed(when="this_week") == [this_week]
        assert listed(when="next_week") == [next_week]
        assert listed(start__date__gte="2026-12-20", start__date__lte="2026-12-31") == [later]
        page = admin_client.get(BOOKINGS, {"when": "all"}).content.decode()
    assert "Thu 03 Dec 2026, 10:00 to 11:00" in page
    assert page.index("Patient") < page.index("When (clinic time)")


def test_the_patient_page_shows_what_they_typed_differently_on_a_booking(admin_client, clinic, jordan):
    where = {"practitioner": clinic["practitioners"][0], "location": clinic["location"], "service": clinic["service"]}
    booking = make_booking(patient=jordan, start=TEN_AM_SYDNEY_DEC_3, **where)
    Booking.objects.filter(pk=booking.pk).update(
        submitted_phone="+61491570006", submitted_date_of_birth=date(1988, 7, 14)
    )

    page = admin_client.get(reverse("admin:bookings_patient_change", args=[jordan.pk])).content.decode()

    assert f"{booking.reference}</a>: mobile phone typed as +61491570006 (record: +61412345678)" in page
    assert "date of birth typed" not in page  # the same as the record

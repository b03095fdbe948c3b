"""The reception calendar in the admin: a day or a week, one column per practitioner, bookings in
words, free times that open a new booking for them, time off and closures marked, bookings that
do not fit flagged; the day sheet; a fixed number of queries whatever the size of the clinic."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings import services, staff_groups
from bookings.calendar_cache import grids, pages
from bookings.models import BookingStatus, ClinicClosure, Practitioner, TimeOff, WorkingHours
from bookings.selectors import forget_main_location
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_patient
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

CALENDAR = reverse("admin:bookings_booking_calendar")
SHEET = reverse("admin:bookings_booking_day_sheet")
NINE_AM_SYDNEY_DEC_3 = datetime(2026, 12, 2, 22, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def morning_of_dec_3():
    with time_machine.travel(NINE_AM_SYDNEY_DEC_3 + timedelta(minutes=20), tick=False):
        yield


def _text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _book(clinic, start, *, practitioner=0, **fields):
    where = {"location": clinic["location"], "service": clinic["service"]}
    return make_booking(practitioner=clinic["practitioners"][practitioner], start=start, **where, **fields)


def test_the_day_opens_on_today_with_each_practitioner_s_bookings_in_words(admin_client, clinic):
    jordan = make_patient(given_name="Jordan", family_name="Sole")
    _book(clinic, TEN_AM_SYDNEY_DEC_3, patient=jordan)
    _book(clinic, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), practitioner=1, status=BookingStatus.REQUESTED)

    response = admin_client.get(CALENDAR)

    assert response.status_code == 200
    page = _text(response)
    assert "Calendar: Thursday 3 December 2026" in page
    head = response.content.decode().split("<tbody>")[0]
    assert '<th scope="col">Alex Foot' in head and '<th scope="col">Sam Heel' in head
    assert "Jordan Sole Comprehensive biomechanical assessment Confirmed" in page
    assert "Requested" in page
    assert '<th scope="row">9:15 am <strong class="now-marker">now</strong></th>' in response.content.decode()
    # Free times open a new booking for that practitioner and time.
    step = r'href="(/admin/bookings/booking/phone/patient/\?practitioner=(\d+)&amp;start=([^"]+))"'
    free = re.search(step, response.text)
    assert free and "Book 8:00 am" in page
    patient = make_patient(given_name="Caller")
    found = admin_client.post(free[1].replace("&amp;", "&"), {"q": "Caller"})
    book = re.search(r'href="(/admin/bookings/booking/add/\?[^"]+)"', found.text)[1].replace("&amp;", "&")
    added = admin_client.get(book)
    form = added.context["adminform"].form
    assert str(form.initial["patient"]) == str(patient.pk)
    assert str(form.initial["practitioner"]) == free[2]
    assert form.initial["start"].isoformat().startswith("2026-12-03T08:00:00+11:00")


def test_time_off_closures_and_hours_are_marked_and_a_clash_is_flagged(admin_client, clinic):
    alex = clinic["practitioners"][0]
    WorkingHours.objects.filter(practitioner=alex).update(start="09:00")
    TimeOff.objects.create(
        practitioner=alex, start=TEN_AM_SYDNEY_DEC_3, end=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), reason="Course"
    )
    _book(clinic, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=1))  # booked before the time off was added

    page = _text(admin_client.get(CALENDAR))

    assert "Not working" in page  # 8 to 9 am
    assert "Course" in page
    assert "Check: During time off" in page

    ClinicClosure.objects.create(
        location=clinic["location"], start_date="2026-12-03", end_date="2026-12-03", reason="Stocktake"
    )
    assert "Stocktake" in _text(admin_client.get(CALENDAR))
    christmas = _text(admin_client.get(CALENDAR, {"date": "2026-12-25"}))
    assert "Christmas Day" in christmas


def test_the_week_shows_seven_days_for_each_practitioner(admin_client, clinic):
    _book(clinic, TEN_AM_SYDNEY_DEC_3 + timedelta(days=2), patient=make_patient(given_name="Sat"))

    response = admin_client.get(CALENDAR, {"view": "week", "practitioner": clinic["practitioners"][0].pk})

    page = _text(response)
    assert "Week of Monday 30 November to Sunday 6 December 2026" in page
    assert response.content.decode().count('scope="colgroup"') == 7
    assert "Sat Patient" in page
    assert "Sam Heel" not in response.content.decode().split("<thead>")[1].split("</thead>")[0]
    assert "?date=2026-12-10" in response.text  # next week
    assert "Previous week" in page


def test_an_unreadable_address_shows_today_with_a_warning(admin_client, clinic):
    response = admin_client.get(CALENDAR, {"date": "2026-13-45", "view": "year", "practitioner": "x", "step": "7"})

    assert response.status_code == 200
    assert "We could not read part of that address" in _text(response)
    assert "Thursday 3 December 2026" in _text(response)


def test_the_day_sheet_lists_each_practitioner_s_patients_with_their_phone(admin_client, clinic):
    jordan = make_patient(given_name="Jordan", family_name="Sole", phone="+61412345678")
    _book(clinic, TEN_AM_SYDNEY_DEC_3, patient=jordan)

    page = _text(admin_client.get(SHEET, {"date": "2026-12-03"}))

    expected = "Alex Foot Time Patient Phone Appointment Status Notes 10:00 am to 11:00 am Jordan Sole 0412 345 678"
    assert expected in page
    assert "0412 345 678 Comprehensive biomechanical assessment Confirmed" in page
    assert "Sam Heel" in page and "No appointments." in page


def _grow(clinic, practitioners: int, bookings_each: int):
    location, service = clinic["location"], clinic["service"]
    for n in range(practitioners):
        practitioner = Practitioner.objects.create(name=f"Extra {n}")
        practitioner.locations.add(location)
        practitioner.services.add(service)
        WorkingHours.objects.create(practitioner=practitioner, location=location, weekday=3, start="08:00", end="18:00")
        for k in range(bookings_each):
            make_booking(
                practitioner=practitioner, location=location, service=service,
                start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2 * (k % 4), days=k // 4),
            )  # fmt: skip


@pytest.mark.parametrize("view", ["day", "week"])
def test_the_calendar_takes_the_same_queries_whatever_the_size_of_the_clinic(
    admin_client, clinic, view, django_assert_num_queries
):
    admin_client.get(CALENDAR, {"view": view})
    grids.clear()  # each measured view renders its grid and page afresh, reading the clinic too
    pages.clear()
    forget_main_location()
    with CaptureQueriesContext(connection) as small:
        admin_client.get(CALENDAR, {"view": view})
    _grow(clinic, practitioners=6, bookings_each=12)

    grids.clear()
    pages.clear()
    forget_main_location()
    with django_assert_num_queries(len(small)):
        response = admin_client.get(CALENDAR, {"view": view})

    assert response.status_code == 200
    assert "Extra 5" in response.text
    assert _text(response).count("Comprehensive biomechanical assessment") >= 6


def test_the_grid_is_rendered_once_and_any_change_it_shows_appears_at_once(admin_client, clinic):
    booking = _book(clinic, TEN_AM_SYDNEY_DEC_3, patient=make_patient(given_name="Jordan", family_name="Sole"))
    admin_client.get(CALENDAR, {"view": "week"})
    with CaptureQueriesContext(connection) as again:
        repeat = admin_client.get(CALENDAR, {"view": "week"})
    assert not [q for q in again if '"bookings_booking"' in q["sql"]], "the grid came from the worker's memory"
    assert "Jordan Sole" in _text(repeat)

    patient = booking.patient
    patient.given_name = "Jordana"
    patient.save()
    assert "Jordana Sole" in _text(admin_client.get(CALENDAR, {"view": "week"}))
    services.booking_cancel(booking=booking, by_patient=False, reason="Unwell")
    assert "Jordana Sole" not in _text(admin_client.get(CALENDAR, {"view": "week"}))
    TimeOff.objects.create(
        practitioner=clinic["practitioners"][0],
        start=TEN_AM_SYDNEY_DEC_3,
        end=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=1),
        reason="Dentist",
    )
    assert "Dentist" in _text(admin_client.get(CALENDAR, {"view": "week"}))


def test_a_podiatrist_sees_their_own_calendar_and_a_content_editor_none(clinic):
    alex = clinic["practitioners"][0]
    alex.user = User.objects.create_user("alex", password="a long password for tests", is_staff=True)
    alex.save()
    alex.user.groups.add(Group.objects.get(name=staff_groups.PODIATRIST))
    _book(clinic, TEN_AM_SYDNEY_DEC_3, patient=make_patient(given_name="Own"))
    _book(clinic, TEN_AM_SYDNEY_DEC_3, practitioner=1, patient=make_patient(given_name="Other"))
    podiatrist = signed_in(Client(), alex.user)
    manager = User.objects.create_superuser("boss", password="a long password for tests")
    assert "Other Patient" in _text(signed_in(Client(), manager).get(CALENDAR))  # the grid everyone may see...

    response = podiatrist.get(CALENDAR)  # ...is not the podiatrist's

    assert response.status_code == 200
    assert "Own Patient" in _text(response) and "Other Patient" not in _text(response)
    assert "Sam Heel" not in _text(response)
    assert "/admin/bookings/booking/add/" not in response.text  # a podiatrist does not make bookings
    assert "/phone/patient/" not in response.text
    editor = User.objects.create_user("writer", password="a long password for tests", is_staff=True)
    editor.groups.add(Group.objects.get(name=staff_groups.CONTENT_EDITOR))
    writer = signed_in(Client(), editor)
    assert writer.get(CALENDAR).status_code == 403
    assert writer.get(SHEET).status_code == 403


def test_each_staff_member_s_page_is_kept_for_them_alone_and_never_with_a_message_on_it(clinic):
    import brotli

    _book(clinic, TEN_AM_SYDNEY_DEC_3, patient=make_patient(given_name="Jordan", family_name="Sole"))
    front, back = (
        signed_in(Client(), User.objects.create_superuser(name, password="a long password for tests"))
        for name in ("frontdesk", "backoffice")
    )
    front.get(CALENDAR)  # the form token's cookie is set: from now on the page can be kept
    with CaptureQueriesContext(connection) as kept:
        again = front.get(CALENDAR, headers={"Accept-Encoding": "br"})
    assert again["Content-Encoding"] == "br" and "Accept-Encoding" in again["Vary"]
    assert "Jordan Sole" in brotli.decompress(again.content).decode()
    assert len(kept) < 8

    other = back.get(CALENDAR).text
    assert "backoffice" in other and "frontdesk" not in other

    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    front.cookies["messages"] = CookieStorage(HttpRequest())._encode([Message(25, "Booking moved.")])
    assert "Booking moved." in front.get(CALENDAR).text  # shown, so rendered for this request
    assert "Booking moved." not in front.get(CALENDAR).text  # ...and never kept

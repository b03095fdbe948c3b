"""What reception sees when the admin stops a mistake: a typo'd time, a duplicate patient, time
off over booked patients, a risky bulk action."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import Booking, BookingChannel, BookingStatus, ClinicClosure, Patient, Service, TimeOff
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_location, make_patient
from tests.bookings.test_admin import booking_form

pytestmark = pytest.mark.django_db

ADD_BOOKING = "/admin/bookings/booking/add/"
BOOKINGS = "/admin/bookings/booking/"
THREE_AM_SYDNEY_DEC_3 = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
TEN_AM_SYDNEY_CHRISTMAS = datetime(2026, 12, 24, 23, 0, tzinfo=UTC)  # a NSW public holiday


@pytest.fixture(autouse=True)
def _clinic_evening_before():
    with time_machine.travel(NOW, tick=False):
        yield


def _book(clinic, patient, start, *, practitioner=None, status=BookingStatus.CONFIRMED):
    """A booking taken by phone, so staff may edit every field."""
    booking = make_booking(
        practitioner=practitioner or clinic["practitioners"][0],
        location=clinic["location"],
        service=clinic["service"],
        start=start,
        patient=patient,
        status=status,
    )
    Booking.objects.filter(pk=booking.pk).update(channel=BookingChannel.PHONE)
    booking.refresh_from_db()
    return booking


def _page(response) -> str:
    return response.content.decode()


# 1. Time off and closures over booked patients


def _practitioner_form(practitioner, clinic, time_off=(), initial_time_off=0):
    data = {
        "name": practitioner.name,
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
    booked = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    _book(clinic, None, TEN_AM_SYDNEY_DEC_3, practitioner=sam)
    _book(clinic, None, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), status=BookingStatus.CANCELLED)

    response = admin_client.post(
        f"/admin/bookings/practitioner/{alex.pk}/change/",
        _practitioner_form(alex, clinic, [_time_off_row("2026-12-03", "08:30", "17:30")]),
        follow=True,
    )

    page = _page(response)
    assert "1 active booking(s) fall inside Alex Foot&#x27;s time off" in page
    assert f'<a href="/admin/bookings/booking/{booked.pk}/change/">{booked.reference}</a>' in page
    assert "Thu 03 Dec 2026, 10:00 (Jordan Sole)" in page
    assert "contact these patients" in page
    assert TimeOff.objects.filter(practitioner=alex).count() == 1
    booked.refresh_from_db()
    assert booked.status == BookingStatus.CONFIRMED


def test_moving_existing_time_off_onto_a_booking_warns_too(admin_client, clinic, patient):
    alex = clinic["practitioners"][0]
    booked = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    time_off = TimeOff.objects.create(
        practitioner=alex, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=1), end=TEN_AM_SYDNEY_DEC_3 + timedelta(days=2)
    )
    row = _time_off_row("2026-12-03", "09:00", "12:00", id=time_off.pk)

    response = admin_client.post(
        f"/admin/bookings/practitioner/{alex.pk}/change/",
        _practitioner_form(alex, clinic, [row], initial_time_off=1),
        follow=True,
    )

    assert booked.reference in _page(response)


def test_time_off_clear_of_bookings_saves_without_a_warning(admin_client, clinic, patient):
    alex = clinic["practitioners"][0]
    _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)

    response = admin_client.post(
        f"/admin/bookings/practitioner/{alex.pk}/change/",
        _practitioner_form(alex, clinic, [_time_off_row("2026-12-03", "12:00", "17:30")]),
        follow=True,
    )

    assert "was changed successfully" in _page(response)
    assert "fall inside" not in _page(response)


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
    morning = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    evening = _book(clinic, None, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=7), practitioner=clinic["practitioners"][1])
    next_day = _book(clinic, None, TEN_AM_SYDNEY_DEC_3 + timedelta(days=1))

    response = admin_client.post(
        f"/admin/bookings/location/{location.pk}/change/", _location_form(location, [("2026-12-03", "2026-12-03")])
    )
    page = _page(admin_client.get(response["Location"]))

    assert "2 active booking(s) fall inside the closure" in page
    assert morning.reference in page and evening.reference in page
    assert "Thu 03 Dec 2026, 17:00" in page
    assert next_day.reference not in page
    assert ClinicClosure.objects.filter(location=location).count() == 1
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 3


# 2. Impossible times typed by mistake


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        (THREE_AM_SYDNEY_DEC_3, "03:00–04:00 is outside Alex Foot"),
        (NOW - timedelta(days=1), "This start time is in the past."),
        (TEN_AM_SYDNEY_CHRISTMAS, "SOLE THERAPY is closed on Friday 25 Dec 2026"),
    ],
)
def test_reception_cannot_book_an_impossible_time_by_typo(admin_client, clinic, patient, start, problem):
    response = admin_client.post(ADD_BOOKING, booking_form(clinic, patient, start))

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["start"]
    assert problem in error
    assert "tick “Book outside normal hours”" in error
    assert not Booking.objects.exists()


def test_a_clinic_closure_day_is_refused(admin_client, clinic, patient):
    ClinicClosure.objects.create(location=clinic["location"], start_date=date(2026, 12, 3), end_date=date(2026, 12, 4))

    response = admin_client.post(ADD_BOOKING, booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))

    assert "SOLE THERAPY is closed on Thursday 03 Dec 2026" in response.context["adminform"].form.errors["start"][0]
    assert not Booking.objects.exists()


@pytest.mark.parametrize("start", [THREE_AM_SYDNEY_DEC_3, TEN_AM_SYDNEY_CHRISTMAS, NOW - timedelta(hours=2)])
def test_ticking_book_outside_normal_hours_books_it_anyway(admin_client, clinic, patient, start):
    response = admin_client.post(ADD_BOOKING, booking_form(clinic, patient, start, outside_hours_ok="on"))

    assert response.status_code == 302
    assert Booking.objects.get().start == start


def test_ticking_book_outside_normal_hours_never_allows_an_overlap(admin_client, clinic, patient):
    _book(clinic, patient, THREE_AM_SYDNEY_DEC_3)

    response = admin_client.post(
        ADD_BOOKING, booking_form(clinic, patient, THREE_AM_SYDNEY_DEC_3 + timedelta(minutes=30), outside_hours_ok="on")
    )

    assert "already has booking" in _page(response)
    assert Booking.objects.count() == 1


def test_editing_notes_on_a_past_booking_is_not_refused_as_past(admin_client, clinic, patient):
    booking = _book(clinic, patient, NOW - timedelta(days=2))
    form = booking_form(clinic, patient, booking.start, notes="Bring orthotics next time")

    response = admin_client.post(f"/admin/bookings/booking/{booking.pk}/change/", form)

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.notes == "Bring orthotics next time"


def test_moving_a_booking_to_3_am_is_refused(admin_client, clinic, patient):
    booking = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)

    response = admin_client.post(
        f"/admin/bookings/booking/{booking.pk}/change/", booking_form(clinic, patient, THREE_AM_SYDNEY_DEC_3)
    )

    assert "outside Alex Foot" in response.context["adminform"].form.errors["start"][0]
    booking.refresh_from_db()
    assert booking.start == TEN_AM_SYDNEY_DEC_3


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
    assert f'<a href="/admin/bookings/patient/{patient.pk}/change/">Jordan Sole</a>' in _page(response)
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
    _book(clinic, phone_only, TEN_AM_SYDNEY_DEC_3)

    page = _page(admin_client.get(BOOKINGS))

    assert "+61491570159" in page


# 4. The booking list and the add form


def test_the_booking_list_opens_on_upcoming_active_bookings_soonest_first(admin_client, clinic, patient):
    later = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(days=1))
    sooner = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    past = _book(clinic, patient, NOW - timedelta(days=1), status=BookingStatus.COMPLETED)
    cancelled = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=3), status=BookingStatus.CANCELLED)

    response = admin_client.get(BOOKINGS)

    assert list(response.context["cl"].result_list) == [sooner, later]
    assert '<li class="selected">\n    <a href="?when=upcoming"' in _page(response)
    assert list(admin_client.get(BOOKINGS, {"when": "past"}).context["cl"].result_list) == [past]
    assert set(admin_client.get(BOOKINGS, {"when": "all"}).context["cl"].result_list) == {
        later,
        sooner,
        past,
        cancelled,
    }
    assert past.reference in _page(admin_client.get(BOOKINGS, {"q": past.reference}))


def test_today_shows_the_clinic_days_bookings_whatever_their_status(admin_client, clinic, patient):
    with time_machine.travel(TEN_AM_SYDNEY_DEC_3 + timedelta(hours=1), tick=False):
        done = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3, status=BookingStatus.COMPLETED)
        afternoon = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=4))
        _book(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(days=1))

        response = admin_client.get(BOOKINGS, {"when": "today"})

    assert list(response.context["cl"].result_list) == [done, afternoon]


def test_the_booking_list_takes_the_same_queries_for_many_bookings(admin_client, clinic, patient):
    _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(BOOKINGS)
    for hour in range(1, 6):
        _book(clinic, make_patient(), TEN_AM_SYDNEY_DEC_3 + timedelta(hours=hour, days=hour))
    with CaptureQueriesContext(connection) as six:
        response = admin_client.get(BOOKINGS)

    assert len(response.context["cl"].result_list) == 6
    assert len(six) == len(one)


def test_the_add_form_picks_the_only_clinic_and_hides_empty_record_fields(admin_client, clinic, patient):
    page = _page(admin_client.get(ADD_BOOKING))

    assert f'<option value="{clinic["location"].pk}" selected>' in page
    assert "Book outside normal hours" in page
    for label in ("Blocked until", "Privacy accepted at", "Created at", "Reference"):
        assert label not in page

    booking = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    assert "Blocked until" in _page(admin_client.get(f"/admin/bookings/booking/{booking.pk}/change/"))


def test_the_add_form_leaves_the_clinic_to_choose_when_there_are_two(admin_client, clinic):
    make_location()

    page = _page(admin_client.get(ADD_BOOKING))

    assert f'<option value="{clinic["location"].pk}" selected>' not in page


# 5. Risky bulk actions


@pytest.fixture
def receptionist(client):
    user = User.objects.create_user("reception", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="bookings"))
    client.force_login(user)
    return client


def test_bookings_cannot_be_deleted_by_reception_only_cancelled(receptionist, clinic, patient):
    booking = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)

    page = _page(receptionist.get(BOOKINGS))
    response = receptionist.post(f"/admin/bookings/booking/{booking.pk}/delete/", {"post": "yes"})

    assert "Cancel selected bookings" in page
    assert "delete_selected" not in page
    assert response.status_code == 403
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_cancelling_selected_bookings_asks_first_then_cancels(admin_client, clinic, patient):
    first = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    second = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(days=1))
    selected = {"action": "cancel_bookings", "_selected_action": [first.pk, second.pk]}

    asked = admin_client.post(BOOKINGS, selected)

    page = _page(asked)
    assert "Are you sure you want to cancel these bookings?" in page
    assert f"{first.reference}</a>:\n        Thu 03 Dec 2026, 10:00" in page
    assert second.reference in page and "Jordan Sole" in page
    assert 'value="Yes, cancel them"' in page
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 2

    done = admin_client.post(BOOKINGS, selected | {"post": "yes"}, follow=True)

    assert "2 booking(s) cancelled." in _page(done)
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 2


# 6. Completed / did not attend only once the appointment has started


def test_a_future_booking_cannot_be_marked_completed_or_did_not_attend(admin_client, clinic, patient):
    future = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    past = _book(clinic, patient, NOW - timedelta(hours=3))

    response = admin_client.post(
        f"{BOOKINGS}?when=all", {"action": "mark_completed", "_selected_action": [future.pk, past.pk]}, follow=True
    )

    page = _page(response)
    assert "1 booking(s) marked completed." in page
    assert f"{future.reference}: This booking has not started yet" in page
    future.refresh_from_db()
    past.refresh_from_db()
    assert (future.status, past.status) == (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


def test_the_change_form_refuses_did_not_attend_before_the_start(admin_client, clinic, patient):
    future = _book(clinic, patient, TEN_AM_SYDNEY_DEC_3)
    form = booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3, status=BookingStatus.NO_SHOW)

    response = admin_client.post(f"/admin/bookings/booking/{future.pk}/change/", form, follow=True)

    assert "This booking has not started yet" in _page(response)
    future.refresh_from_db()
    assert future.status == BookingStatus.CONFIRMED


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

    assert "The name contains “Miracle”" in _page(response)
    service.refresh_from_db()
    assert not service.active


# 8. Clinic time in record names


def test_time_off_is_named_in_clinic_time(clinic):
    time_off = TimeOff(
        practitioner=clinic["practitioners"][0],
        start=datetime(2026, 11, 26, 21, 30, tzinfo=UTC),
        end=datetime(2026, 11, 27, 6, 30, tzinfo=UTC),
    )

    assert str(time_off) == "Alex Foot: 27 Nov 2026 08:30 to 27 Nov 2026 17:30"


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
    assert booking.reference in _page(response)

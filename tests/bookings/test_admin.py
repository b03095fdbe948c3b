from datetime import timedelta

import pytest

from bookings import services
from bookings.admin.forms import BookingAdminForm
from bookings.models import Booking, BookingChannel, BookingStatus, Service
from bookings.services import change
from tests.bookings.admin_helpers import booking_form, clinic_evening_before  # noqa: F401 (a fixture)
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_hours, make_location, make_patient, make_service
from tests.conditions.conftest import make_condition

pytestmark = pytest.mark.django_db


def test_reception_books_a_phone_patient_and_the_booking_gets_its_times(admin_client, clinic, patient):
    response = admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))

    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    assert booking.start == TEN_AM_SYDNEY_DEC_3
    assert booking.blocked_until == TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=70)
    assert booking.channel == "phone"


def test_staff_cannot_double_book_a_practitioner_in_the_admin(admin_client, clinic, patient):
    admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))

    response = admin_client.post(
        "/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=30))
    )

    assert response.status_code == 200
    assert "already has booking" in response.content.decode()
    assert Booking.objects.count() == 1


def test_moving_a_booking_in_the_admin_onto_another_is_refused(admin_client, clinic, patient):
    admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))
    admin_client.post(
        "/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2))
    )
    first, second = Booking.objects.order_by("start")

    response = admin_client.post(
        f"/admin/bookings/booking/{second.pk}/change/",
        booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=15)),
    )

    assert response.status_code == 200
    assert "already has booking" in response.content.decode()
    second.refresh_from_db()
    assert second.start == TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2)
    # The page still names the booking at its stored time, not the refused one.
    assert response.context["subtitle"] == f"{second.reference}: {second.service} on Thu 03 Dec 2026, 12:00"
    assert "Thu 03 Dec 2026, 10:15" not in response.content.decode()


def test_admin_actions_confirm_requests_and_cancel(admin_client, clinic, patient):
    admin_client.post(
        "/admin/bookings/booking/add/",
        booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3, status=BookingStatus.REQUESTED),
    )
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.REQUESTED

    admin_client.post("/admin/bookings/booking/", {"action": "confirm_requests", "_selected_action": [booking.pk]})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED

    admin_client.post(
        "/admin/bookings/booking/", {"action": "cancel_bookings", "_selected_action": [booking.pk], "post": "yes"}
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_the_booking_list_shows_clinic_time_and_finds_by_reference(admin_client, clinic, patient):
    admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))
    booking = Booking.objects.get()

    page = admin_client.get("/admin/bookings/booking/", {"q": booking.reference}).content.decode()

    assert booking.reference in page
    assert "Thu 03 Dec 2026, 10:00" in page


def test_booking_rules_are_a_single_editable_record(admin_client, clinic):
    assert admin_client.get("/admin/bookings/bookingrules/add/").status_code == 403


def test_editing_notes_or_the_service_in_the_admin_goes_through_the_usual_saves(admin_client, clinic, patient):
    admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))
    booking = Booking.objects.get()
    short = Service.objects.create(name="Review", slug="review", duration_minutes=30, buffer_minutes=5)
    clinic["practitioners"][0].services.add(short)
    before = booking.updated_at - timedelta(days=1)
    Booking.objects.filter(pk=booking.pk).update(updated_at=before)  # the clock is frozen in these tests

    change = f"/admin/bookings/booking/{booking.pk}/change/"
    admin_client.post(change, booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3, notes="Bring old orthotics"))
    booking.refresh_from_db()
    assert booking.notes == "Bring old orthotics" and booking.updated_at > before

    admin_client.post(change, booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3, service=short.pk))
    booking.refresh_from_db()
    assert booking.service == short
    assert booking.blocked_until == TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=35)


def test_every_editable_field_of_a_booking_changed_in_the_admin_is_saved(admin_client, clinic, patient):
    """The admin says "changed" only when every changed field really is: patient, time, who,
    where, what, status, how it was booked and the notes."""
    booking = services.booking_create(
        service=clinic["service"],
        location=clinic["location"],
        start=TEN_AM_SYDNEY_DEC_3,
        patient=patient,
        practitioner=clinic["practitioners"][0],
        channel=BookingChannel.PHONE,
        now=NOW,
    )
    other_patient = make_patient(given_name="Casey")
    sam = clinic["practitioners"][1]
    review = make_service(name="Review", duration_minutes=30, buffer_minutes=5)
    branch = make_location(name="SOLE THERAPY Parramatta")
    sam.services.add(review)
    sam.locations.add(branch)
    make_hours(sam, branch, "08:00-18:00")
    concern = make_condition(title="Calf insertion pain")
    changed = booking_form(
        clinic,
        other_patient,
        TEN_AM_SYDNEY_DEC_3 + timedelta(days=1, hours=2),
        practitioner=sam,
        service=review.pk,
        location=branch.pk,
        status=BookingStatus.REQUESTED,
        channel=BookingChannel.IN_PERSON,
        concern=concern.pk,
        concern_text="Calf tight on hills",
        notes="Prefers afternoons",
    )
    edited = set(changed) - {"start_0", "start_1"} | {"start"}
    assert edited >= set(BookingAdminForm.Meta.fields), "the test must post every editable field"

    response = admin_client.post(f"/admin/bookings/booking/{booking.pk}/change/", changed)

    assert response.status_code == 302, response.content.decode()[:3000]
    booking.refresh_from_db()
    assert booking.patient == other_patient
    assert booking.practitioner == sam and booking.service == review and booking.location == branch
    assert booking.start == TEN_AM_SYDNEY_DEC_3 + timedelta(days=1, hours=2)
    assert booking.end - booking.start == timedelta(minutes=30) and booking.blocked_until - booking.end == timedelta(
        minutes=5
    )
    assert booking.status == BookingStatus.REQUESTED and booking.channel == BookingChannel.IN_PERSON
    assert booking.concern == concern
    assert (booking.concern_text, booking.notes) == ("Calf tight on hills", "Prefers afternoons")


def test_every_field_the_admin_form_edits_is_one_booking_update_applies():
    handled = change.SCHEDULE_FIELDS | change._plain_fields() | {"status"}

    assert set(BookingAdminForm.Meta.fields) <= handled
    with pytest.raises(ValueError, match="cannot change"):
        services.booking_update(booking=Booking(), changes={"no_such_field": 1}, by=None)


def test_a_refused_admin_change_comes_back_as_typed_with_the_services_reason_by_the_field(
    admin_client, clinic, patient
):
    admin_client.post("/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3))
    admin_client.post(
        "/admin/bookings/booking/add/", booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2))
    )
    second = Booking.objects.order_by("start").last()

    response = admin_client.post(
        f"/admin/bookings/booking/{second.pk}/change/",
        booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3 + timedelta(minutes=30), notes="Typed, not yet saved"),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "already has booking" in " ".join(form.errors["start"])
    assert "Typed, not yet saved" in response.content.decode()
    second.refresh_from_db()
    assert second.notes == "" and second.start == TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2)


def test_staff_see_what_an_online_patient_typed_beside_their_record_and_can_copy_it(admin_client, clinic, patient):
    booking = services.booking_create_with_patient(
        patient_details={
            "given_name": patient.given_name,
            "family_name": patient.family_name,
            "email": patient.email,
            "phone": "+61491570156",
            "is_returning": True,
        },
        service=clinic["service"],
        location=clinic["location"],
        start=TEN_AM_SYDNEY_DEC_3,
        now=NOW,
    )
    change_url = f"/admin/bookings/booking/{booking.pk}/change/"

    page = admin_client.get(change_url).content.decode()
    assert "Details the patient gave" in page
    assert "0491 570 156" in page and "0491 570 006" in page  # given, and on record

    form = booking_form(clinic, patient, TEN_AM_SYDNEY_DEC_3) | {"_copy_submitted_details": "1"}
    for read_only in ("channel", "concern_text", "notes"):
        form.pop(read_only)
    response = admin_client.post(change_url, form)

    assert response.status_code == 302 and response["Location"] == change_url
    patient.refresh_from_db()
    assert patient.phone.as_e164 == "+61491570156" and patient.is_returning
    page = admin_client.get(change_url).content.decode()
    assert "Copied to the patient&#x27;s record: mobile phone, has visited before." in page
    assert "The same as the patient&#x27;s record." in page

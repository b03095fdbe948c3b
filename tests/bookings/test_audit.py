"""The audit trail: every change to a booking, patient, practitioner's hours, time off, closure or
rule is kept with who made it, when, and the old and new values (django-simple-history), a
patient's own online changes as the patient by reference; every time staff open a booking or a
patient's record is logged, for practice managers only, with no patient detail but the number."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from bookings import services, staff_groups
from bookings.models import Booking, StaffView, TimeOff
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import (
    booked,
    fixed_clock,  # noqa: F401 (a fixture: the clock stands at NOW)
)
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def _staff(name, group):
    user = User.objects.create_user(name, password="a long password for tests", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user, signed_in(Client(), user)


def test_a_staff_change_is_kept_with_who_when_and_the_old_and_new_values(clinic, patient):
    booking = booked(clinic, patient)
    manager, client = _staff("boss", staff_groups.PRACTICE_MANAGER)

    services.booking_update(booking=booking, changes={"notes": "Bring orthotics"}, by=manager)

    records = list(booking.history.order_by("history_id"))  # the clock stands still: order by insertion
    delta = records[-1].diff_against(records[-2])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("notes", "Private note", "Bring orthotics")]

    page = client.get(reverse("admin:bookings_booking_history", args=[booking.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Private note" in text and "Bring orthotics" in text


def test_changes_made_in_the_admin_name_the_staff_member(clinic, patient):
    alex = clinic["practitioners"][0]
    manager, client = _staff("boss", staff_groups.PRACTICE_MANAGER)
    reception, front = _staff("front", staff_groups.RECEPTION)
    time_off = TimeOff.objects.create(
        practitioner=alex, start=TEN_AM_SYDNEY_DEC_3, end=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=1)
    )
    url = reverse("admin:bookings_patient_change", args=[patient.pk])
    data = {
        "given_name": "Jordan",
        "family_name": "Sole",
        "email": "jordan.sole@example.com",
        "phone": "+61491570006",
        "date_of_birth": "",
        "bookings-TOTAL_FORMS": "0",
        "bookings-INITIAL_FORMS": "0",
    }

    response = front.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    records = list(patient.history.order_by("history_id"))
    assert records[-1].history_user == reception
    assert (records[-2].email, records[-1].email) == ("jordan@example.com", "jordan.sole@example.com")
    assert time_off.history.count() == 1
    history = client.get(reverse("admin:bookings_patient_history", args=[patient.pk])).content.decode()
    assert "front" in history and "jordan.sole@example.com" in history


def test_a_patient_s_own_online_changes_are_kept_as_the_patient_by_reference(clinic, patient):
    booking = booked(clinic, patient)
    services.booking_reschedule(
        booking=booking, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), by_patient=True, now=NOW
    )
    services.booking_cancel(booking=Booking.objects.get(), by_patient=True, now=NOW)

    reasons = list(
        Booking.objects.get().history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == [
        f"Booked online by the patient (booking {booking.reference})",
        f"Moved online by the patient (booking {booking.reference})",
        f"Cancelled online by the patient (booking {booking.reference})",
    ]
    assert all(record.history_user is None for record in Booking.objects.get().history.all())


def test_each_time_staff_open_a_record_is_logged_for_practice_managers(clinic, patient):
    booking = booked(clinic, patient)
    reception, front = _staff("front", staff_groups.RECEPTION)
    manager, boss = _staff("boss", staff_groups.PRACTICE_MANAGER)

    front.get(reverse("admin:bookings_booking_change", args=[booking.pk]))
    front.get(reverse("admin:bookings_patient_change", args=[patient.pk]))
    boss.get(reverse("admin:bookings_patient_export", args=[patient.pk]))
    front.get(reverse("admin:bookings_booking_change", args=[999999]))  # no such booking: nothing logged

    logged = list(StaffView.objects.order_by("pk").values_list("user__username", "kind", "object_id"))
    assert logged == [
        ("front", "booking", booking.pk),
        ("front", "patient", patient.pk),
        ("boss", "export", patient.pk),
    ]
    # The log holds who, when, what kind and the record's number: nothing about the patient.
    assert {field.name for field in StaffView._meta.fields} == {"id", "user", "kind", "object_id", "rows", "at"}
    log = reverse("admin:bookings_staffview_changelist")
    assert front.get(log).status_code == 403
    listed = boss.get(log)
    assert listed.status_code == 200
    assert f'href="/admin/bookings/booking/{booking.pk}/change/"' in listed.content.decode()


def test_staff_cancel_with_a_reason_kept_in_the_record_and_never_emailed(clinic, patient, mailoutbox, delivered):
    booking = booked(clinic, patient)
    reception, front = _staff("front", staff_groups.RECEPTION)
    changelist = reverse("admin:bookings_booking_changelist")
    chosen = {"action": "cancel_bookings", "_selected_action": [booking.pk]}

    asked = front.post(changelist, chosen)
    assert "Why they are cancelled" in asked.content.decode()
    with delivered():
        front.post(changelist, chosen | {"post": "yes", "cancellation_reason": "Phoned: unwell with flu"})

    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancellation_reason == "Phoned: unwell with flu"
    assert booking.history.order_by("history_id").last().history_user == reception
    assert (
        "Phoned: unwell with flu"
        in front.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()
    )
    assert mailoutbox and all("unwell" not in message.body for message in mailoutbox)


def test_a_record_s_history_manager_class_is_made_once_and_still_reads_that_record_s_history(clinic):
    from tests.bookings.factories import make_patient

    first, second = make_patient(given_name="Ada"), make_patient(given_name="Ben")
    first.phone = "+61298765432"
    first.save()

    assert type(first.history) is type(second.history) is type(first.history)
    assert [row.history_type for row in first.history.order_by("history_date")] == ["+", "~"]
    assert second.history.count() == 1
    assert type(Booking.history) is type(Booking.history)  # on the model too (the admin's history pages)

"""The four kinds of staff (bookings.staff_groups), each signed in as they would be: what each may
open, change and export, and what answers 403. Superusers alone may delete a booking or a patient."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import staff_groups
from bookings.models import Booking, BookingStatus
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_patient
from tests.bookings.pages import fixed_clock  # noqa: F401 (a fixture: the clock stands at NOW, before the bookings)
from tests.conftest import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]


def _staff(name: str, group: str) -> Client:
    user = User.objects.create_user(name, password="a long password for tests", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return signed_in(Client(), user)


@pytest.fixture
def clinic_day(clinic):
    """Two podiatrists, each with a user and one booking (the first's at 10 am, the second's at noon)."""
    first, second = clinic["practitioners"]
    where = {"location": clinic["location"], "service": clinic["service"]}
    first.user = User.objects.create_user("alex", password="a long password for tests", is_staff=True)
    first.save()
    first.user.groups.add(Group.objects.get(name=staff_groups.PODIATRIST))
    patient = make_patient(given_name="Jordan")
    own = make_booking(practitioner=first, patient=patient, start=TEN_AM_SYDNEY_DEC_3, **where)
    other = make_booking(practitioner=second, start=TEN_AM_SYDNEY_DEC_3.replace(hour=1), **where)
    return {"own": own, "other": other, "patient": patient, "podiatrist": signed_in(Client(), first.user)}


def _urls(clinic_day) -> dict[str, str]:
    own, patient = clinic_day["own"], clinic_day["patient"]
    return {
        "booking list": reverse("admin:bookings_booking_changelist"),
        "booking search": reverse("admin:bookings_booking_changelist") + "?q=0491570006",
        "booking page": reverse("admin:bookings_booking_change", args=[own.pk]),
        "new booking": reverse("admin:bookings_booking_add"),
        "phone booking": reverse("admin:bookings_booking_phone"),
        "phone booking patient": reverse("admin:bookings_booking_phone_patient"),
        "calendar": reverse("admin:bookings_booking_calendar"),
        "patient list": reverse("admin:bookings_patient_changelist"),
        "patient search": reverse("admin:bookings_patient_changelist") + "?q=Jordan",
        "patient page": reverse("admin:bookings_patient_change", args=[patient.pk]),
        "patient export": reverse("admin:bookings_patient_export", args=[patient.pk]),
        "waitlist": reverse("admin:bookings_waitlistentry_changelist"),
        "emails": reverse("admin:bookings_outboxemail_changelist"),
    }


def test_groups_are_made_by_the_migration(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Reception", "Podiatrist", "Content editor", "Practice manager"} <= names
    manager = Group.objects.get(name="Practice manager")
    assert manager.permissions.filter(codename="export_patient").exists()
    assert manager.permissions.filter(codename="change_user").exists()
    for group in Group.objects.all():
        assert not group.permissions.filter(codename__in=["delete_booking", "delete_patient"]).exists(), group


def test_a_content_editor_sees_no_patient_data_anywhere(clinic_day):
    editor = _staff("writer", staff_groups.CONTENT_EDITOR)

    for what, url in _urls(clinic_day).items():
        assert editor.get(url).status_code == 403, what
    assert editor.post(reverse("admin:bookings_booking_add"), {}).status_code == 403
    assert editor.post(reverse("admin:bookings_booking_phone_patient"), {"q": "Jordan"}).status_code == 403
    assert editor.get(reverse("admin:conditions_condition_changelist")).status_code == 200
    assert editor.get(reverse("admin:bookings_service_changelist")).status_code == 200
    index = editor.get(reverse("admin:index")).content.decode()
    assert "Patients" not in index and "Bookings</a>" not in index


def test_reception_runs_bookings_and_patients_but_cannot_delete_or_export(clinic_day):
    reception = _staff("front", staff_groups.RECEPTION)
    urls = _urls(clinic_day)

    for what in ("booking list", "booking search", "booking page", "new booking", "phone booking",
                 "phone booking patient", "calendar", "patient list", "patient page"):  # fmt: skip
        assert reception.get(urls[what]).status_code == 200, what
    assert reception.get(urls["patient export"]).status_code == 403
    assert "Download everything" not in reception.get(urls["patient page"]).content.decode()
    own = clinic_day["own"]
    assert reception.get(reverse("admin:bookings_booking_delete", args=[own.pk])).status_code == 403
    patient = clinic_day["patient"]
    assert reception.get(reverse("admin:bookings_patient_delete", args=[patient.pk])).status_code == 403
    assert reception.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert Booking.objects.count() == 2  # nothing deleted


def test_a_podiatrist_sees_their_own_bookings_and_cannot_change_another_s(clinic_day):
    podiatrist, own, other = clinic_day["podiatrist"], clinic_day["own"], clinic_day["other"]

    listed = list(podiatrist.get(reverse("admin:bookings_booking_changelist")).context["cl"].result_list)
    assert listed == [own]
    assert podiatrist.get(reverse("admin:bookings_booking_change", args=[other.pk])).status_code == 302  # not found
    past_other = make_booking(
        practitioner=other.practitioner,
        location=other.location,
        service=other.service,
        start=timezone.now() - timedelta(days=1),
    )
    response = podiatrist.post(
        reverse("admin:bookings_booking_changelist") + "?when=all",
        {"action": "mark_no_show", "_selected_action": [past_other.pk]},
    )
    assert response.status_code in (200, 302)
    assert Booking.objects.get(pk=past_other.pk).status == BookingStatus.CONFIRMED
    assert podiatrist.get(reverse("admin:bookings_booking_add")).status_code == 403
    assert podiatrist.post(reverse("admin:bookings_booking_phone_patient"), {"q": "Jordan"}).status_code == 403
    assert podiatrist.get(reverse("admin:bookings_patient_change", args=[clinic_day["patient"].pk])).status_code == 200
    assert (
        podiatrist.post(
            reverse("admin:bookings_patient_change", args=[clinic_day["patient"].pk]), {"given_name": "Changed"}
        ).status_code
        == 403
    )


def test_a_podiatrist_marks_their_own_past_booking_did_not_attend(clinic, clinic_day):
    podiatrist, own = clinic_day["podiatrist"], clinic_day["own"]
    yesterday = make_booking(
        practitioner=own.practitioner,
        location=own.location,
        service=own.service,
        start=timezone.now() - timedelta(days=1),
    )
    actions = podiatrist.get(reverse("admin:bookings_booking_changelist")).context["action_form"].fields["action"]
    offered = {value for value, _ in actions.choices if value}
    assert offered == {"mark_completed", "mark_no_show"}

    podiatrist.post(
        reverse("admin:bookings_booking_changelist") + "?when=past",
        {"action": "mark_no_show", "_selected_action": [yesterday.pk]},
    )

    assert Booking.objects.get(pk=yesterday.pk).status == BookingStatus.NO_SHOW


def test_a_practice_manager_exports_and_manages_staff_but_cannot_delete_bookings(clinic_day):
    manager = _staff("boss", staff_groups.PRACTICE_MANAGER)
    urls = _urls(clinic_day)

    for what, url in urls.items():
        assert manager.get(url).status_code == 200, what
    assert manager.get(reverse("admin:auth_user_changelist")).status_code == 200
    own = clinic_day["own"]
    assert manager.get(reverse("admin:bookings_booking_delete", args=[own.pk])).status_code == 403
    patient = clinic_day["patient"]
    assert manager.get(reverse("admin:bookings_patient_delete", args=[patient.pk])).status_code == 403

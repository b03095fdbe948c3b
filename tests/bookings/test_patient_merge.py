"""Merging two records of one person: reception picks the record to keep, which takes the
other's bookings and any detail it lacks; the other goes; both records' history stays."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from bookings import services, staff_groups
from bookings.errors import BookingError
from bookings.models import Booking, Patient
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_patient
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

PATIENTS = reverse("admin:bookings_patient_changelist")


@pytest.fixture
def two_records(clinic):
    where = {"practitioner": clinic["practitioners"][0], "location": clinic["location"], "service": clinic["service"]}
    phoned = make_patient(given_name="Jordan", family_name="Sole", email="", phone="+61412345678")
    online = make_patient(
        given_name="Jordan", family_name="Sole", email="jordan@example.com", date_of_birth=date(1988, 7, 14)
    )
    first = make_booking(patient=phoned, start=TEN_AM_SYDNEY_DEC_3, **where)
    second = make_booking(patient=online, start=TEN_AM_SYDNEY_DEC_3 + timedelta(days=7), **where)
    return phoned, online, first, second


def test_reception_merges_two_records_of_one_person(two_records):
    phoned, online, first, second = two_records
    user = User.objects.create_user("front", password="a long password for tests", is_staff=True)
    user.groups.add(Group.objects.get(name=staff_groups.RECEPTION))
    front = signed_in(Client(), user)
    chosen = {"action": "merge_patients", "_selected_action": [phoned.pk, online.pk]}

    asked = front.post(PATIENTS, chosen)
    assert "Keep which record?" in asked.content.decode()
    assert Patient.objects.count() == 2
    done = front.post(PATIENTS, chosen | {"post": "yes", "keep": phoned.pk}, follow=True)

    assert "now holds both records" in done.content.decode()
    kept = Patient.objects.get()
    assert kept.pk == phoned.pk
    assert (kept.email, kept.date_of_birth, kept.phone.as_e164) == (
        "jordan@example.com",
        date(1988, 7, 14),
        "+61412345678",
    )
    assert set(Booking.objects.values_list("patient_id", flat=True)) == {phoned.pk}
    # Both records' history stays: the one that went, and the booking that moved.
    gone = Patient.history.filter(id=online.pk).order_by("history_id").last()
    assert gone.history_type == "-" and gone.history_change_reason == f"Merged into patient {phoned.pk}"
    moved = Booking.objects.get(pk=second.pk).history.order_by("history_id").last()
    assert moved.history_user == user
    assert moved.history_change_reason == f"Patient records merged: moved from patient {online.pk} to {phoned.pk}"


def test_merging_needs_exactly_two_different_records(admin_client, two_records):
    phoned, *_ = two_records

    response = admin_client.post(PATIENTS, {"action": "merge_patients", "_selected_action": [phoned.pk]}, follow=True)

    assert "Select exactly two records" in response.content.decode()
    with pytest.raises(BookingError):
        services.patient_merge(survivor=phoned, duplicate=phoned, by=User.objects.get())
    assert Patient.objects.count() == 2


def test_a_podiatrist_cannot_merge(two_records):
    phoned, online, *_ = two_records
    user = User.objects.create_user("alex", password="a long password for tests", is_staff=True)
    user.groups.add(Group.objects.get(name=staff_groups.PODIATRIST))

    signed_in(Client(), user).post(
        PATIENTS,
        {"action": "merge_patients", "_selected_action": [phoned.pk, online.pk], "post": "yes", "keep": phoned.pk},
    )

    assert Patient.objects.count() == 2


def test_adding_someone_likely_already_recorded_warns_with_a_link(admin_client, two_records):
    phoned, *_ = two_records
    data = {
        "given_name": "Jordy",
        "family_name": "Sole",
        "email": "",
        "phone": "0412 345 678",
        "date_of_birth": "",
        "bookings-TOTAL_FORMS": "0",
        "bookings-INITIAL_FORMS": "0",
    }

    response = admin_client.post(reverse("admin:bookings_patient_add"), data, follow=True)

    page = response.content.decode()
    assert "This may be someone already recorded" in page
    assert f'href="/admin/bookings/patient/{phoned.pk}/change/"' in page
    assert Patient.objects.count() == 3  # a warning, not a refusal

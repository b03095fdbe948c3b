"""Downloading the booking and patient lists as CSV: the list as filtered and searched, cells a
spreadsheet would run as formulas written as text, for practice managers only, and each
download logged."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from bookings import staff_groups
from bookings.csv_export import safe_cell
from bookings.models import Booking, StaffView
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3
from tests.bookings.factories import make_booking, make_patient
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

BOOKINGS_CSV = reverse("admin:bookings_booking_export_csv")
PATIENTS_CSV = reverse("admin:bookings_patient_export_csv")


def _staff(group):
    user = User.objects.create_user(group.lower().replace(" ", "-"), password="a long password", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return signed_in(Client(), user)


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+61 412", "-1", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(typed):
    assert safe_cell(typed) == "'" + typed
    assert safe_cell("Jordan") == "Jordan" and safe_cell(None) == ""


@pytest.fixture
def two_bookings(clinic):
    where = {"location": clinic["location"], "service": clinic["service"], "practitioner": clinic["practitioners"][0]}
    sneaky = make_patient(given_name='=HYPERLINK("http://evil.example")', family_name="Sole", phone="+61412345678")
    first = make_booking(patient=sneaky, start=TEN_AM_SYDNEY_DEC_3, **where)
    Booking.objects.filter(pk=first.pk).update(notes="@SUM(A1:A9)")
    second = make_booking(patient=make_patient(given_name="Riley"), start=TEN_AM_SYDNEY_DEC_3.replace(hour=3), **where)
    return first, second


def test_a_practice_manager_downloads_the_list_as_filtered_and_the_download_is_logged(two_bookings):
    manager = _staff(staff_groups.PRACTICE_MANAGER)
    listed = manager.get(reverse("admin:bookings_booking_changelist"), {"q": "0412 345 678"})
    assert "Download these as CSV" in listed.content.decode()

    response = manager.get(BOOKINGS_CSV, {"q": "0412 345 678"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="bookings-')
    rows = _rows(response)
    assert rows[0][:5] == ["Reference", "Date", "Start", "End", "Patient"]
    assert len(rows) == 2  # the header and the one booking the search found
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Reference"] == two_bookings[0].reference
    assert row["Patient"].startswith("'=HYPERLINK")
    assert row["Notes"] == "'@SUM(A1:A9)"
    assert (row["Date"], row["Start"], row["End"]) == ("2026-12-03", "10:00 am", "11:00 am")
    assert row["Phone"] == "0412 345 678"
    logged = StaffView.objects.get()
    assert (logged.kind, logged.rows, logged.object_id) == ("bookings", 1, None)


def test_patients_download_too(two_bookings):
    rows = _rows(_staff(staff_groups.PRACTICE_MANAGER).get(PATIENTS_CSV))

    assert rows[0][0] == "Given name"
    assert {row[0] for row in rows[1:]} == {'\'=HYPERLINK("http://evil.example")', "Riley"}


def test_reception_cannot_download_lists(two_bookings):
    reception = _staff(staff_groups.RECEPTION)

    assert reception.get(BOOKINGS_CSV).status_code == 403
    assert reception.get(PATIENTS_CSV).status_code == 403
    assert "Download these as CSV" not in reception.get(reverse("admin:bookings_booking_changelist")).content.decode()
    assert not StaffView.objects.filter(kind__in=["bookings", "patients"]).exists()


def test_a_filter_that_cannot_be_read_gets_a_clear_400(two_bookings):
    response = _staff(staff_groups.PRACTICE_MANAGER).get(BOOKINGS_CSV, {"start__gte": "not a date"})

    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert not StaffView.objects.exists()

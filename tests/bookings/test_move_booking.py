"""Reception moves a booking from its page onto one of the free times patients see (its own
time not counted as taken), confirms, and the patient is emailed; a podiatrist may not."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from bookings import staff_groups
from tests.bookings.admin_helpers import clinic_evening_before  # noqa: F401 (a fixture)
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import booked
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_reception_moves_a_booking_onto_a_free_time(admin_client, clinic, patient, mailoutbox, delivered):
    booking = booked(clinic, patient)
    page = admin_client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()
    move = reverse("admin:bookings_booking_move", args=[booking.pk])
    assert f'href="{move}">Move to another free time' in page

    times = admin_client.get(move).content.decode()
    links = re.findall(r'href="(/admin/bookings/booking/\d+/move/\?[^"]+)"', times)
    chosen = next(link for link in links if "start=" in link).replace("&amp;", "&")
    asked = admin_client.get(chosen)
    assert "Yes, move it" in asked.content.decode()
    form = asked.context["slot"]
    with delivered():
        done = admin_client.post(
            move, {"start": form.data["start"], "practitioner": form.data["practitioner"]}, follow=True
        )

    assert f"Booking {booking.reference} moved" in done.content.decode()
    booking.refresh_from_db()
    assert booking.start != TEN_AM_SYDNEY_DEC_3
    assert any(booking.reference in message.subject for message in mailoutbox)


def test_an_unreadable_time_goes_back_to_the_free_times(admin_client, clinic, patient):
    booking = booked(clinic, patient)
    move = reverse("admin:bookings_booking_move", args=[booking.pk])

    response = admin_client.get(move, {"start": "nonsense", "practitioner": "x"})

    assert response.status_code == 200
    assert "That time could not be read" in response.content.decode()


def test_a_podiatrist_cannot_move_bookings(clinic, patient):
    alex = clinic["practitioners"][0]
    alex.user = User.objects.create_user("alex", password="a long password for tests", is_staff=True)
    alex.save()
    alex.user.groups.add(Group.objects.get(name=staff_groups.PODIATRIST))
    booking = booked(clinic, patient)

    response = signed_in(Client(), alex.user).get(reverse("admin:bookings_booking_move", args=[booking.pk]))

    assert response.status_code == 403

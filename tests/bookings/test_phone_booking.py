"""A phone booking from the free times patients see: choose the appointment and who with (or the
first available), pick a time, and the booking form opens filled in; saving books the patient."""

import re

import pytest
from django.urls import reverse

from bookings.models import Booking, BookingChannel
from tests.bookings.admin_helpers import clinic_evening_before  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

PHONE = reverse("admin:bookings_booking_phone")


def test_reception_books_a_caller_on_a_free_time(admin_client, clinic, patient):
    chooser = admin_client.get(PHONE)
    assert chooser.status_code == 200
    assert "Comprehensive biomechanical assessment (60 min)" in chooser.content.decode()

    times = admin_client.get(PHONE, {"service": "assessment", "practitioner": "any"}).content.decode()
    assert "Times from" in times
    link = re.search(r'href="(/admin/bookings/booking/add/\?[^"]+)"', times)[1].replace("&amp;", "&")
    assert "service=" in link and "practitioner=" in link and "start=" in link

    form = admin_client.get(link).context["adminform"].form
    assert form.initial["service"] == str(clinic["service"].pk)
    start = form.initial["start"]
    data = {
        "patient": patient.pk,
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

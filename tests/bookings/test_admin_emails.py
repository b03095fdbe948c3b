"""Staff see every email a booking caused and what became of it, find the ones that failed, and
send one again."""

import pytest
import time_machine

from bookings import services
from bookings.models import EmailKind, EmailState, OutboxEmail
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.worker import run_due_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def booking(clinic, patient):
    return services.booking_create(
        service=clinic["service"],
        location=clinic["location"],
        patient=patient,
        practitioner=clinic["practitioners"][0],
        start=TEN_AM_SYDNEY_DEC_3,
    )


def test_a_booking_page_lists_its_emails_and_their_states(admin_client, booking):
    OutboxEmail.objects.filter(booking=booking, kind=EmailKind.BOOKED).update(
        state=EmailState.FAILED, attempts=6, last_error="ConnectionRefusedError"
    )

    page = admin_client.get(f"/admin/bookings/booking/{booking.pk}/change/").content.decode()

    assert "Emails about this booking" in page
    assert "Booking confirmed" in page and "Failed" in page and "ConnectionRefusedError" in page
    assert "Clinic notice: new online booking" in page


def test_the_patient_page_lists_the_emails_sent_to_them(admin_client, booking, patient):
    run_due_tasks()

    page = admin_client.get(f"/admin/bookings/patient/{patient.pk}/change/").content.decode()

    assert "Emails to this patient" in page and "Booking confirmed" in page and booking.reference in page
    assert "Clinic notice" not in page


def test_failed_emails_are_listed_and_one_can_be_sent_again(admin_client, booking, mailoutbox):
    failed = OutboxEmail.objects.get(booking=booking, kind=EmailKind.BOOKED)
    OutboxEmail.objects.filter(pk=failed.pk).update(state=EmailState.FAILED, attempts=6, last_error="SMTPException")
    OutboxEmail.objects.exclude(pk=failed.pk).update(state=EmailState.SENT)

    listed = admin_client.get("/admin/bookings/outboxemail/", {"state__exact": "failed"}).content.decode()
    assert booking.reference in listed and listed.count("SMTPException") == 1

    response = admin_client.post(
        "/admin/bookings/outboxemail/", {"action": "send_again", "_selected_action": [failed.pk]}, follow=True
    )
    assert "1 email(s) will be sent again in a moment." in response.content.decode()
    run_due_tasks()

    failed.refresh_from_db()
    assert failed.state == EmailState.SENT and failed.attempts == 1
    assert [m.subject for m in mailoutbox] == [f"Your SOLE THERAPY booking {booking.reference}"]


def test_emails_cannot_be_edited_or_deleted_in_the_admin(admin_client, booking):
    email = booking.emails.first()

    assert admin_client.get("/admin/bookings/outboxemail/add/").status_code == 403
    assert admin_client.post(f"/admin/bookings/outboxemail/{email.pk}/delete/").status_code == 403
    page = admin_client.get(f"/admin/bookings/outboxemail/{email.pk}/change/").content.decode()
    assert 'name="state"' not in page


def test_staff_send_a_new_private_link_from_the_booking_list(admin_client, booking, mailoutbox):
    response = admin_client.post(
        "/admin/bookings/booking/", {"action": "send_new_links", "_selected_action": [booking.pk]}, follow=True
    )
    run_due_tasks()

    assert "1 new link(s) on their way." in response.content.decode()
    booking.refresh_from_db()
    assert booking.link_version == 1
    new_link = next(m for m in mailoutbox if "A new link" in m.subject)
    assert f"/booking/{booking.reference}/" in new_link.body and "no longer work" in new_link.body

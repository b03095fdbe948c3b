"""Booking emails really reach a mail server over SMTP, and a broken mail server never loses a
booking or leaks a patient's address into the logs."""

import socket
import uuid

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from bookings import services
from bookings.form_keys import FormKey
from bookings.models import Booking
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _smtp_mailer(port):
    options = {"host": "127.0.0.1", "port": port, "timeout": 2}
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = _smtp_mailer(controller.port)
    yield inbox
    controller.stop()


def _book(clinic):
    return services.booking_create_with_patient(
        patient_details={
            "given_name": "Jordan",
            "family_name": "Sole",
            "email": "jordan@example.com",
            "phone": "+61491570006",
        },
        form_key=FormKey(key=uuid.uuid4(), secret=FormKey.new_secret()),
        service=clinic["service"],
        location=clinic["location"],
        start=TEN_AM_SYDNEY_DEC_3,
        now=NOW,
    )


def test_the_confirmation_email_is_delivered_and_its_link_opens_the_booking(clinic, smtp_server):
    booking = _book(clinic)

    patient_mail = [m for m in smtp_server.messages if "jordan@example.com" in m.rcpt_tos]
    assert len(patient_mail) == 1
    body = patient_mail[0].content.decode()
    assert booking.reference in body
    link = next(line.strip() for line in body.splitlines() if "/booking/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = Client().get("/" + path)
    assert response.status_code == 200
    assert booking.reference in response.content.decode()
    assert [m for m in smtp_server.messages if "clinic@example.com" in m.rcpt_tos]


def test_a_mail_server_that_is_down_does_not_lose_the_booking_or_log_the_address(clinic, settings, caplog):
    settings.MAILERS = _smtp_mailer(_free_port())  # nothing listens there

    booking = _book(clinic)

    assert Booking.objects.filter(pk=booking.pk).exists()
    assert booking.reference in caplog.text
    assert "jordan@example.com" not in caplog.text and "Jordan" not in caplog.text

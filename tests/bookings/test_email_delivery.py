"""Booking emails reach a real mail server over SMTP, sent by the task worker, never by the web
request: a mail server that is down or never answers holds up no patient, loses no email, and no
address or name reaches the logs."""

import email
import socket
import threading
import uuid
from datetime import timedelta
from email import policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.test import Client
from icalendar import Calendar

from bookings import services
from bookings.form_keys import FormKey
from bookings.models import Booking, EmailKind, EmailState, OutboxEmail
from tests.bookings.conftest import NOW, TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import filled_in
from tests.worker import run_due_tasks

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [
            email.message_from_bytes(m.content, policy=policy.default) for m in self.messages if address in m.rcpt_tos
        ]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _smtp_mailer(port, timeout=2):
    options = {"host": "127.0.0.1", "port": port, "timeout": timeout}
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}


def _start_server(port=None):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port or _free_port())
    controller.start()
    return inbox, controller


@pytest.fixture
def smtp_server(settings):
    inbox, controller = _start_server()
    settings.MAILERS = _smtp_mailer(controller.port)
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _book(clinic, **extra):
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
        **extra,
    )


def _parts(message) -> dict:
    return {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}


def _event(message):
    calendar = Calendar.from_ical(_parts(message)["text/calendar"].get_content())
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_the_confirmation_arrives_with_html_and_a_calendar_file_read_back_exactly(clinic, smtp_server):
    booking = _book(clinic)
    assert smtp_server.messages == []  # nothing is sent while booking: the worker sends it

    run_due_tasks()

    (message,) = smtp_server.to("jordan@example.com")
    assert message["Subject"] == f"Your SOLE THERAPY booking {booking.reference}"
    assert message["Message-ID"].strip() == OutboxEmail.objects.get(booking=booking, kind=EmailKind.BOOKED).message_id
    parts = _parts(message)
    html = parts["text/html"].get_content()
    assert 'lang="en-AU"' in html and "prefers-color-scheme: dark" in html and "<img" not in html
    assert "Thursday 3 December 2026 at 10:00 am (Sydney time)" in html and "1 hour" in html
    calendar, event = _event(message)
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == f"booking-{booking.reference}@127.0.0.1" and event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == TEN_AM_SYDNEY_DEC_3 and event.decoded("DTEND") == booking.end
    assert str(event["DTSTART"].params["TZID"]) == "Australia/Sydney" and calendar.walk("VTIMEZONE")
    assert event["STATUS"] == "CONFIRMED"
    # The private link in the email opens the booking.
    text = parts["text/plain"].get_content()
    link = next(line.strip() for line in text.splitlines() if "/booking/" in line)
    response = Client().get("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert response.status_code == 200 and booking.reference in response.content.decode()
    (notice,) = smtp_server.to("clinic@example.com")
    assert f"/admin/bookings/booking/{booking.pk}/change/" in _parts(notice)["text/plain"].get_content()
    assert OutboxEmail.objects.filter(state=EmailState.SENT).count() == 2


def test_a_move_sends_the_same_event_with_a_higher_sequence_and_a_cancel_removes_it(clinic, smtp_server):
    booking = _book(clinic)
    run_due_tasks()

    services.booking_reschedule(booking=booking, start=TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2), by_patient=True)
    run_due_tasks()
    services.booking_cancel(booking=booking, by_patient=True)
    run_due_tasks()

    booked, moved, cancelled = smtp_server.to("jordan@example.com")
    (_, first), (_, second), (cancel_calendar, third) = _event(booked), _event(moved), _event(cancelled)
    assert first["UID"] == second["UID"] == third["UID"]
    assert first["SEQUENCE"] < second["SEQUENCE"] < third["SEQUENCE"]
    assert second.decoded("DTSTART") == TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2)
    assert cancel_calendar["METHOD"] == "CANCEL" and third["STATUS"] == "CANCELLED"
    assert "Book again" in _parts(cancelled)["text/html"].get_content()


def test_with_the_mail_server_down_the_booking_is_kept_and_its_email_arrives_once_when_it_is_back(
    clinic, settings, caplog, clock
):
    port = _free_port()
    settings.MAILERS = _smtp_mailer(port)  # nothing listens there yet

    booking = _book(clinic)
    run_due_tasks()

    assert Booking.objects.filter(pk=booking.pk).exists()
    queued = OutboxEmail.objects.get(booking=booking, kind=EmailKind.BOOKED)
    assert (queued.state, queued.attempts, queued.last_error) == (EmailState.QUEUED, 1, "ConnectionRefusedError")
    assert queued.next_attempt_at == NOW + timedelta(minutes=1)
    assert booking.reference in caplog.text
    assert "jordan@example.com" not in caplog.text and "Jordan" not in caplog.text

    inbox, controller = _start_server(port)
    try:
        run_due_tasks()
        assert inbox.messages == []  # not due again yet
        clock.shift(timedelta(minutes=1))
        run_due_tasks()
        clock.shift(timedelta(hours=1))
        run_due_tasks()
    finally:
        controller.stop()

    assert len(inbox.to("jordan@example.com")) == 1 and len(inbox.to("clinic@example.com")) == 1
    assert OutboxEmail.objects.get(pk=queued.pk).state == EmailState.SENT


def test_an_email_the_server_keeps_refusing_is_retried_with_growing_waits_then_failed(clinic, settings, clock):
    settings.MAILERS = _smtp_mailer(_free_port())
    booking = _book(clinic)
    email_row = OutboxEmail.objects.get(booking=booking, kind=EmailKind.BOOKED)

    waits, now = [], NOW
    for _ in range(6):
        run_due_tasks()
        email_row.refresh_from_db()
        if email_row.state == EmailState.FAILED:
            break
        waits.append(email_row.next_attempt_at - now)
        now = email_row.next_attempt_at
        clock.move_to(now)

    assert waits == [timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]
    assert (email_row.state, email_row.attempts, email_row.last_error) == (
        EmailState.FAILED,
        6,
        "ConnectionRefusedError",
    )


class SilentServer:
    """Accepts connections and never says a word, like a mail server that has hung."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self):
        for connection in self.connections:
            connection.close()
        self.sock.close()


def test_a_mail_server_that_never_answers_does_not_hold_up_the_patient(clinic, settings):
    silent = SilentServer()
    settings.MAILERS = _smtp_mailer(silent.port, timeout=1)
    client = Client()
    try:
        details = client.post(
            f"/book/assessment/details/?start=2026-12-02T23:00:00Z&practitioner={clinic['practitioners'][0].pk}",
            filled_in(
                {
                    "start": "2026-12-02T23:00:00Z",
                    "practitioner": clinic["practitioners"][0].pk,
                    "given_name": "Jordan",
                    "family_name": "Sole",
                    "email": "jordan@example.com",
                    "phone": "0412 345 678",
                    "is_returning": "no",
                    "consent": "on",
                }
            ),
        )
        confirmed = client.post(details["Location"])

        assert confirmed.status_code == 302 and "/booking/" in confirmed["Location"]
        assert silent.connections == []  # the request never spoke to the mail server
        run_due_tasks()  # the worker waits out its own timeout instead, and tries again later
    finally:
        silent.close()
    assert set(OutboxEmail.objects.values_list("state", "attempts")) == {(EmailState.QUEUED, 1)}


def test_an_email_left_sending_by_a_worker_that_died_is_sent_by_the_sweep(clinic, smtp_server, clock):
    booking = _book(clinic)
    # A worker claimed the confirmation and was killed before it finished.
    OutboxEmail.objects.filter(booking=booking).update(state=EmailState.SENDING, claimed_at=NOW, attempts=1)
    run_due_tasks()
    assert smtp_server.messages == []

    clock.shift(timedelta(minutes=11))
    from bookings.outbox import sweep

    assert sweep(now=NOW + timedelta(minutes=11)) == {"stuck": 2, "lost": 0}
    run_due_tasks()

    assert len(smtp_server.to("jordan@example.com")) == 1
    assert set(OutboxEmail.objects.values_list("state", flat=True)) == {EmailState.SENT}

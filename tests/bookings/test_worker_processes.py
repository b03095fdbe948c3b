"""Two real worker processes (`manage.py worker`) share one database: every due email is sent
exactly once, even when each has two tasks queued for it."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from bookings.models import EmailKind, EmailState, OutboxEmail
from bookings.outbox import queue_delivery
from tests.bookings.factories import make_booking, make_practitioner
from tests.bookings.test_email_delivery import _start_server
from tests.servers import database_url

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 200


def test_two_workers_send_each_of_200_due_reminders_exactly_once(clinic):
    now = timezone.now()
    practitioners = [make_practitioner(services=[clinic["service"]], locations=[clinic["location"]]) for _ in range(4)]
    emails = []
    for n in range(REMINDERS):
        booking = make_booking(
            practitioner=practitioners[n % 4],
            location=clinic["location"],
            service=clinic["service"],
            start=now + timedelta(days=2, hours=2 * (n // 4)),
        )
        emails.append(
            OutboxEmail.objects.create(
                booking=booking,
                kind=EmailKind.REMINDER,
                for_start=booking.start,
                message_id=f"<reminder-{n}@soletherapy.test>",
                next_attempt_at=now - timedelta(minutes=1),
            )
        )
    for email in emails:  # two tasks for every email: the workers race for each one
        queue_delivery(email, now=now)
        queue_delivery(email, now=now)
    inbox, controller = _start_server()
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
        "DEBUG": "true",
    }
    try:
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--batch", "--interval", "0"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=240)[0] for worker in workers]
    finally:
        controller.stop()

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    message_ids = [message.content.split(b"Message-ID: ", 1)[1].split(b"\r\n", 1)[0] for message in inbox.messages]
    assert len(message_ids) == REMINDERS
    assert len(set(message_ids)) == REMINDERS
    assert set(OutboxEmail.objects.values_list("state", "attempts")) == {(EmailState.SENT, 1)}
    # Both workers really ran tasks side by side.
    assert all("path=bookings.outbox.deliver_email state=SUCCESSFUL" in output for output in outputs)

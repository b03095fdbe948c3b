"""Bookings end to end, and the task worker's email throughput, against a local SMTP server.

A complete booking goes through every step a patient takes (times, details, review, confirm) on
the production-like server, with a worker process beside it; it is timed from the first page
to the moment its confirmation reaches the mail server. Then the worker alone sends a batch of
queued emails, to give its throughput in emails a minute. Everything the bench books or queues
is removed afterwards.
"""

import http.client
import re
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from html import unescape
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.server import BASE_DIR

BENCH_DOMAIN = "bench.soletherapy.test"
PERSON_FILLS_IN_SECONDS = 2.1
SLOT_LINK = re.compile(r'href="(/book/[^"/]+/details/\?[^"]+)"')
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
CLEAN_UP = f"""
from bookings.models import Booking, OutboxEmail, Patient
OutboxEmail.objects.filter(booking__patient__email__endswith="@{BENCH_DOMAIN}").delete()
Booking.objects.filter(patient__email__endswith="@{BENCH_DOMAIN}").delete()
Patient.objects.filter(email__endswith="@{BENCH_DOMAIN}").delete()
"""
QUEUE_BATCH = f"""
import sys
from email.utils import make_msgid
from django.utils import timezone
from bookings.models import Booking, EmailKind, OutboxEmail
from bookings.outbox import queue_delivery
booking = Booking.objects.filter(patient__email__endswith="@{BENCH_DOMAIN}").first()
for n in range(int(sys.argv[1])):
    email = OutboxEmail.objects.create(booking=booking, kind=EmailKind.BOOKED, message_id=make_msgid(domain="bench"))
    queue_delivery(email, now=timezone.now())
"""


def hidden_fields(html: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in HIDDEN_INPUT.findall(html)}


def first_slot_link(html: str) -> str | None:
    found = SLOT_LINK.search(html)
    return unescape(found[1]) if found else None


class Browser:
    """Just enough of a browser for the booking steps: cookies and form posts. `waited` adds up
    the time spent waiting for the server."""

    def __init__(self, port: int):
        self.port = port
        self.cookies = SimpleCookie()
        self.waited = 0.0

    def request(self, method: str, path: str, form: dict | None = None):
        started = time.monotonic()
        try:
            return self._request(method, path, form)
        finally:
            self.waited += time.monotonic() - started

    def _request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v.value}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.msg.get_all("Set-Cookie") or []:
                self.cookies.load(header)
            return response.status, response.getheader("Location"), response.read().decode()
        finally:
            connection.close()


def book_once(port: int, service_path: str, email: str) -> tuple[float, float]:
    """Every step of one booking, as a patient takes them (the details form is not sent sooner
    than a person could fill it in). Returns the seconds spent waiting for the server, and the
    moment Confirm was answered."""
    browser = Browser(port)
    for _ in range(20):
        status, _, times = browser.request("GET", service_path)
        link = first_slot_link(times)
        if status != 200 or link is None:
            raise RuntimeError(f"no free time offered on {service_path} (HTTP {status})")
        _, _, details = browser.request("GET", link)
        if "csrfmiddlewaretoken" in hidden_fields(details):
            break
        # Another server worker's copy of the week can lag a booking by up to a second: the time
        # was just taken, and the details step says so. A patient would pick another time.
        time.sleep(0.2)
    time.sleep(PERSON_FILLS_IN_SECONDS)  # the bot trap refuses a form sent faster than this
    answers = hidden_fields(details) | {
        "given_name": "Bench",
        "family_name": "Patient",
        "email": email,
        "phone": "0491 570 006",
        "is_returning": "no",
        "consent": "on",
    }
    status, review, page = browser.request("POST", link, answers)
    if status != 302:
        raise RuntimeError(f"the details step answered {status}")
    _, _, review_page = browser.request("GET", review)
    status, _, _ = browser.request("POST", review, hidden_fields(review_page))
    if status != 302:
        raise RuntimeError(f"confirming answered {status}")
    return browser.waited, time.monotonic()


@contextmanager
def smtp_inbox():
    from aiosmtpd.controller import Controller

    from bench.server import free_port

    class Inbox:
        def __init__(self):
            self.arrived = {}

        async def handle_DATA(self, server, session, envelope):
            for address in envelope.rcpt_tos:
                self.arrived.setdefault(address, time.monotonic())
            return "250 OK"

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def _manage(env, *args, **options):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, **options)


def measure(port: int, env: dict[str, str], service_path: str, *, bookings: int = 10, batch: int = 300) -> str:
    with smtp_inbox() as (inbox, smtp_port):
        worker_env = env | {"EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"}
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.05"],
            cwd=BASE_DIR,
            env=worker_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            pages, emails = [], []
            for n in range(bookings):
                address = f"patient{n}-{time.time_ns()}@{BENCH_DOMAIN}"
                waited, confirmed = book_once(port, service_path, address)
                while address not in inbox.arrived and time.monotonic() - confirmed < 30:
                    time.sleep(0.005)
                pages.append(waited * 1000)
                emails.append((inbox.arrived.get(address, float("nan")) - confirmed) * 1000)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        _manage(worker_env, "shell", "-v0", "-c", QUEUE_BATCH.replace("int(sys.argv[1])", str(batch)))
        started = time.monotonic()
        _manage(
            worker_env, "worker", "--batch", "--interval", "0", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        seconds = time.monotonic() - started
        _manage(worker_env, "shell", "-v0", "-c", CLEAN_UP)
    sent = batch  # every queued email goes to the same bench address, so count the batch itself
    lines = [
        f"Complete bookings, every step on the production-like server with a worker beside it ({bookings} runs):",
        f"  waiting for the server over all six requests (times, details, review, confirm):"
        f" median {statistics.median(pages):.0f} ms (min {min(pages):.0f}, max {max(pages):.0f})",
        f"  from Confirm answered to the confirmation at the mail server: median {statistics.median(emails):.0f} ms"
        f" (max {max(emails):.0f})",
        f"Worker throughput: {sent} queued emails sent in {seconds:.1f} s = {sent / seconds * 60:,.0f} emails a minute"
        " (one worker process, local SMTP server)",
    ]
    return "\n".join(lines)

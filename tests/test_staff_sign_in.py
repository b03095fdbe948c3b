"""Staff sign in with a password and a code from an authenticator app: set up on first sign-in,
with recovery codes; repeated failures lock an account and an address for a while; the admin's
address is a setting; a staff session ends after a working day without a request."""

import importlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a-long-staff-password-2026"


@pytest.fixture
def staff(db, settings):
    # A quick hasher: these tests sign in dozens of times, and the hasher is not what they test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return User.objects.create_user("reception", password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def code_for(device: TOTPDevice) -> str:
    """What the staff member's phone shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def sign_in(client, *, username="reception", password=PASSWORD, code="", address="127.0.0.1"):
    return client.post(
        LOGIN, {"username": username, "password": password, "code": code, "next": "/admin/"}, REMOTE_ADDR=address
    )


def set_up(client, clock) -> list[str]:
    """First sign-in: the password, then the authenticator set up; returns the recovery codes."""
    assert sign_in(client)["Location"] == "/admin/"
    assert client.get("/admin/")["Location"].startswith(LOGIN)
    assert client.get(LOGIN)["Location"] == "/admin/two-step/"
    page = client.get("/admin/two-step/").content.decode()
    assert "<svg" in page and 'aria-label="QR code of the key above"' in page
    device = TOTPDevice.objects.get(confirmed=False)
    shown = re.search(r"Key: <code>([A-Z2-7 ]+)</code>", page)[1].replace(" ", "")
    assert shown == __import__("base64").b32encode(device.bin_key).decode().rstrip("=")
    wrong = client.post("/admin/two-step/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    clock.shift(timedelta(seconds=2))  # after a wrong code, django-otp makes the next try wait a moment
    done = client.post("/admin/two-step/", {"code": code_for(device)})
    clock.shift(timedelta(seconds=31))  # a code is good once: the next sign-in uses the next one
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())


def test_a_password_alone_opens_nothing_until_an_authenticator_is_set_up(client, staff, clock):
    codes = set_up(client, clock)

    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.get().confirmed


def test_after_set_up_every_sign_in_needs_the_code(staff, clock):
    set_up(Client(), clock)
    device = TOTPDevice.objects.get()

    without = sign_in(Client())
    assert without.status_code == 200 and "That code is not right" in without.content.decode()
    clock.shift(timedelta(seconds=2))  # django-otp's pause after a wrong code
    client = Client()
    assert sign_in(client, code=code_for(device))["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(staff, clock):
    codes = set_up(Client(), clock)

    first, again = Client(), Client()
    assert sign_in(first, code=codes[0])["Location"] == "/admin/"
    assert first.get("/admin/").status_code == 200
    assert "That code is not right" in sign_in(again, code=codes[0]).content.decode()


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one_next(staff, clock):
    set_up(Client(), clock)
    device = TOTPDevice.objects.get()
    for n in range(5):
        sign_in(Client(), password=f"wrong-{n}", address=f"198.51.100.{n}")

    locked = sign_in(Client(), code=code_for(device), address="198.51.100.99")

    assert locked.status_code in (403, 429)
    assert "Signing in is paused" in locked.content.decode()
    clock.shift(timedelta(minutes=16))
    assert sign_in(Client(), code=code_for(device), address="198.51.100.99")["Location"] == "/admin/"


def test_wrong_codes_count_towards_the_lockout_too(staff, clock):
    set_up(Client(), clock)
    for _ in range(5):
        sign_in(Client(), code="123456" if code_for(TOTPDevice.objects.get()) != "123456" else "654321")

    assert "Signing in is paused" in sign_in(Client(), code=code_for(TOTPDevice.objects.get())).content.decode()


def test_one_address_guessing_many_accounts_is_locked_out(staff):
    for n in range(5):
        sign_in(Client(), username=f"guess{n}", address="203.0.113.5")

    assert "Signing in is paused" in sign_in(Client(), address="203.0.113.5").content.decode()
    assert sign_in(Client(), address="203.0.113.6").status_code == 302  # another address is not


def test_a_practice_manager_sees_the_lockouts_and_reception_does_not(staff, clock):
    for n in range(5):
        sign_in(Client(), password=f"wrong-{n}", address="203.0.113.7")
    manager = User.objects.create_user("manager", is_staff=True, is_superuser=True)
    front_desk = User.objects.create_user("front-desk", is_staff=True)

    lockouts = signed_in(Client(), manager).get("/admin/axes/accessattempt/")

    assert lockouts.status_code == 200
    listed = re.sub(r"<[^>]+>", " ", lockouts.content.decode())
    assert "reception" in listed and "203.0.113.7" in listed
    assert signed_in(Client(), front_desk).get("/admin/axes/accessattempt/").status_code == 403


def test_staff_sessions_end_after_a_working_day_without_a_request(admin_client):
    admin_client.get("/admin/")

    assert admin_client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_SECONDS == 10 * 60 * 60


def test_a_staff_session_s_end_moves_on_every_few_minutes_not_with_a_write_on_every_click(admin_client):
    def session_end():
        return Session.objects.get(session_key=admin_client.session.session_key).expire_date

    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False) as clock:
        admin_client.get("/admin/")
        first = session_end()
        assert first == datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
        clock.shift(timedelta(minutes=4))
        with CaptureQueriesContext(connection) as queries:
            admin_client.get("/admin/")
        assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
        assert session_end() == first
        clock.shift(timedelta(minutes=2))
        admin_client.get("/admin/")
        assert session_end() == datetime(2026, 12, 1, 19, 6, tzinfo=UTC)


def test_the_admin_lives_at_the_address_the_settings_give(client, settings, admin_user):
    import soletherapy.urls

    settings.ADMIN_URL = "clinic-staff-8f3a/"
    try:
        clear_url_caches()
        importlib.reload(soletherapy.urls)
        assert client.get("/clinic-staff-8f3a/login/").status_code == 200
        assert client.get("/admin/login/").status_code == 404
    finally:
        settings.ADMIN_URL = "admin/"
        clear_url_caches()
        importlib.reload(soletherapy.urls)

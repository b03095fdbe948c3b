"""A flood from one client is stopped at a limit no real patient meets, with a page that says
when to try again; limits are counted in the shared cache (real Redis here), by address and by
email; a bot that fills the hidden field or posts faster than a person is refused quietly."""

import logging
from datetime import timedelta

import pytest
from django.core.cache import caches

from bookings.models import Booking, Patient, WaitlistEntry
from bookings.patient_forms import form_started_token
from tests.bookings.conftest import TEN_AM_SYDNEY_DEC_3
from tests.bookings.pages import fixed_clock, post_details, text  # noqa: F401 (fixed_clock: a fixture)

pytestmark = pytest.mark.django_db

REDIS = {
    "default": {
        "BACKEND": "soletherapy.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/7",
        "KEY_PREFIX": "abuse-limit-tests",
    }
}


@pytest.fixture(autouse=True)
def shared_cache(settings):
    settings.CACHES = REDIS
    caches["default"].clear()
    yield
    caches["default"].clear()


def _book(client, clinic, n, email=None, **request):
    """One whole booking for the nth free hour; returns the Confirm response."""
    start = TEN_AM_SYDNEY_DEC_3 + timedelta(hours=2 * (n % 4), days=n // 4)
    details = post_details(client, clinic, start=start, email=email or f"patient{n}@example.com")
    assert details.status_code == 302, text(details)
    return client.post(details["Location"], **request)


def test_the_sixth_booking_in_an_hour_from_one_address_is_stopped_with_a_page_saying_when(client, clinic):
    answers = [_book(client, clinic, n).status_code for n in range(6)]

    assert answers == [302] * 5 + [429]
    stopped = _book(client, clinic, 6)
    assert stopped.status_code == 429
    assert 0 < int(stopped["Retry-After"]) <= 3600
    assert "Please wait a little before trying again" in text(stopped) and "Please try again in about" in text(stopped)
    assert Booking.objects.count() == 5


def test_the_limit_holds_for_another_browser_at_the_same_address(clinic, client):
    from django.test import Client

    for n in range(5):
        _book(Client(), clinic, n)

    assert _book(client, clinic, 5).status_code == 429  # a new browser, but the same address


def test_a_fourth_booking_for_one_email_in_a_day_is_stopped_from_any_address(clinic):
    from django.test import Client

    answers = [
        _book(Client(REMOTE_ADDR=f"203.0.113.{n}"), clinic, n, email="same@example.com").status_code for n in range(4)
    ]

    assert answers == [302, 302, 302, 429]


def test_behind_a_proxy_the_address_comes_only_from_the_entry_the_proxy_added(clinic, settings):
    from django.test import Client

    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXIES = 1
    answers = []
    for n in range(6):
        # The client forges the first entry each time; our proxy adds the real address last.
        client = Client(HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7")
        answers.append(_book(client, clinic, n).status_code)

    assert answers[-1] == 429
    assert _book(Client(HTTP_X_FORWARDED_FOR="198.51.100.8"), clinic, 7).status_code == 302


def test_a_bot_that_fills_the_hidden_field_is_refused_quietly_and_counted(client, clinic, caplog):
    with caplog.at_level(logging.INFO, logger="bookings.views"):
        response = post_details(client, clinic, website="http://spam.example")

    assert response.status_code == 400
    assert "Sorry, we could not take that." in text(response)
    assert "hidden" not in text(response).lower().split("sorry")[1][:200]  # the page does not say why
    assert "refused as automated: the hidden field was filled in" in caplog.text
    assert "jordan" not in caplog.text.lower() and "spam.example" not in caplog.text
    assert Booking.objects.count() == 0 and Patient.objects.count() == 0


def test_a_form_sent_faster_than_a_person_could_fill_it_is_refused(client, clinic, caplog):
    import time

    with caplog.at_level(logging.INFO, logger="bookings.views"):
        response = post_details(client, clinic, started=form_started_token(time.time()))

    assert response.status_code == 400 and "sent faster than a person could" in caplog.text


def test_the_waitlist_is_limited_and_trapped_too(client, clinic):
    from tests.bookings.pages import filled_in

    url = "/book/assessment/waitlist/"
    answers = {"practitioner": "any", "earliest": "2026-12-03", "latest": "2026-12-04", "consent": "on"}
    statuses = [
        client.post(url, filled_in(answers | {"name": "Casey", "email": f"c{n}@example.com"})).status_code
        for n in range(6)
    ]
    trapped = client.post(url, answers | {"name": "Bot", "email": "bot@example.com", "website": "x", "started": ""})

    assert statuses == [200] * 5 + [429]
    assert trapped.status_code == 429  # the address is already stopped
    assert WaitlistEntry.objects.count() == 5

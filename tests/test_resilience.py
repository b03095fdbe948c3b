"""The cache is an accelerator, never a dependency: with it down every page still answers and
bookings are made and cancelled; junk query strings get no page copies of their own; and the
health endpoints say what is down."""

import logging
import threading
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from bookings import links, services
from bookings.models import Booking, BookingStatus
from conditions.models import Condition
from soletherapy import page_cache
from tests.bookings.pages import filled_in

pytestmark = pytest.mark.django_db

CACHE_DOWN = {
    "default": {
        "BACKEND": "soletherapy.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there: every call is refused
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}
PAGES = [
    "/",
    "/conditions/",
    "/conditions/hamstring-insertion-pain/",
    "/treatments/",
    "/treatments/custom-orthotics/",
    "/privacy/",
    "/accessibility/",
    "/team/",
    "/fees/",
    "/contact/",
    "/new-patients/",
    "/robots.txt",
    "/sitemap.xml",
    "/book/",
    "/book/biomechanical-assessment/times/",  # (the practitioner step: one demo practitioner, so skipped)
    "/book/biomechanical-assessment/waitlist/",
    "/health/",
]


@pytest.fixture
def cache_down(settings):
    settings.CACHES = CACHE_DOWN
    page_cache.content_generation.forget_local()
    page_cache.local_pages.clear()
    page_cache.forget_outage()
    yield
    page_cache.forget_outage()


def _first_free_time(client):
    # A few days ahead, so the patient may still cancel online.
    day = timezone.localdate() + timedelta(days=4)
    times = client.get(f"/book/biomechanical-assessment/times/?day={day:%Y-%m-%d}").content.decode()
    return next(part for part in times.split('href="') if part.startswith("/book/biomechanical-assessment/details/"))


def test_with_the_cache_down_every_page_answers_and_the_outage_is_logged_once(
    client, demo_schedule, cache_down, caplog
):
    with caplog.at_level(logging.WARNING, logger="soletherapy.page_cache"):
        for _ in range(3):
            for path in PAGES:
                assert client.get(path).status_code == 200, path

    outage_lines = [r for r in caplog.records if "cannot be reached" in r.getMessage()]
    assert len(outage_lines) == 1


def test_with_the_cache_down_a_patient_books_and_cancels(client, demo_schedule, cache_down):
    link = _first_free_time(client).split('"', 1)[0].replace("&amp;", "&")
    details = client.get(link).content.decode()
    hidden = dict(part.split('" value="', 1) for part in details.split('type="hidden" name="')[1:4])
    hidden = {name: value.split('"', 1)[0] for name, value in hidden.items()}
    answers = hidden | {
        "given_name": "Jordan",
        "family_name": "Sole",
        "email": "jordan@example.com",
        "phone": "0412 345 678",
        "is_returning": "no",
        "consent": "on",
    }
    review = client.post(link, filled_in(answers))
    assert review.status_code == 302
    confirmed = client.post(review["Location"])
    assert confirmed.status_code == 302
    booking = Booking.objects.get()

    cancelled = client.post(links.manage_path(booking) + "cancel/")

    assert cancelled.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_an_edit_made_while_the_cache_was_down_shows_when_it_is_back(client, clinic_content, settings):
    page = "/conditions/hamstring-insertion-pain/"
    assert "A summary edited while the cache was down" not in client.get(page).content.decode()  # now cached
    working = settings.CACHES
    settings.CACHES = CACHE_DOWN
    page_cache.forget_outage()
    condition = Condition.objects.get(slug="hamstring-insertion-pain")
    condition.summary = "A summary edited while the cache was down."
    condition.save()

    settings.CACHES = working
    page_cache.forget_outage()
    page_cache.content_generation.forget_local()
    page_cache.local_pages.clear()

    assert "A summary edited while the cache was down." in client.get(page).content.decode()


def test_junk_query_strings_go_to_the_clean_page_and_add_nothing_to_the_cache(client, demo_schedule):
    client.get("/conditions/hamstring-insertion-pain/")
    client.get("/book/biomechanical-assessment/times/")
    stored = len(cache._cache)

    for n in range(200):
        page = client.get(f"/conditions/hamstring-insertion-pain/?junk={n}&x=" + "y" * 3000)
        times = client.get(f"/book/biomechanical-assessment/times/?practitioner=any&utm_source=email{n}")
        assert page.status_code == 301 and page["Location"] == "/conditions/hamstring-insertion-pain/"
        assert (
            times.status_code == 301 and times["Location"] == "/book/biomechanical-assessment/times/?practitioner=any"
        )

    assert len(cache._cache) == stored


def test_a_times_page_asked_for_in_another_order_is_the_same_cached_page(
    client, demo_schedule, django_assert_num_queries
):
    path = reverse("bookings:times", kwargs={"service_slug": "biomechanical-assessment"})
    day = timezone.localdate() + timedelta(days=4)
    client.get(f"{path}?practitioner=any&day={day:%Y-%m-%d}")

    with django_assert_num_queries(0):
        assert client.get(f"{path}?day={day:%Y-%m-%d}&practitioner=any").status_code == 200


def _ready(client):
    """The readiness view is async: ask it from a thread with no event loop (the browser tests
    keep one running in the main thread)."""
    answers = []
    asking = threading.Thread(
        target=lambda: answers.append(client.get("/health/ready/", HTTP_ACCEPT="application/json"))
    )
    asking.start()
    asking.join(timeout=30)
    return answers[0].status_code, answers[0].json()


def test_readiness_names_what_is_down(client, db, cache_down):
    status, checks = _ready(client)

    assert status == 503
    assert checks["Database(alias='default')"] == "OK"
    assert "Connection Error" in checks["Cache(alias='default')"]
    assert "No task worker has swept" in checks["TaskWorker()"]
    assert checks["Migrations()"] == "OK"
    assert client.get("/health/").status_code == 200  # alive, though not ready


@pytest.mark.django_db(transaction=True)  # the checks read with connections of their own
def test_readiness_is_ok_with_a_worker_sweeping(client):
    from django_tasks_db.models import DBTaskResult

    from bookings.tasks import sweep
    from tests.worker import run_due_tasks

    sweep.enqueue()
    run_due_tasks()
    assert DBTaskResult.objects.filter(task_path=sweep.module_path, status="SUCCESSFUL").exists()

    status, checks = _ready(client)

    assert status == 200, checks
    assert set(checks.values()) == {"OK"}
    DBTaskResult.objects.filter(status="SUCCESSFUL").update(finished_at=timezone.now() - timedelta(minutes=4))
    assert _ready(client)[0] == 503


def test_a_booking_service_does_not_fail_when_the_cache_is_down(demo_schedule, cache_down):
    from bookings.models import Location, Patient, Practitioner, Service

    booking = services.booking_create(
        service=Service.objects.get(slug="biomechanical-assessment"),
        location=Location.objects.get(),
        patient=Patient.objects.create(given_name="Jo", family_name="Sole", phone="+61491570006"),
        practitioner=Practitioner.objects.get(),
        start=timezone.now() + timedelta(days=2),
        channel="phone",
        outside_hours_ok=True,
    )
    services.booking_cancel(booking=booking, by_patient=False)

    assert Booking.objects.get().status == BookingStatus.CANCELLED

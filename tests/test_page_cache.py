"""Public pages are served to anonymous visitors from the cache, and never stale or shared
where that would matter."""

import gzip
import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage

from conditions.models import Condition

pytestmark = pytest.mark.django_db

PAGE = "/conditions/hamstring-insertion-pain/"


def test_a_second_anonymous_visit_is_served_from_the_cache_without_the_database(
    client, clinic_content, django_assert_num_queries
):
    first = client.get(PAGE)
    with django_assert_num_queries(0):
        second = client.get(PAGE)

    assert second.status_code == 200
    assert second.content == first.content


def test_a_content_edit_shows_at_once(client, clinic_content):
    client.get(PAGE)
    condition = Condition.objects.get(slug="hamstring-insertion-pain")
    condition.summary = "A freshly edited summary."
    condition.save()

    assert "A freshly edited summary." in client.get(PAGE).content.decode()


def test_signed_in_staff_always_get_a_fresh_page(admin_client, clinic_content, django_assert_max_num_queries):
    admin_client.get(PAGE)
    with django_assert_max_num_queries(20) as captured:
        admin_client.get(PAGE)

    assert len(captured) > 0


def test_the_choice_of_service_is_cached_like_any_public_page(client, clinic_content, django_assert_num_queries):
    first = client.get("/book/", {"concern": "hamstring-insertion-pain"})
    with django_assert_num_queries(0):
        again = client.get("/book/", {"concern": "hamstring-insertion-pain"})

    assert again.content == first.content
    assert "Booking about: <strong>Hamstring insertion pain</strong>" in again.text
    assert "X-Robots-Tag" not in again
    assert "no-cache" not in again.get("Cache-Control", "")


def test_an_unknown_condition_on_the_choice_of_service_goes_to_the_plain_page(client, clinic_content):
    response = client.get("/book/", {"concern": "no-such-condition"})

    assert response.status_code == 302
    assert response["Location"] == "/book/"


def test_the_choice_of_practitioner_is_cached_too_and_a_change_to_the_team_shows_at_once(
    client, clinic_content, django_assert_num_queries
):
    from bookings.models import Practitioner, Service
    from bookings.selectors import main_location

    service = Service.objects.get(slug="biomechanical-assessment")
    for name in ("Alex Foot", "Sam Heel", "Robin Newcomer"):
        practitioner = Practitioner.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        practitioner.locations.add(main_location())
        if name != "Robin Newcomer":
            practitioner.services.add(service)
    newcomer = Practitioner.objects.get(slug="robin-newcomer")
    path = "/book/biomechanical-assessment/"
    first = client.get(path, {"concern": "hamstring-insertion-pain"})
    with django_assert_num_queries(0):
        again = client.get(path, {"concern": "hamstring-insertion-pain"})

    assert first.status_code == again.status_code == 200
    assert again.content == first.content and "Who would you like to see?" in again.text
    assert again["X-Robots-Tag"] == "noindex"  # shared, but still not for search results
    assert "no-cache" not in again.get("Cache-Control", "")
    assert "Robin Newcomer" not in again.text
    newcomer.services.add(service)  # only the link changes: the page must still be dropped
    assert "Robin Newcomer" in client.get(path, {"concern": "hamstring-insertion-pain"}).text
    assert client.get(path, {"utm_source": "x"}).status_code == 301  # one page, not one per query string


def test_a_site_that_insists_on_https_sends_plain_http_there_even_for_a_cached_page(client, clinic_content, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(PAGE, secure=True).status_code == 200  # cached

    response = client.get(PAGE)

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{PAGE}"


def test_a_page_kept_from_https_is_not_sent_over_plain_http(client, clinic_content, settings):
    """Only a page sent over HTTPS tells the browser to insist on it (HSTS); the cached copies
    are kept apart."""
    settings.SECURE_HSTS_SECONDS = 31536000
    client.get(PAGE, secure=True)

    secure, plain = client.get(PAGE, secure=True), client.get(PAGE)

    assert "Strict-Transport-Security" in secure
    assert "Strict-Transport-Security" not in plain
    assert plain.content == secure.content


def test_static_files_never_wait_for_the_page_cache(client, monkeypatch):
    from soletherapy import page_cache

    monkeypatch.setattr(page_cache, "get_page", lambda *args, **kwargs: pytest.fail("static file looked up"))

    response = client.get("/static/css/site.css")

    assert response.status_code in (200, 404)  # 404 where the static files were never collected


def test_junk_parameters_are_dropped_by_a_redirect_for_pages_and_free_times_alike(client, clinic_content):
    page = client.get("/", {"utm_source": "x"})
    times = client.get("/book/biomechanical-assessment/times/", {"day": "2026-12-07", "fbclid": "y"})

    assert (page.status_code, page["Location"]) == (301, "/")
    assert (times.status_code, times["Location"]) == (301, "/book/biomechanical-assessment/times/?day=2026-12-07")
    assert page["X-Content-Type-Options"] == times["X-Content-Type-Options"] == "nosniff"


def test_the_times_and_the_steps_after_them_are_private(client, clinic_content):
    # (The week of free times is shared between visitors for a minute by bookings.free_times_cache,
    # but never by a browser or a proxy, and never indexed.)
    response = client.get("/book/biomechanical-assessment/times/")

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"]


def test_pages_cached_by_an_earlier_release_are_not_served_after_a_deploy(
    client, clinic_content, monkeypatch, django_assert_max_num_queries
):
    client.get(PAGE)
    monkeypatch.setattr(staticfiles_storage, "manifest_hash", "new-release", raising=False)

    with django_assert_max_num_queries(20) as captured:
        assert client.get(PAGE).status_code == 200

    assert len(captured) > 0


def test_another_worker_sees_a_change_within_a_second(monkeypatch):
    from soletherapy import page_cache

    clock = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    this_worker = page_cache.content_generation
    other_worker = page_cache.Generation("page-cache")
    before = other_worker.current()

    this_worker.bump()

    assert this_worker.current() != before  # the worker that saved the change sees it at once
    assert other_worker.current() == before  # another worker trusts its copy for up to a second
    clock[0] += 1.01
    assert other_worker.current() == this_worker.current()


def test_a_flushed_cache_never_brings_back_an_old_generation():
    from django.core.cache import cache

    from soletherapy import page_cache

    seen = set()
    for _ in range(3):
        page_cache.content_generation.bump()
        page_cache.content_generation.bump()
        seen.add(page_cache.content_generation.current())
        cache.clear()
        page_cache.content_generation.forget_local()
        fresh = page_cache.content_generation.current()
        assert fresh not in seen
        seen.add(fresh)


@pytest.mark.parametrize("accept, coding", [("br, gzip", "br"), ("gzip, deflate", "gzip"), ("", None),
                                            ("gzip;q=0, br;q=0", None), ("identity", None)])  # fmt: skip
def test_cached_pages_are_compressed_once_and_sent_as_the_browser_accepts(client, clinic_content, accept, coding):
    import gzip

    import brotli

    plain = client.get(PAGE).content  # rendered and stored, with its compressed copies
    for _ in range(2):  # the page just stored, then the page served from the cache
        response = client.get(PAGE, headers={"Accept-Encoding": accept})

        assert "Accept-Encoding" in response["Vary"]
        assert response.get("Content-Encoding") == coding
        assert int(response["Content-Length"]) == len(response.content)
        body = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[coding](response.content)
        assert body == plain
        if coding:
            assert len(response.content) < len(plain) / 3


def test_the_week_of_free_times_is_compressed_and_a_page_with_a_form_never_is(client, clinic_content):
    from bookings.models import Practitioner, Service
    from bookings.selectors import main_location
    from tests.bookings.factories import make_hours

    service = Service.objects.get(slug="biomechanical-assessment")
    practitioner = Practitioner.objects.create(name="Alex Foot", slug="alex-foot")
    practitioner.services.add(service)
    practitioner.locations.add(main_location())
    make_hours(practitioner, main_location(), "08:00-18:00")
    times = "/book/biomechanical-assessment/times/"
    for _ in range(2):
        response = client.get(times, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
        assert "no-cache" in response["Cache-Control"]

    page = gzip.decompress(response.content).decode()
    first_time = re.search(r'href="(/book/biomechanical-assessment/details/\?[^"]+)"', page)
    form = client.get(first_time[1].replace("&amp;", "&"), headers={"Accept-Encoding": "br, gzip"})
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.text
    assert "Content-Encoding" not in form  # a form's token next to what a visitor typed: BREACH

"""Public pages are served to anonymous visitors from the cache, and never stale or shared
where that would matter."""

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


def test_the_steps_after_the_choice_of_service_are_private(client, clinic_content):
    # (The week of free times is shared between visitors for a minute by bookings.free_times_cache,
    # but never by a browser or a proxy, and never indexed.)
    for path in ("/book/biomechanical-assessment/", "/book/biomechanical-assessment/times/"):
        response = client.get(path, follow=True)

        assert response.status_code == 200, path
        assert response["X-Robots-Tag"] == "noindex", path
        assert "no-cache" in response["Cache-Control"], path


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

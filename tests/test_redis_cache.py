"""The site's Redis cache backend (soletherapy.redis_cache) against a real Redis: Django's
behaviour, in fewer round trips."""

import threading

import pytest
from django.core.cache import caches

REDIS = {
    "default": {
        "BACKEND": "soletherapy.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/6",
        "KEY_PREFIX": "redis-cache-tests",
    }
}


@pytest.fixture
def cache(settings):
    settings.CACHES = REDIS
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_incr_adds_to_a_key_that_exists_and_refuses_one_that_does_not(cache):
    cache.set("visits", 5)

    assert cache.incr("visits") == 6
    assert cache.incr("visits", 10) == 16
    assert cache.get("visits") == 16
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-set")
    assert cache.get("never-set") is None  # not created by the attempt


def test_incr_is_one_round_trip_and_the_client_is_made_once(cache, monkeypatch):
    import redis

    cache.set("visits", 0)
    made, commands = [], []
    original_init, original_execute = redis.Redis.__init__, redis.Redis.execute_command

    def counting_init(self, *args, **kwargs):
        made.append(1)
        original_init(self, *args, **kwargs)

    def counting_execute(self, *args, **options):
        commands.append(args[0])
        return original_execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "__init__", counting_init)
    monkeypatch.setattr(redis.Redis, "execute_command", counting_execute)
    for _ in range(3):
        cache.incr("visits")
    cache.get("visits")

    assert cache.get("visits") == 3
    assert made == []  # the client made for the first call (the set above) is used again
    assert commands.count("EVALSHA") == 3 and "EXISTS" not in commands and "INCRBY" not in commands


def test_concurrent_increments_from_threads_each_count(cache):
    cache.set("visits", 0)

    def add():
        for _ in range(50):
            cache.incr("visits")

    threads = [threading.Thread(target=add) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert cache.get("visits") == 200


def test_the_script_is_loaded_again_after_redis_forgets_it(cache):
    cache.set("visits", 1)
    cache.incr("visits")
    cache._cache.get_client(write=True).script_flush()

    assert cache.incr("visits") == 3

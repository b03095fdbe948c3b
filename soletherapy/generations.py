"""Generation numbers in the shared cache: what is kept (cached pages, each worker's copies of
the rota or the team) is kept under the generation of the data it shows, and a change to that
data gives the generation a new number, so nothing kept from before is used again.

A change bumps at once, and again when its transaction commits, so that a page a request
rendered from the old data in between is not served either. The generations one saved row
bumps are bumped together, in one round trip to the cache (a booking bumps the week of free
times and the reception calendar), and a transaction bumps once more at its commit for all its
changes together.

The cache is an accelerator, never a dependency: while it cannot be reached nothing is kept
(`Generation.current` is None), changes still save, and the failure is logged once a minute,
not once a request. A change made while it was down bumps its generation as soon as it is back.
This module imports no app.
"""

import logging
import secrets
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

# How long a worker trusts the generation it last read from the shared cache. A change made in
# this worker is seen at once; one made in another worker or on another server within this many
# seconds (so, on every server, within a second of saving).
LOCAL_SECONDS = 0.5
# A cache that is down is logged at most this often (seconds) by each worker, and not asked
# again for a few seconds, so each request does not wait for it to fail anew.
OUTAGE_LOG_SECONDS = 60
OUTAGE_PAUSE_SECONDS = 5

logger = logging.getLogger("soletherapy.page_cache")
_outage_state = {"logged": -OUTAGE_LOG_SECONDS, "retry_after": 0.0}


class CacheDown(Exception):
    """The cache failed a moment ago: it is not asked again yet."""


def shared_cache():
    if time.monotonic() < _outage_state["retry_after"]:
        raise CacheDown
    return caches[settings.PAGE_CACHE_ALIAS]


def outage(error: Exception) -> None:
    now = time.monotonic()
    if isinstance(error, CacheDown):
        return
    _outage_state["retry_after"] = now + OUTAGE_PAUSE_SECONDS
    if now - _outage_state["logged"] >= OUTAGE_LOG_SECONDS:
        _outage_state["logged"] = now
        logger.warning("The page cache cannot be reached (%s): pages are rendered without it", type(error).__name__)


def forget_outage() -> None:
    """Ask the cache again at once (tests, and a worker told the cache is back)."""
    _outage_state.update(logged=-OUTAGE_LOG_SECONDS, retry_after=0.0)


def _fresh_generation() -> int:
    # A new number is drawn at random (63 bits), not counted on from the last: it can be set in
    # one round trip for several generations at once, and no number a generation had before
    # comes back, even after the cache is flushed (so pages stored under an old number are never
    # served again). The clock would not do: two bumps can fall in one tick of a coarse clock.
    # Only "is it still the same number" is ever asked.
    return secrets.randbits(63)


class Generation:
    def __init__(self, name: str):
        self.key = f"{name}:generation"
        self._local: tuple[int, float] | None = None
        self._bump_missed = False

    def current(self) -> int | None:
        """The generation pages are stored under now; None while the cache cannot be reached
        (nothing is then read from or stored in it)."""
        checked = time.monotonic()
        if self._local is not None and checked - self._local[1] < LOCAL_SECONDS:
            return self._local[0]
        if self._bump_missed and not bump_now([self]):
            return None
        try:
            cache = shared_cache()
            generation = cache.get(self.key)
            if generation is None:
                cache.add(self.key, _fresh_generation(), timeout=None)
                generation = cache.get(self.key)
        except Exception as error:  # any cache failure: the site goes on without the cache
            self._local = None
            outage(error)
            return None
        self._local = (generation, checked)
        return generation

    def bump_now(self) -> None:
        bump_now([self])

    def bump(self) -> None:
        bump([self])

    def forget_local(self) -> None:
        self._local = None

    def watch(self, *models, when_created: bool = True) -> None:
        """Bump whenever a row of one of these models is saved or deleted, or, for a
        many-to-many `through` model, whenever its links change. This covers the admin, the
        services, revision restores, commands and shell sessions alike: all save through the ORM.
        `when_created=False`: a new row alone shows on none of this generation's pages (a new
        patient is on no calendar until a booking, which bumps it too, is saved for them)."""
        for model in models:
            watchers = _watched.setdefault(model, {})
            if not watchers:
                uid = ("generations", model._meta.label)
                if model._meta.auto_created:
                    m2m_changed.connect(_on_links_changed, sender=model, weak=False, dispatch_uid=uid)
                else:
                    post_save.connect(_on_row_changed, sender=model, weak=False, dispatch_uid=uid)
                    post_delete.connect(_on_row_changed, sender=model, weak=False, dispatch_uid=uid)
            watchers[self] = when_created


# For each watched model, the generations its changes bump (and whether a new row does).
_watched: dict[type, dict[Generation, bool]] = {}


def _on_row_changed(sender, created: bool = False, **kwargs) -> None:
    if generations := [g for g, when_created in _watched.get(sender, {}).items() if when_created or not created]:
        bump(generations)


def _on_links_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        bump(list(_watched.get(sender, {})))


def bump_now(generations) -> bool:
    """New numbers for these generations, in one round trip; False when the cache cannot be
    reached (each then bumps as soon as it is back: pages shown before the change must not come
    back with it)."""
    for generation in generations:
        generation._local = None
    try:
        shared_cache().set_many({generation.key: _fresh_generation() for generation in generations}, timeout=None)
    except Exception as error:
        for generation in generations:
            generation._bump_missed = True
        outage(error)
        return False
    for generation in generations:
        generation._bump_missed = False
    return True


def bump(generations) -> None:
    """Bump now and, inside a transaction, once more when it commits: one callback for all of
    the transaction's changes. A savepoint rolled back takes a callback registered in it along
    (and its changes), so a change after it registers another."""
    bump_now(generations)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    at_commit = next((c for _, c, _ in connection.run_on_commit if isinstance(c, _BumpAtCommit)), None)
    if at_commit is None:
        at_commit = _BumpAtCommit()
        transaction.on_commit(at_commit, robust=True)
    at_commit.generations.update(generations)


class _BumpAtCommit:
    def __init__(self):
        self.generations: set[Generation] = set()

    def __call__(self) -> None:
        bump_now(self.generations)

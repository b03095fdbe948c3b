"""Each worker's own small copy of the shared page cache, so a hit needs no network round trip.
Keys carry the generation, so a content change makes every old entry unreachable; entries say
when they expire (`page_cache` checks)."""

import threading
import time
from collections import OrderedDict


class WorkerPages:
    """The most recently used `size` pages, most recently used last."""

    def __init__(self, size: int):
        self.size = size
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            stored = self.pages.get(key)
            if stored is not None:
                self.pages.move_to_end(key)
            return stored

    def put(self, key: str, stored: tuple) -> None:
        with self.lock:
            self.pages[key] = stored
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def drop(self, key: str) -> None:
        with self.lock:
            self.pages.pop(key, None)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


class WorkerFragments:
    """Parts of pages kept in this worker's memory only (never in the shared cache: they may
    hold what only staff may see), each under the generation it was rendered for and for at
    most `seconds`."""

    def __init__(self, size: int):
        self.pages = WorkerPages(size)

    def get(self, key: str):
        stored = self.pages.get(key)
        return stored[1] if stored is not None and stored[0] > time.time() else None

    def put(self, key: str, value, *, seconds: float) -> None:
        self.pages.put(key, (time.time() + seconds, value))

    def get_or_render(self, generation: int | None, key: str, render, *, seconds: float):
        if generation is None:  # the shared cache is down: no generation to trust
            return render()
        full_key = f"{generation}:{key}"
        if (value := self.get(full_key)) is not None:
            return value
        value = render()
        self.put(full_key, value, seconds=seconds)
        return value

    def clear(self) -> None:
        self.pages.clear()


class PerGeneration:
    """One value this worker reads once and keeps while the generation (a `page_cache.Generation`)
    it was read under is current: the clinic, the booking rules."""

    def __init__(self, generation):
        self.generation = generation
        self.kept = (None, None)

    def get(self, read):
        current = self.generation.current()
        if current is not None and self.kept[0] == current:
            return self.kept[1]
        value = read()
        self.kept = (current, value)
        return value

    def forget(self) -> None:
        self.kept = (None, None)

"""Each worker's own small copy of the shared page cache, so a hit needs no network round trip.
Keys carry the generation, so a content change makes every old entry unreachable; entries say
when they expire (`page_cache` checks)."""

import threading
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

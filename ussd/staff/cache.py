"""The programme report and its charts, worked out once per state of the book and day.

A report over thousands of groups takes a good part of a second and a chart a tenth; the
book changes with each synced meeting, a few times an hour. So each is kept under the key
(day, the book's mark, …) and worked out again only once the book has changed: pages answer
from memory between syncs. Only the last few keys are kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
KEPT = 32


class Kept:
    def __init__(self, most: int = KEPT) -> None:
        self.most = most
        self._values: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self.misses = 0

    def get(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                value: T = self._values[key]
                return value
        made = make()  # outside the lock: another key need not wait for this one
        with self._lock:
            self.misses += 1
            self._values[key] = made
            while len(self._values) > self.most:
                self._values.popitem(last=False)
        return made

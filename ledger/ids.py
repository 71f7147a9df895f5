"""Entry ids made where the entry is made: time-sortable, unique across devices (ULID form).

48 bits of milliseconds then 80 random bits, in Crockford base32 (26 characters). Two devices
that never talk to each other will not collide; ids sort by creation time; within one process
ids made in the same millisecond still increase, so sorting by id keeps creation order.
"""

from __future__ import annotations

import re
import secrets
import threading
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ID_RE = re.compile(r"[0-7][0-9A-HJKMNP-TV-Z]{25}", re.ASCII)
_RANDOM_BITS = 80


class _Generator:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last_ms = -1
        self._last_random = 0

    def new(self, now_ms: int | None = None) -> str:
        with self._lock:
            ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
            if ms <= self._last_ms:
                # Same (or an earlier, after a clock step back) millisecond: keep increasing.
                ms = self._last_ms
                random_part = self._last_random + 1
                if random_part >> _RANDOM_BITS:
                    ms += 1
                    random_part = secrets.randbits(_RANDOM_BITS - 1)
            else:
                random_part = secrets.randbits(_RANDOM_BITS - 1)
            self._last_ms, self._last_random = ms, random_part
            return encode(ms, random_part)


def encode(ms: int, random_part: int) -> str:
    value = (ms << _RANDOM_BITS) | random_part
    chars = []
    for _ in range(26):
        value, index = divmod(value, 32)
        chars.append(_ALPHABET[index])
    return "".join(reversed(chars))


_GENERATOR = _Generator()


def new_id(now_ms: int | None = None) -> str:
    """A new entry id; `now_ms` fixes the clock for reproducible tests."""
    return _GENERATOR.new(now_ms)


def is_valid_id(text: str) -> bool:
    return bool(_ID_RE.fullmatch(text))


def id_time_ms(entry_id: str) -> int:
    """The millisecond timestamp an id was made at."""
    value = 0
    for char in entry_id[:10]:
        value = value * 32 + _ALPHABET.index(char)
    return value

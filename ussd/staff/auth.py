"""Who is asking: the signed session cookie (Starlette's SessionMiddleware, signed with a key
the hub derives from its secret), the CSRF token every form carries, and the limit on login
attempts from one address (the book limits them per account)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque

from starlette.requests import Request

COOKIE = "vsla_staff"
SESSION_HOURS = 8
CLIENT_FAILURES = 20  # failed logins from one address in CLIENT_WINDOW seconds, any account
CLIENT_WINDOW = 15 * 60


def session_key(pin_key: bytes) -> str:
    """The cookie's signing key, derived from the hub's secret so that no new one is needed
    (and never the secret itself)."""
    return hmac.new(pin_key, b"vsla staff session cookie", hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use: every form posts it back."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def csrf_ok(request: Request, posted: object) -> bool:
    expected = request.session.get("csrf")
    return (
        isinstance(expected, str)
        and isinstance(posted, str)
        and hmac.compare_digest(expected.encode(), posted.encode())
    )


class ClientLimiter:
    """Failed logins per client address over a sliding window, in this process: guessing
    across many accounts from one address stops here (one account's own limit is kept in
    the book and holds across restarts)."""

    def __init__(self, most: int = CLIENT_FAILURES, window_s: float = CLIENT_WINDOW) -> None:
        self.most, self.window_s = most, window_s
        self._failures: dict[str, deque[float]] = {}

    def blocked(self, client: str) -> bool:
        recent = self._recent(client)
        return len(recent) >= self.most

    def failed(self, client: str) -> None:
        self._recent(client).append(time.monotonic())

    def _recent(self, client: str) -> deque[float]:
        recent = self._failures.setdefault(client, deque())
        while recent and recent[0] < time.monotonic() - self.window_s:
            recent.popleft()
        return recent

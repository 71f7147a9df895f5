"""The hub's record of USSD sessions: what a repeated hop must answer, what was already done
at each input of a session, and the end-of-session reports.

Nothing here holds a PIN: a hop is remembered by a keyed digest of its request, and the
end-of-session reports (whose `input` field is every input of the session) are kept without
it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from vsla.book.base import guarded_methods
from vsla.store.connection import write_transaction

if TYPE_CHECKING:
    from vsla.book.service import Book

KEPT_FOR = timedelta(days=2)


@guarded_methods
class SessionLog:
    def __init__(self, book: Book, key: bytes) -> None:
        self.book = book
        self.key = key

    def digest(self, *parts: str) -> str:
        """A request as a digest that no one without the key can reverse (it holds a PIN)."""
        return hmac.new(self.key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()

    def begin(
        self, session_id: str, phone: str, service_code: str, dialled_ahead: int, now: datetime
    ) -> int:
        """The session's count of inputs that came with the dialled code: fixed at its first
        hop, however the later hops look."""
        with write_transaction(self.book.db):
            self.book.db.execute(
                "INSERT INTO ussd_sessions (session_id, phone, service_code, started_at, "
                "dialled_ahead) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING",
                [session_id, phone, service_code, now.astimezone(UTC).isoformat(), dialled_ahead],
            )
            row = self.book.db.execute(
                "SELECT dialled_ahead, phone FROM ussd_sessions WHERE session_id = ?",
                [session_id],
            ).fetchone()
        return int(row[0])

    def known(self, session_id: str) -> bool:
        row = self.book.db.execute(
            "SELECT 1 FROM ussd_sessions WHERE session_id = ?", [session_id]
        ).fetchone()
        return row is not None

    def owner(self, session_id: str) -> str | None:
        row = self.book.db.execute(
            "SELECT phone FROM ussd_sessions WHERE session_id = ?", [session_id]
        ).fetchone()
        return None if row is None else str(row[0])

    def answered(self, session_id: str, request_digest: str) -> str | None:
        """The reply already given to this very request, if the gateway repeats it."""
        row = self.book.db.execute(
            "SELECT reply FROM ussd_hops WHERE session_id = ? AND request_digest = ?",
            [session_id, request_digest],
        ).fetchone()
        return None if row is None else str(row[0])

    def answer(self, session_id: str, request_digest: str, reply: str, now: datetime) -> str:
        """Keep the reply of a request; if another thread answered it meanwhile, theirs."""
        with write_transaction(self.book.db):
            self.book.db.execute(
                "INSERT INTO ussd_hops (session_id, request_digest, reply, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [session_id, request_digest, reply, now.astimezone(UTC).isoformat()],
            )
            kept = self.answered(session_id, request_digest)
        return reply if kept is None else kept

    def once(self, session_id: str, step: int, kind: str, act: Callable[[], str]) -> str:
        """`act` done once for this input of this session, in the same transaction as the
        record that says so; a repeat gets the recorded outcome."""
        with write_transaction(self.book.db):
            row = self.book.db.execute(
                "SELECT outcome FROM ussd_effects WHERE session_id = ? AND step = ? AND kind = ?",
                [session_id, step, kind],
            ).fetchone()
            if row is not None:
                return str(row[0])
            outcome = act()
            self.book.db.execute(
                "INSERT INTO ussd_effects (session_id, step, kind, outcome) VALUES (?, ?, ?, ?)",
                [session_id, step, kind, outcome],
            )
        return outcome

    def ended(
        self,
        session_id: str,
        *,
        status: str,
        service_code: str | None,
        network_code: str | None,
        cost: str | None,
        duration_ms: int | None,
        hops: int | None,
        error: str | None,
        now: datetime,
    ) -> bool:
        """Africa's Talking's report of a session's end (for drop-off figures); once."""
        with write_transaction(self.book.db):
            cursor = self.book.db.execute(
                "INSERT INTO ussd_events (session_id, received_at, status, service_code, "
                "network_code, cost, duration_ms, hops, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (session_id) DO NOTHING",
                [
                    session_id,
                    now.astimezone(UTC).isoformat(),
                    status,
                    service_code,
                    network_code,
                    cost,
                    duration_ms,
                    hops,
                    error,
                ],
            )
            return cursor.rowcount == 1

    def forget_before(self, now: datetime) -> None:
        """Sessions last minutes: their hops, effects and inputs are dropped after KEPT_FOR."""
        cutoff = (now - KEPT_FOR).astimezone(UTC).isoformat()
        with write_transaction(self.book.db):
            old = "SELECT session_id FROM ussd_sessions WHERE started_at < ?"
            self.book.db.execute(f"DELETE FROM ussd_hops WHERE session_id IN ({old})", [cutoff])
            self.book.db.execute(f"DELETE FROM ussd_effects WHERE session_id IN ({old})", [cutoff])
            self.book.db.execute("DELETE FROM ussd_sessions WHERE started_at < ?", [cutoff])

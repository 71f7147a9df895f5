"""The hub's record of USSD sessions: who opened each and what was dialled ahead, what was
already done at each input of a session (a repeated hop is worked out again and finds its
effects done), and the end-of-session reports.

Nothing here holds a PIN: an effect keeps only its outcome, and the end-of-session reports
(whose `input` field is every input of the session) are kept without it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from vsla.book.base import guarded_methods
from vsla.store.connection import write_transaction

if TYPE_CHECKING:
    from vsla.book.service import Book

KEPT_FOR = timedelta(days=2)


class Opened(NamedTuple):
    phone: str
    dialled_ahead: int


@guarded_methods
class SessionLog:
    def __init__(self, book: Book) -> None:
        self.book = book

    def begin(
        self, session_id: str, phone: str, service_code: str, dialled_ahead: int, now: datetime
    ) -> int:
        """The session's count of inputs that came with the dialled code: fixed at its first
        hop, however the later hops look."""
        row = self.book.db.execute(  # a later hop: nothing to write, no write lock to wait for
            "SELECT dialled_ahead FROM ussd_sessions WHERE session_id = ?", [session_id]
        ).fetchone()
        if row is not None:
            return int(row[0])
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

    def opened(self, session_id: str) -> Opened | None:
        """The session's phone and inputs dialled ahead, once its first hop was seen."""
        row = self.book.db.execute(
            "SELECT phone, dialled_ahead FROM ussd_sessions WHERE session_id = ?", [session_id]
        ).fetchone()
        return None if row is None else Opened(str(row[0]), int(row[1]))

    def once(self, session_id: str, step: int, kind: str, act: Callable[[], str]) -> str:
        """`act` done once for this input of this session, in the same transaction as the
        record that says so; a repeat gets the recorded outcome."""
        done = self._outcome(session_id, step, kind)  # the usual case on a later hop: no lock
        if done is not None:
            return done
        with write_transaction(self.book.db):
            done = self._outcome(session_id, step, kind)  # again: a twin may have been first
            if done is not None:
                return done
            outcome = act()
            self.book.db.execute(
                "INSERT INTO ussd_effects (session_id, step, kind, outcome) VALUES (?, ?, ?, ?)",
                [session_id, step, kind, outcome],
            )
        return outcome

    def outcomes(self, session_id: str, kind: str) -> list[str]:
        """What was done of one kind in a session, in the order of its inputs."""
        rows = self.book.db.execute(
            "SELECT outcome FROM ussd_effects WHERE session_id = ? AND kind = ? ORDER BY step",
            [session_id, kind],
        ).fetchall()
        return [str(row[0]) for row in rows]

    def _outcome(self, session_id: str, step: int, kind: str) -> str | None:
        row = self.book.db.execute(
            "SELECT outcome FROM ussd_effects WHERE session_id = ? AND step = ? AND kind = ?",
            [session_id, step, kind],
        ).fetchone()
        return None if row is None else str(row[0])

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
            self.book.db.execute(f"DELETE FROM ussd_effects WHERE session_id IN ({old})", [cutoff])
            self.book.db.execute("DELETE FROM ussd_sessions WHERE started_at < ?", [cutoff])

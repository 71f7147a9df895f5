"""The read side of a book: every read a front end makes, as typed read models (`views`).

Each read sees one snapshot of the book: it runs in one SQLite read transaction, so another
program committing a meeting meanwhile (the hub, a sync, a second window) never shows it half
of one. Every SQLite failure leaves as the store's own error (busy, damaged …).

Importing this module costs little more than `sqlite3`: the group list (the app's first
screen, `vsla groups`) needs nothing else. Reads that need the rules (a statement, the loans,
a share-out preview) load them when first asked.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from ledger import N_, currency
from vsla.book.views.groups import GroupOverview, GroupSummary, NextMeeting
from vsla.store.connection import as_database, connect
from vsla.store.errors import store_errors
from vsla.store.schema import MIGRATIONS

if TYPE_CHECKING:
    from vsla.book.views.groups import SyncMark
    from vsla.book.views.loans import LoanBook
    from vsla.book.views.meetings import Bowls, CorrectableEntry, CyclePoint, MeetingView
    from vsla.book.views.members import MemberList, Statement
    from vsla.book.views.report import CycleOutcome, SavixReport
    from vsla.domain.shareout import ShareoutPreview
    from vsla.domain.state import GroupState

P = ParamSpec("P")
R = TypeVar("R")
DUE_SOON_DAYS = 14  # a loan due within two weeks is shown as due soon

_LOAN_FUND_CASH = "assets:cash:loan_fund"
_SOCIAL_FUND_CASH = "assets:cash:social_fund"


def snapshot(method: Callable[Concatenate[Reader, P], R]) -> Callable[Concatenate[Reader, P], R]:
    """The read runs in one read transaction, and raises the store's errors only."""

    @wraps(method)
    def wrapper(self: Reader, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.reading():
            return method(self, *args, **kwargs)

    return wrapper


class Reader:
    """Reads of one book through one connection (one per thread where there are several)."""

    def __init__(self, conn: sqlite3.Connection, *, read_only: bool = False) -> None:
        self.conn = conn
        self.read_only = read_only
        self._depth = 0
        self._states: dict[str, GroupState] = {}  # within one snapshot only

    @classmethod
    def open(
        cls, path: str | Path, *, read_only: bool = False, timeout_ms: int | None = None
    ) -> Reader:
        """The book at `path` for reading; it must exist. An older schema is brought up to
        date first when the file can be written."""
        conn, _new = connect(path, read_only=read_only, create=False, timeout_ms=timeout_ms)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version < len(MIGRATIONS) and not read_only:
            from vsla.book.figures import rebuild_pending

            rebuild_pending(as_database(conn, migrate=True))
        return cls(conn, read_only=read_only)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """One snapshot for everything read inside (nested reads share it)."""
        with store_errors():
            if self._depth or self.conn.in_transaction:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                    if not self._depth:  # inside a writer's transaction: forget per read
                        self._states.clear()
                return
            self.conn.execute("BEGIN")  # deferred: the first read fixes the snapshot (WAL)
            self._depth = 1
            try:
                yield
            finally:
                self._depth = 0
                self._states.clear()
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")  # nothing was written: just let go

    # -- the group list, a group ----------------------------------------------------------

    @snapshot
    def groups(self) -> tuple[GroupSummary, ...]:
        rows = self.conn.execute(_GROUPS + " ORDER BY g.id").fetchall()
        return tuple(_summary(row) for row in rows)

    @snapshot
    def group(self, group_id: str) -> GroupSummary:
        row = self.conn.execute(_GROUPS + " WHERE g.id = ?", [group_id]).fetchone()
        if row is None:
            raise _unknown_group(group_id)
        return _summary(row)

    @snapshot
    def state(self, group_id: str) -> GroupState:
        """The group as the rules see it (the meeting screen works on it). Reads inside one
        snapshot share it: a screen of figures loads the group once, not once a figure."""
        from vsla.book.loading import load_state

        if group_id not in self._states:
            self._states[group_id] = load_state(self.conn, group_id)
        return self._states[group_id]

    @snapshot
    def version(self, group_id: str) -> int:
        """How many entries the group's journal holds (0: no such group). Every change to a
        group is a new entry, so whatever is worked out from its state holds while this
        number stays the same: the hub keeps members' figures by it."""
        row = self.conn.execute(
            "SELECT MAX(seq) FROM journal WHERE group_id = ?", [group_id]
        ).fetchone()
        return int(row[0] or 0)

    @snapshot
    def overview(self, group_id: str, on: date) -> GroupOverview:
        state = self.state(group_id)
        loans = state.open_loans()
        last = state.last_meeting
        return GroupOverview(
            group_id=group_id,
            name=state.name,
            currency=state.currency.code,
            country=state.country,
            cycle=state.cycle_number,
            cycle_start=state.cycle_start,
            cycle_status=state.cycle_status,
            members=len(state.active_members()),
            meetings_this_cycle=self.group(group_id).meetings_this_cycle,
            last_meeting=None if last is None else last.number,
            last_meeting_on=None if last is None else last.date,
            loan_fund_cash_minor=state.loan_fund_cash_minor,
            social_fund_cash_minor=state.social_fund_cash_minor,
            loans_open=len(loans),
            loans_late=sum(1 for loan in loans if state.is_late(loan, on)),
            loans_owed_minor=sum(state.loan_owed_minor(loan) for loan in loans),
            meeting_in_progress=self.draft(group_id) is not None,
        )

    # -- members -----------------------------------------------------------------------

    @snapshot
    def members(self, group_id: str) -> MemberList:
        from vsla.book.views.members import MemberLine, MemberList

        state = self.state(group_id)
        return MemberList(
            group_id=group_id,
            name=state.name,
            currency=state.currency.code,
            exponent=state.currency.exponent,
            country=state.country,
            members=tuple(
                MemberLine(
                    member_id=m.member_id,
                    name=m.name,
                    gender=m.gender,
                    phone=m.phone,
                    language=m.language,
                    status=m.status,
                    roles=tuple(m.roles),
                    shares=state.shares(m.member_id),
                    savings_minor=state.savings_minor(m.member_id),
                    owed_minor=state.member_owed_minor(m.member_id),
                )
                for m in state.members.values()
            ),
        )

    @snapshot
    def statement(self, group_id: str, member_id: str, on: date) -> Statement:
        state = self.state(group_id)
        if member_id not in state.members:
            from vsla.domain.errors import broken

            raise broken(
                "member.unknown", N_("{member} is not a member of the group"), member=member_id
            )
        return statement_of(state, member_id, on)

    # -- meetings ------------------------------------------------------------------------

    @snapshot
    def meeting(self, group_id: str, number: int | None = None) -> MeetingView:
        """A meeting, the last one when `number` is None."""
        from vsla.book.views.meetings import EntryLine, MeetingView

        code = self._currency(group_id)
        if number is None:
            number = self.conn.execute(
                "SELECT MAX(number) FROM meetings WHERE group_id = ?", [group_id]
            ).fetchone()[0]
            if number is None:
                from vsla.domain.errors import broken

                raise broken(
                    "meeting.none_yet", N_("group {group} has held no meeting yet"), group=group_id
                )
        row = self.conn.execute(_MEETING, [group_id, number]).fetchone()
        if row is None:
            from vsla.domain.errors import broken

            raise broken(
                "meeting.unknown",
                N_("group {group} has no meeting number {number}"),
                group=group_id,
                number=number,
            )
        entries = tuple(
            EntryLine(str(r[0]), str(r[1]), r[2], str(r[3]), r[4], int(r[5] or 0), not r[6])
            for r in self.conn.execute(_ENTRIES, [group_id, number])
        )
        attendance = tuple(
            (str(r[0]), str(r[1]))
            for r in self.conn.execute(
                "SELECT member_id, status FROM attendance WHERE group_id = ? "
                "AND meeting_number = ? ORDER BY member_id",
                [group_id, number],
            )
        )
        return MeetingView(
            group_id=group_id,
            number=int(row[0]),
            on=date.fromisoformat(row[1]),
            status=str(row[2]),
            kind=str(row[3]),
            cycle=int(row[4]),
            currency=code,
            exponent=currency(code).exponent,
            opening_counted=_bowls(row[5], row[6]),
            expected_closing=_bowls(row[7], row[8]),
            counted_closing=_bowls(row[9], row[10]),
            reopened=int(row[11]),
            attendance=attendance,
            entries=entries,
        )

    @snapshot
    def meetings(self, group_id: str) -> tuple[MeetingView, ...]:
        """Every meeting of the group, the first first."""
        numbers = [
            int(r[0])
            for r in self.conn.execute(
                "SELECT number FROM meetings WHERE group_id = ? ORDER BY number", [group_id]
            )
        ]
        if not numbers:
            self._currency(group_id)  # an unknown group says so
        return tuple(self.meeting(group_id, number) for number in numbers)

    @snapshot
    def next_meeting(self, group_id: str, today: date) -> NextMeeting:
        """Today, unless a meeting was already held today or later (then one interval after
        it), or the last meeting was reopened (then its own date: she adds to it)."""
        state = self.state(group_id)
        last = state.last_meeting
        if last is not None and last.status == "open":
            return NextMeeting(last.date, reopened=True)
        if last is not None and last.date >= today:
            interval = state.constitution.meeting_interval_days
            return NextMeeting(last.date + timedelta(days=interval), reopened=False)
        return NextMeeting(today, reopened=False)

    @snapshot
    def usual_shares(self, group_id: str) -> dict[str, int]:
        """Shares each member bought at the last meeting of this cycle: what the next
        meeting offers her to confirm (a new cycle starts from the minimum)."""
        state = self.state(group_id)
        last = state.last_meeting
        if last is None or last.kind != "regular" or last.cycle_number != state.cycle_number:
            return {}
        return self.meeting(group_id, last.number).shares_bought(
            state.constitution.share_value_minor
        )

    @snapshot
    def correctable(self, group_id: str, *, limit: int = 100) -> tuple[CorrectableEntry, ...]:
        """Entries of the current cycle a person made and that a reversal can still correct,
        newest first: what a facilitator picks from to correct an earlier meeting."""
        from vsla.book.views.meetings import CorrectableEntry
        from vsla.domain.handlers import REVERSIBLE_KINDS

        cycle = self._cycle(group_id)
        kinds = sorted(REVERSIBLE_KINDS)
        rows = self.conn.execute(
            _CORRECTABLE.format(kinds=",".join("?" * len(kinds))),
            [group_id, *kinds, cycle, limit],
        ).fetchall()
        return tuple(
            CorrectableEntry(
                entry_id=str(r[0]),
                on=date.fromisoformat(r[1]),
                meeting=int(r[2]),
                member_id=r[3],
                kind=str(r[4]),
                shares=json.loads(r[5]).get("shares"),
                amount_minor=int(r[6] or 0),
            )
            for r in rows
        )

    # -- loans, the cycle ----------------------------------------------------------------

    @snapshot
    def loans(self, group_id: str, on: date) -> LoanBook:
        from vsla.book.views.loans import LoanBook, LoanLine

        state = self.state(group_id)
        loans = sorted(state.open_loans(), key=lambda loan: (loan.due_on, loan.number))
        lines = []
        for loan in loans:
            member = state.members.get(loan.member_id)
            late = state.is_late(loan, on)
            lines.append(
                LoanLine(
                    number=loan.number,
                    member_id=loan.member_id,
                    name=member.name if member else "",
                    principal_minor=loan.principal_minor,
                    owed_minor=state.loan_owed_minor(loan),
                    disbursed_on=loan.disbursed_on,
                    due_on=loan.due_on,
                    late=late,
                    due_soon=not late and (loan.due_on - on).days <= DUE_SOON_DAYS,
                )
            )
        return LoanBook(group_id, state.name, state.currency.code, state.country, on, tuple(lines))

    @snapshot
    def shareout_preview(
        self,
        group_id: str,
        on: date,
        *,
        counted_cash_minor: int | None = None,
        reason: str = "",
    ) -> ShareoutPreview:
        """What the share-out would pay if the cycle ended on `on` (nothing is written)."""
        from vsla.domain.shareout import plan_shareout

        return plan_shareout(
            self.state(group_id), on, counted_cash_minor=counted_cash_minor, reason=reason
        )

    @snapshot
    def cycle_series(self, group_id: str) -> tuple[CyclePoint, ...]:
        """Per meeting of the current cycle, at its close: savings, loans outstanding, cash.
        For charts; reads the postings of this cycle's meetings once, in journal order."""
        from vsla.book.views.meetings import CyclePoint

        meetings = self.conn.execute(
            "SELECT number, date FROM meetings WHERE group_id = ? AND cycle_number = ? "
            "ORDER BY number",
            [group_id, self._cycle(group_id)],
        ).fetchall()
        if not meetings:
            return ()
        start = self.conn.execute(
            "SELECT MIN(seq) FROM journal WHERE group_id = ? AND meeting_number = ?",
            [group_id, meetings[0][0]],
        ).fetchone()[0]
        totals = {"savings": 0, "loans": 0, "loan_fund": 0, "social_fund": 0}
        for account, amount in self.conn.execute(
            "SELECT p.account, SUM(p.amount_minor) FROM postings p JOIN journal j "
            "ON j.id = p.entry_id WHERE j.group_id = ? AND j.seq < ? GROUP BY p.account",
            [group_id, start],
        ):
            _accumulate(totals, account, amount)
        by_meeting: dict[int, dict[str, int]] = {}
        for number, account, amount in self.conn.execute(
            "SELECT j.meeting_number, p.account, p.amount_minor FROM postings p JOIN journal j "
            "ON j.id = p.entry_id WHERE j.group_id = ? AND j.seq >= ? ORDER BY j.seq",
            [group_id, start],
        ):
            _accumulate(totals, account, amount)
            by_meeting[number] = dict(totals)
        series = []
        last = dict(totals)
        for number, day in meetings:
            point = by_meeting.get(number, last)
            last = point
            series.append(
                CyclePoint(
                    number=int(number),
                    on=date.fromisoformat(day),
                    savings_minor=-point["savings"],
                    loans_outstanding_minor=point["loans"],
                    loan_fund_cash_minor=point["loan_fund"],
                    social_fund_cash_minor=point["social_fund"],
                )
            )
        return tuple(series)

    @snapshot
    def book_mark(self) -> int:
        """A number that grows with every entry of any group: what was worked out from the
        book at one mark still holds at the same mark (the staff pages' cache)."""
        return int(self.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM journal").fetchone()[0])

    # -- programme reports ------------------------------------------------------------

    @snapshot
    def savix(self, as_of: date, group_ids: tuple[str, ...] = ()) -> SavixReport:
        """The SAVIX data items, indicators and data-quality flags of the given groups (all
        when none), as of the date, from the figures the projections keep."""
        from vsla.book.reports import savix_report

        for group_id in group_ids:
            self._currency(group_id)  # an unknown group is an error, not an empty report
        return savix_report(self.conn, as_of, group_ids)

    @snapshot
    def savix_series(
        self, dates: tuple[date, ...], group_ids: tuple[str, ...] = ()
    ) -> tuple[SavixReport, ...]:
        """The report at each date, all read in one snapshot (for charts over time)."""
        from vsla.book.reports import savix_report

        return tuple(savix_report(self.conn, day, group_ids) for day in dates)

    @snapshot
    def cycle_outcomes(self, group_ids: tuple[str, ...] = ()) -> tuple[CycleOutcome, ...]:
        """Every shared-out cycle: each member's savings, share and payout, by gender."""
        from vsla.book.reports import cycle_outcomes

        for group_id in group_ids:
            self._currency(group_id)
        return cycle_outcomes(self.conn, group_ids)

    # -- this device: settings and drafts ------------------------------------------------

    @snapshot
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else str(row[0])

    @snapshot
    def sync_mark(self, group_id: str) -> SyncMark | None:
        """This device's sync of the group; None while the device does not sync at all."""
        from vsla.book.views.groups import SyncMark

        acked = self.conn.execute(
            "SELECT seq, acked_at FROM sync_acks WHERE group_id = ?", [group_id]
        ).fetchone()
        if acked is None and self.setting("sync.hub") is None:
            return None
        head = self.conn.execute(
            "SELECT MAX(seq) FROM journal WHERE group_id = ?", [group_id]
        ).fetchone()[0]
        waiting = int(head or 0) - (0 if acked is None else int(acked[0]))
        return SyncMark(None if acked is None else str(acked[1]), waiting)

    @snapshot
    def draft(self, group_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT data FROM meeting_drafts WHERE group_id = ?", [group_id]
        ).fetchone()
        return None if row is None else str(row[0])

    @snapshot
    def damage(self) -> list[str]:
        """What SQLite's quick check finds wrong with the file (empty when it is whole)."""
        from vsla.store.backup import integrity_problems

        return integrity_problems(self.conn, quick=True)

    # -- internals -----------------------------------------------------------------------

    def _currency(self, group_id: str) -> str:
        row = self.conn.execute("SELECT currency FROM groups WHERE id = ?", [group_id]).fetchone()
        if row is None:
            raise _unknown_group(group_id)
        return str(row[0])

    def _cycle(self, group_id: str) -> int:
        row = self.conn.execute(
            "SELECT MAX(number) FROM cycles WHERE group_id = ?", [group_id]
        ).fetchone()
        if row is None or row[0] is None:
            raise _unknown_group(group_id)
        return int(row[0])


def statement_of(state: GroupState, member_id: str, on: date) -> Statement:
    """A member's position in a group's state (also right after a meeting, before it is
    read back: the receipts and the summary use it)."""
    from vsla.book.views.members import LoanPosition, Statement
    from vsla.domain import accounts as acc

    loans = [loan for loan in state.open_loans(member_id) if state.loan_owed_minor(loan) > 0]
    position = None
    if loans:
        position = LoanPosition(
            principal_minor=sum(state.principal_owed_minor(ln) for ln in loans),
            charges_owed_minor=sum(state.charges_owed_minor(ln) for ln in loans),
            due_on=min(ln.due_on for ln in loans),
            late=any(state.is_late(ln, on) for ln in loans),
            loans=tuple(ln.number for ln in loans),
        )
    return Statement(
        group_id=state.group_id,
        member_id=member_id,
        name=state.members[member_id].name,
        currency=state.currency.code,
        exponent=state.currency.exponent,
        as_of=on,
        shares=state.shares(member_id),
        savings_minor=state.savings_minor(member_id),
        social_fund_paid_minor=-state.balance(acc.social_fund_contributions(member_id)),
        fines_owed_minor=state.fines_owed_minor(member_id),
        loan=position,
    )


def _unknown_group(group_id: str) -> Exception:
    from vsla.domain.errors import broken

    return broken("group.unknown", N_('there is no group "{group}" in this book'), group=group_id)


def _summary(row: Any) -> GroupSummary:
    return GroupSummary(
        group_id=str(row[0]),
        name=str(row[1]),
        currency=str(row[2]),
        exponent=currency(str(row[2])).exponent,
        country=str(row[3]),
        language=str(row[4]),
        cycle=int(row[5]),
        cycle_start=date.fromisoformat(row[6]),
        cycle_status=str(row[7]),
        members=int(row[8]),
        meetings_this_cycle=int(row[9]),
        meetings=int(row[10] or 0),
        last_meeting_on=None if row[11] is None else date.fromisoformat(row[11]),
    )


def _bowls(loan_fund: int | None, social_fund: int | None) -> Bowls | None:
    from vsla.book.views.meetings import Bowls

    return None if loan_fund is None else Bowls(int(loan_fund), int(social_fund or 0))


def _accumulate(totals: dict[str, int], account: str, amount: int) -> None:
    if account.startswith("equity:savings:"):
        totals["savings"] += amount
    elif account.startswith(("assets:loans:", "assets:charges:")):
        totals["loans"] += amount
    elif account == _LOAN_FUND_CASH:
        totals["loan_fund"] += amount
    elif account == _SOCIAL_FUND_CASH:
        totals["social_fund"] += amount


_GROUPS = (
    "SELECT g.id, g.name, g.currency, g.country, g.language, c.number, c.start_date, c.status, "
    "(SELECT COUNT(*) FROM members m WHERE m.group_id = g.id AND m.status = 'active'), "
    "(SELECT COUNT(*) FROM meetings t WHERE t.group_id = g.id AND t.cycle_number = c.number), "
    "(SELECT MAX(number) FROM meetings t WHERE t.group_id = g.id), "
    "(SELECT MAX(date) FROM meetings t WHERE t.group_id = g.id) "
    "FROM groups g JOIN cycles c ON c.group_id = g.id "
    "AND c.number = (SELECT MAX(number) FROM cycles WHERE group_id = g.id)"
)
_MEETING = (
    "SELECT number, date, status, kind, cycle_number, opening_loan_fund_minor, "
    "opening_social_fund_minor, expected_loan_fund_minor, expected_social_fund_minor, "
    "counted_loan_fund_minor, counted_social_fund_minor, reopened FROM meetings "
    "WHERE group_id = ? AND number = ?"
)
# A fine is owed, not paid, when it is posted to the member's fines receivable.
_ENTRIES = (
    "SELECT j.id, j.kind, j.member_id, j.memo, j.reverses, "
    "(SELECT SUM(amount_minor) FROM postings p WHERE p.entry_id = j.id AND p.amount_minor > 0), "
    "j.kind = 'fine' AND EXISTS (SELECT 1 FROM postings p WHERE p.entry_id = j.id "
    "AND p.account LIKE 'assets:fines:%' AND p.amount_minor > 0) "
    "FROM journal j WHERE j.group_id = ? AND j.meeting_number = ? AND j.record_type = 'tx' "
    "ORDER BY j.seq"
)
_CORRECTABLE = (
    "SELECT j.id, j.date, j.meeting_number, j.member_id, j.kind, j.payload, "
    "(SELECT SUM(amount_minor) FROM postings p WHERE p.entry_id = j.id AND p.amount_minor > 0) "
    "FROM journal j JOIN meetings m ON m.group_id = j.group_id AND m.number = j.meeting_number "
    "WHERE j.group_id = ? AND j.record_type = 'tx' AND j.reverses IS NULL "
    "AND j.kind IN ({kinds}) AND m.cycle_number = ? "
    "AND NOT EXISTS (SELECT 1 FROM journal r WHERE r.reverses = j.id) "
    "ORDER BY j.seq DESC LIMIT ?"
)

__all__ = ["DUE_SOON_DAYS", "Reader", "snapshot", "statement_of"]

"""`vsla export --format book`: a group written back as a group book, from its journal.

import(export(group)) gives the same ledger: every entry a person made is written with its
id, and what the book makes by itself (service charges, cash adjustments from counts,
share-out payouts) is made again by the rules on import.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

import tomli_w

from ledger import N_, Currency, Event, Record, Transaction, currency, format_minor
from vsla.bookfile.model import FORMAT
from vsla.domain.constitution import Constitution
from vsla.domain.errors import broken
from vsla.store import Journal

if TYPE_CHECKING:
    from vsla.book.service import Book

_DERIVED_KINDS = frozenset(
    {
        "service_charge",
        "cash_adjustment",
        "dropout_payout",
        "shareout_close_income",
        "shareout_payout",
        "shareout_remainder",
        "social_fund_payout",
    }
)


def money(amount_minor: int, cur: Currency) -> int | str:
    """Major units: an integer when whole, else text ("5.50"), never a float."""
    if amount_minor % cur.unit_minor == 0:
        return amount_minor // cur.unit_minor
    return format_minor(amount_minor, cur)


def percent(rate_bp: int) -> int | str:
    return rate_bp // 100 if rate_bp % 100 == 0 else format_minor(rate_bp, currency("USD"))


def group_settings(constitution: Constitution, cur: Currency) -> dict[str, Any]:
    c = constitution
    return {
        "currency": c.currency,
        "share_value": money(c.share_value_minor, cur),
        "shares_min": c.shares_min,
        "shares_max": c.shares_max,
        "social_fund": money(c.social_fund_minor, cur),
        "meeting_interval_days": c.meeting_interval_days,
        "loan_multiple": c.loan_multiple,
        "loan_term_max_months": c.loan_term_max_months,
        "service_charge": c.service_charge.value,
        "service_charge_monthly_percent": percent(c.service_charge_rate_bp),
        "one_loan_at_a_time": c.one_loan_at_a_time,
        "fines_to": c.fines_to.value,
        "payout_rounding": money(c.payout_rounding_minor, cur),
        "remainder_to": c.remainder_to.value,
        "social_fund_at_shareout": c.social_fund_at_shareout.value,
        "debts_at_shareout": c.debts_at_shareout.value,
        "dropout_gets_profit": c.dropout_gets_profit,
        "fines": {name: money(v, cur) for name, v in c.fines_minor.items()},
    }


def _member(event: Event) -> dict[str, Any]:
    d = event.data
    member: dict[str, Any] = {"id": event.member_id, "name": d["name"], "gender": d["gender"]}
    for key in ("phone", "language"):
        if d.get(key):
            member[key] = d[key]
    if d.get("shared_phone"):
        member["shared_phone"] = True
    return member


class _Writer:
    def __init__(self, records: Iterable[Record]) -> None:
        self.records = list(records)
        self.book: dict[str, Any] = {"format": FORMAT}
        self.cur: Currency | None = None
        self.constitution: Constitution | None = None
        self.members: dict[str, dict[str, Any]] = {}
        self.meetings: list[dict[str, Any]] = []  # of the cycle being written
        self.cycle: dict[str, Any] | None = None  # a later cycle being written
        self.pending_leaving: list[str] = []
        self.pending_joining: list[dict[str, Any]] = []
        self.meeting: dict[str, Any] | None = None
        self.cycles_started = 0

    def write(self) -> dict[str, Any]:
        for record in self.records:
            if isinstance(record, Event):
                self._event(record)
            else:
                self._transaction(record)
        self.book["members"] = list(self.members.values())
        self.book["meetings"] = self.book.get("meetings", self.meetings)
        return self.book

    def _event(self, e: Event) -> None:
        d = e.data
        if e.kind == "group_created":
            self.cur = currency(d["currency"])
            self.book["group"] = {
                "id": e.group_id,
                "name": d["name"],
                "language": d["language"],
                "country": d["country"],
            }
        elif e.kind == "member_joined":
            member = _member(e)
            if self.cycles_started == 0:
                self.members[str(e.member_id)] = member
            else:  # joins the next cycle, or mid-cycle at the next meeting
                self.pending_joining.append(member)
        elif e.kind == "member_updated" and str(e.member_id) in self.members:
            member = self.members[str(e.member_id)]
            for key in ("name", "phone", "language"):
                if d.get(key):
                    member[key] = d[key]
        elif e.kind == "member_left" and d.get("reason") == "cycle_end":
            self.pending_leaving.append(str(e.member_id))
        elif e.kind == "member_left" and self.meeting is not None:
            self.meeting["entries"].append({"member": e.member_id, "dropout": True})
        elif e.kind == "roles_assigned" and "group" in self.book:
            self.book["group"]["roles"] = d["roles"]
        elif e.kind == "cycle_started":
            self._cycle_started(e)
        elif e.kind == "constitution_amended":
            raise broken(
                "export.amendment",
                N_(
                    "this group's constitution was amended mid-cycle; amendments cannot be written "
                    "to a group book yet"
                ),
            )
        elif e.kind == "meeting_opened":
            self._meeting_opened(e)
        elif e.kind == "meeting_reopened":
            self.meeting = {"date": e.date, "reopen_reason": d["reason"], "entries": []}
            self.meetings.append(self.meeting)
        elif e.kind == "meeting_closed" and self.meeting is not None:
            if not self.meeting.get("shareout"):
                counted = d["counted"]
                assert self.cur is not None
                self.meeting["closing_cash"] = {
                    "loan_fund": money(counted["loan_fund_minor"], self.cur),
                    "social_fund": money(counted["social_fund_minor"], self.cur),
                }
            if not self.meeting["entries"]:
                del self.meeting["entries"]
            self.meeting = None

    def _cycle_started(self, e: Event) -> None:
        constitution = Constitution.from_json(e.data["constitution"])
        assert self.cur is not None
        if self.cycles_started == 0:
            self.book["group"].update(group_settings(constitution, self.cur))
            self.book["group"]["cycle_start"] = e.date
            self.book["meetings"] = self.meetings
        else:
            assert self.constitution is not None
            before = group_settings(self.constitution, self.cur)
            after = group_settings(constitution, self.cur)
            self.cycle = {
                "start": e.date,
                "changes": {k: v for k, v in after.items() if before[k] != v},
                "leaving": self.pending_leaving,
                "joining": self.pending_joining,
            }
            self.meetings = []
            self.cycle["meetings"] = self.meetings
            self.book.setdefault("cycles", []).append(self.cycle)
            self.pending_leaving, self.pending_joining = [], []
        self.constitution = constitution
        self.cycles_started += 1

    def _meeting_opened(self, e: Event) -> None:
        d = e.data
        meeting: dict[str, Any] = {"date": e.date, "entries": []}
        if d["kind"] == "shareout":
            meeting["shareout"] = True
        for status in ("absent", "excused", "proxy"):
            ids = [m for m, s in d["attendance"].items() if s == status]
            if ids:
                meeting[status] = ids
        counted = d.get("opening_counted")
        if counted is not None:
            assert self.cur is not None
            meeting["opening_cash"] = {
                "loan_fund": money(counted["loan_fund_minor"], self.cur),
                "social_fund": money(counted["social_fund_minor"], self.cur),
            }
        if self.pending_joining and d["kind"] != "shareout":
            meeting["joining"] = self.pending_joining
            self.pending_joining = []
        self.meeting = meeting
        self.meetings.append(meeting)

    def _transaction(self, tx: Transaction) -> None:
        meeting = self.meeting
        if meeting is None:
            return
        if tx.kind == "cash_adjustment":
            key = "opening_reason" if tx.data.get("when") == "opening" else "closing_reason"
            meeting[key] = tx.data.get("reason", "")
            return
        if tx.kind in _DERIVED_KINDS:
            return
        entry = self._entry(tx)
        meeting["entries"].append({"id": tx.id, **entry})

    def _entry(self, tx: Transaction) -> dict[str, Any]:
        assert self.cur is not None and self.constitution is not None
        d = tx.data
        if tx.reverses is not None:
            return {"reverse": tx.reverses, "reason": tx.memo or "correction"}
        member = {"member": tx.member_id}
        debit = sum(p.amount_minor for p in tx.postings if p.amount_minor > 0)
        if tx.kind == "shares":
            return {**member, "shares": d["shares"]}
        if tx.kind == "social_fund_contribution":
            return {**member, "social_fund": money(debit, self.cur)}
        if tx.kind == "grant":
            return {**member, "grant": money(debit, self.cur), "reason": d["reason"]}
        if tx.kind == "repayment":
            return {**member, "repay": money(debit, self.cur)}
        if tx.kind == "fine":
            entry = {**member, "fine": d["fine"], "amount": money(debit, self.cur)}
            return entry if d["paid"] else {**entry, "paid": False}
        if tx.kind == "fine_payment":
            return {**member, "fine_payment": money(debit, self.cur)}
        if tx.kind == "loan":
            return {
                **member,
                "loan": money(d["principal_minor"], self.cur),
                "term_months": d["term_months"],
            }
        if tx.kind == "write_off":
            return {**member, "write_off": True, "reason": d["reason"], "loan_number": d["loan"]}
        raise broken(
            "export.unknown_kind",
            N_("entry {id} of kind {kind} cannot be written to a group book"),
            id=tx.id,
            kind=tx.kind,
        )


def book_document(journal: Journal, group_id: str) -> dict[str, Any]:
    if journal.head_link(group_id) is None:
        raise broken(
            "group.unknown", N_('there is no group "{group}" in this book'), group=group_id
        )
    return _Writer(journal.records(group_id)).write()


def group_book(book: Book, group_id: str) -> dict[str, Any]:
    """The group as a group book (docs/book-format.md), from its journal alone."""
    return book_document(book.journal, group_id)


def to_toml(document: dict[str, Any]) -> str:
    return tomli_w.dumps(_without_none(document))


def to_json(document: dict[str, Any]) -> str:
    return (
        json.dumps(
            _without_none(document),
            ensure_ascii=False,
            indent=2,
            default=lambda v: v.isoformat() if isinstance(v, date) else str(v),
        )
        + "\n"
    )


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value

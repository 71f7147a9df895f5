"""`vsla import`: a group book into the database, all or nothing.

Every rule of a live meeting applies. The first broken rule stops the import with a message
naming the file, the meeting date, the member and the rule, and the database is left exactly
as it was (the whole import is one SQLite transaction).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ledger import (
    N_,
    Currency,
    LedgerError,
    Problem,
    currency,
    is_valid_id,
    parse_amount,
    parse_count,
)
from vsla.book.service import Book, MeetingRefused
from vsla.bookfile.model import (
    BookFile,
    EntrySection,
    FloatLiteral,
    GroupSection,
    MeetingSection,
    MemberSection,
)
from vsla.domain.constitution import Constitution
from vsla.domain.entries import (
    Bowls,
    Dropout,
    Fine,
    FinePayment,
    Grant,
    MeetingEntry,
    MeetingPlan,
    NewLoan,
    Repayment,
    Reversal,
    Shares,
    SocialFund,
    WriteOff,
)
from vsla.domain.people import Member
from vsla.store import write_transaction

IMPORT_REASON = "counted cash as written in the group book"


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Where an import stopped: the file, the meeting, the member, and the broken rule."""

    file: str
    problem: Problem
    meeting_date: str | None = None
    member: str | None = None
    where: str | None = None


class BookImportError(LedgerError):
    def __init__(self, located: ImportProblem) -> None:
        super().__init__(located.problem)
        self.located = located

    def __str__(self) -> str:
        return describe(self.located)


def describe(located: ImportProblem, language: str | None = None) -> str:
    """ "file, meeting of DATE, member M01, field: the rule", in `language`."""
    from vsla.i18n import render_problem, tr

    parts = [located.file]
    if located.meeting_date:
        parts.append(tr(N_("meeting of {date}"), language, date=located.meeting_date))
    if located.member:
        parts.append(tr(N_("member {member}"), language, member=located.member))
    if located.where:
        parts.append(located.where)
    return ", ".join(parts) + ": " + render_problem(located.problem, language)


@dataclass(frozen=True, slots=True)
class ImportResult:
    group_id: str
    members: int
    meetings: int
    cycles: int


def load_book(path: Path) -> BookFile:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise BookImportError(
            ImportProblem(
                name,
                Problem(
                    "import.unreadable", N_("cannot read the file: {error}"), {"error": str(error)}
                ),
            )
        ) from error
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text, parse_float=FloatLiteral)
        else:
            data = tomllib.loads(text, parse_float=FloatLiteral)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise BookImportError(
            ImportProblem(
                name,
                Problem(
                    "import.syntax",
                    N_("the file is not valid {kind}: {error}"),
                    {
                        "kind": "JSON" if path.suffix.lower() == ".json" else "TOML",
                        "error": str(error),
                    },
                ),
            )
        ) from error
    try:
        return BookFile.model_validate(data)
    except ValidationError as error:
        raise BookImportError(_from_validation(name, data, error)) from error


def _from_validation(name: str, data: Any, error: ValidationError) -> ImportProblem:
    first = error.errors()[0]
    loc = [str(part) for part in first["loc"]]
    meeting_date = member = None
    try:
        if loc[:1] == ["meetings"]:
            meeting = data["meetings"][int(loc[1])]
            meeting_date = str(meeting.get("date"))
            if len(loc) > 3 and loc[2] == "entries":
                member = meeting["entries"][int(loc[3])].get("member")
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        pass
    message = str(first.get("msg", "")).removeprefix("Value error, ")
    return ImportProblem(
        name,
        Problem(
            "import.invalid",
            N_("{field}: {detail}"),
            {"field": ".".join(loc) or "book", "detail": message},
        ),
        meeting_date,
        member,
    )


def import_book(book: Book, path: Path) -> ImportResult:
    """Import the book at `path` into `book`, or raise BookImportError with nothing changed."""
    parsed = load_book(path)
    name = str(path)
    with write_transaction(book.db):
        _Importer(book, parsed, name).run()
    return ImportResult(
        parsed.group.id,
        len(parsed.members),
        len(parsed.meetings) + sum(len(c.meetings) for c in parsed.cycles),
        1 + len(parsed.cycles),
    )


class _Importer:
    def __init__(self, book: Book, parsed: BookFile, name: str) -> None:
        self.book, self.parsed, self.name = book, parsed, name
        self.group_id = parsed.group.id
        self.cur: Currency | None = None

    def fail(
        self,
        problem: Problem,
        meeting: str | None = None,
        member: str | None = None,
        where: str | None = None,
    ) -> BookImportError:
        return BookImportError(ImportProblem(self.name, problem, meeting, member, where))

    def run(self) -> None:
        group = self.parsed.group
        try:
            self.cur = currency(group.currency)
            constitution = constitution_of(group, self.cur)
            self.book.create_group(
                group_id=group.id,
                name=group.name,
                constitution=constitution,
                members=[_member(m) for m in self.parsed.members],
                cycle_start=group.cycle_start,
                language=group.language,
                country=group.country,
                roles=group.roles or None,
            )
        except LedgerError as error:
            raise self.fail(error.problem, where="[group]") from error
        self._meetings(self.parsed.meetings)
        for cycle in self.parsed.cycles:
            try:
                self.book.start_cycle(
                    self.group_id,
                    start=cycle.start,
                    changes=_cycle_changes(cycle.changes, self.cur),
                    leaving=cycle.leaving,
                    joining=[_member(m) for m in cycle.joining],
                )
            except LedgerError as error:
                raise self.fail(error.problem, where=f"cycle starting {cycle.start}") from error
            self._meetings(cycle.meetings)

    def _meetings(self, meetings: list[MeetingSection]) -> None:
        for meeting in meetings:
            day = meeting.date.isoformat()
            if meeting.shareout:
                self._shareout(meeting)
                continue
            try:
                for member in meeting.joining:
                    self.book.add_member(
                        self.group_id, _member(member), on=meeting.date, mid_cycle_agreed=True
                    )
                if meeting.reopen_reason is not None:
                    self.book.reopen_last_meeting(self.group_id, reason=meeting.reopen_reason)
            except LedgerError as error:
                raise self.fail(error.problem, day) from error
            try:
                plan = self._plan(meeting)
            except _EntryError as error:
                raise self.fail(error.problem, day, error.member, error.field) from error
            try:
                self.book.record_meeting(self.group_id, plan)
            except MeetingRefused as refused:
                first = refused.problems[0]
                raise self.fail(first.problem, day, first.member, first.where) from refused
            except LedgerError as error:
                raise self.fail(error.problem, day) from error

    def _shareout(self, meeting: MeetingSection) -> None:
        assert self.cur is not None
        day = meeting.date.isoformat()
        counted = None
        try:
            if meeting.opening_cash is not None:
                counted = parse_amount(meeting.opening_cash.loan_fund, self.cur)
            self.book.shareout(
                self.group_id,
                on=meeting.date,
                counted_cash_minor=counted,
                reason=meeting.opening_reason or IMPORT_REASON,
                commit=True,
            )
        except MeetingRefused as refused:
            first = refused.problems[0]
            raise self.fail(first.problem, day, first.member, "shareout") from refused
        except LedgerError as error:
            raise self.fail(error.problem, day, where="shareout") from error

    def _plan(self, meeting: MeetingSection) -> MeetingPlan:
        assert self.cur is not None
        attendance: dict[str, str] = {}
        for status, ids in (
            ("absent", meeting.absent),
            ("excused", meeting.excused),
            ("proxy", meeting.proxy),
        ):
            for member_id in ids:
                attendance[member_id] = status
        entries = tuple(self._entry(e) for e in meeting.entries)
        return MeetingPlan(
            date=meeting.date,
            entries=entries,
            attendance=attendance,
            opening_counted=self._bowls(meeting.opening_cash, "opening_cash"),
            opening_reason=meeting.opening_reason or IMPORT_REASON,
            closing_counted=self._bowls(meeting.closing_cash, "closing_cash"),
            closing_reason=meeting.closing_reason or IMPORT_REASON,
        )

    def _bowls(self, cash: Any, field: str) -> Bowls | None:
        if cash is None:
            return None
        return Bowls(
            self._money(cash.loan_fund, None, field), self._money(cash.social_fund, None, field)
        )

    def _money(self, value: Any, member: str | None, field: str, *, positive: bool = False) -> int:
        assert self.cur is not None
        try:
            return parse_amount(value, self.cur, allow_zero=not positive)
        except LedgerError as error:
            raise _EntryError(error.problem, member, field) from error

    def _entry(self, e: EntrySection) -> MeetingEntry:
        entry = self._entry_without_id(e)
        if e.id is None:
            return entry
        if not is_valid_id(e.id):
            raise _EntryError(
                Problem("entry.bad_id", N_('"{id}" is not a valid entry id'), {"id": e.id[:40]}),
                e.member,
                "id",
            )
        return replace(entry, id=e.id)

    def _entry_without_id(self, e: EntrySection) -> MeetingEntry:
        member = e.member or ""
        action = e.action
        try:
            if action == "shares":
                return Shares(member, parse_count(e.shares))
            if action == "social_fund":
                return SocialFund(member, self._money(e.social_fund, member, action))
            if action == "grant":
                return Grant(member, self._money(e.grant, member, action), e.reason or "")
            if action == "repay":
                return Repayment(member, self._money(e.repay, member, action), e.loan_number)
            if action == "fine":
                amount = None if e.amount is None else self._money(e.amount, member, action)
                return Fine(member, e.fine or "", amount, e.paid)
            if action == "fine_payment":
                return FinePayment(member, self._money(e.fine_payment, member, action))
            if action == "loan":
                return NewLoan(
                    member, self._money(e.loan, member, action), parse_count(e.term_months)
                )
            if action == "write_off":
                return WriteOff(member, e.reason or "", e.loan_number)
            if action == "dropout":
                return Dropout(member)
            return Reversal(e.reverse or "", e.reason or "", e.member)
        except LedgerError as error:
            if isinstance(error, _EntryError):
                raise
            raise _EntryError(error.problem, member, action) from error


class _EntryError(LedgerError):
    def __init__(self, problem: Problem, member: str | None, field: str) -> None:
        super().__init__(problem)
        self.member, self.field = member, field


def _member(section: MemberSection) -> Member:
    return Member(
        member_id=section.id,
        name=section.name,
        gender=section.gender,
        phone=section.phone,
        language=section.language,
        shared_phone=section.shared_phone,
    )


def rate_bp_of(percent: int | str) -> int:
    """A monthly percentage ("10", "2.5") as basis points, exactly."""
    return parse_amount(percent, currency("USD"))  # two decimals: 2.5% -> 250 bp


def constitution_of(group: GroupSection, cur: Currency) -> Constitution:
    def money(value: int | str) -> int:
        return parse_amount(value, cur)

    data: dict[str, Any] = {
        "currency": cur.code,
        "share_value_minor": money(group.share_value),
        "shares_min": group.shares_min,
        "shares_max": group.shares_max,
        "social_fund_minor": money(group.social_fund),
        "meeting_interval_days": group.meeting_interval_days,
        "loan_multiple": group.loan_multiple,
        "loan_term_max_months": group.loan_term_max_months,
        "service_charge": group.service_charge,
        "service_charge_rate_bp": rate_bp_of(group.service_charge_monthly_percent),
        "one_loan_at_a_time": group.one_loan_at_a_time,
        "fines_minor": {name: money(v) for name, v in group.fines.items()},
        "fines_to": group.fines_to,
        "payout_rounding_minor": 1
        if group.payout_rounding is None
        else parse_amount(group.payout_rounding, cur, allow_zero=False),
        "remainder_to": group.remainder_to,
        "social_fund_at_shareout": group.social_fund_at_shareout,
        "debts_at_shareout": group.debts_at_shareout,
        "dropout_gets_profit": group.dropout_gets_profit,
    }
    try:
        return Constitution.from_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise LedgerError.of(
            "constitution.invalid",
            N_("the constitution is not valid: {detail}"),
            detail=f"{'.'.join(str(p) for p in first['loc'])}: "
            f"{str(first['msg']).removeprefix('Value error, ')}",
        ) from error


_MONEY_SETTINGS = {
    "share_value": "share_value_minor",
    "social_fund": "social_fund_minor",
    "payout_rounding": "payout_rounding_minor",
}


def _cycle_changes(changes: dict[str, Any], cur: Currency | None) -> dict[str, Any]:
    """Changes for a new cycle written like [group] settings, as constitution fields."""
    assert cur is not None
    result: dict[str, Any] = {}
    for key, value in changes.items():
        if isinstance(value, float | FloatLiteral):
            raise LedgerError.of(
                "amount.float",
                N_(
                    "{value} is a decimal number; write amounts as whole numbers or text like "
                    '"5.50"'
                ),
                value=str(value),
            )
        if key in _MONEY_SETTINGS:
            result[_MONEY_SETTINGS[key]] = parse_amount(value, cur)
        elif key == "service_charge_monthly_percent":
            result["service_charge_rate_bp"] = rate_bp_of(value)
        elif key == "fines":
            result["fines_minor"] = {n: parse_amount(v, cur) for n, v in value.items()}
        else:
            result[key] = value
    return result

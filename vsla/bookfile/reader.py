"""`vsla import`: a group book into the database, all or nothing.

Every rule of a live meeting applies. The first broken rule stops the import with a message
naming the file, the meeting date, the member and the rule, and the database is left exactly
as it was (the whole import is one SQLite transaction).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

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
from vsla.bookfile.limits import (
    MAX_BYTES,
    BookRefused,
    FloatLiteral,
    bounded_int,
    check_tree,
    prescan_json,
    prescan_toml,
    refused,
    shown,
    unique_keys,
)
from vsla.bookfile.model import (
    BookFile,
    CycleChanges,
    EntrySection,
    GroupSection,
    MeetingFile,
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

M = TypeVar("M", bound=BaseModel)
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
    """The book at `path`, parsed and checked against the model, or BookImportError naming
    the file, the place and the rule. The database is not touched."""
    return _load(path, BookFile)


def load_meeting(path: Path) -> MeetingSection:
    """The one meeting of a meeting file (`vsla meeting record`), checked as `load_book`
    checks a book."""
    return _load(path, MeetingFile).meetings[0]


def _load(path: Path, model: type[M]) -> M:
    name = str(path)
    data: Any = None
    try:
        data = _parse(_read_text(path), path.suffix.lower() == ".json")
        check_tree(data)
    except BookRefused as error:
        raise BookImportError(_refused_at(name, data, error)) from error
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise BookImportError(_from_validation(name, data, error)) from error


def _read_text(path: Path) -> str:
    """The file as text: at most MAX_BYTES (read no further), UTF-8, a leading BOM dropped
    (Windows editors write one)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise refused(
            "import.unreadable", N_("cannot read the file: {error}"), error=str(error)
        ) from error
    if len(raw) > MAX_BYTES:
        raise refused(
            "import.too_large",
            N_("the file is larger than {limit} MB; a group book is far smaller"),
            limit=MAX_BYTES // (1024 * 1024),
        )
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - raw.rfind(b"\n", 0, error.start)
        raise BookRefused(
            Problem(
                "import.not_utf8",
                N_("the file is not UTF-8 text; save it again as UTF-8"),
            ),
            line=line,
            column=column,
        ) from error
    if not text.strip():
        raise refused("import.empty", N_("the file is empty"))
    return text


def _parse(text: str, is_json: bool) -> Any:
    """The text parsed, after the pre-scan that bounds what would break the parser."""
    try:
        if is_json:
            prescan_json(text)
            data = json.loads(
                text,
                parse_float=FloatLiteral,
                parse_constant=FloatLiteral,
                parse_int=bounded_int,
                object_pairs_hook=unique_keys,
            )
        else:
            prescan_toml(text)
            data = tomllib.loads(text, parse_float=FloatLiteral)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise refused(
            "import.syntax",
            N_("the file is not valid {kind}: {error}"),
            kind="JSON" if is_json else "TOML",
            error=shown(error, 200),
        ) from error
    if not isinstance(data, dict):
        raise refused(
            "import.not_a_table",
            N_("the file must hold one JSON object (the book), not a list or a single value"),
        )
    return data


def _refused_at(name: str, data: Any, error: BookRefused) -> ImportProblem:
    if error.line is not None:
        return ImportProblem(name, error.problem, where=f"line {error.line}, column {error.column}")
    meeting_date, member = _locate(data, error.path)
    return ImportProblem(name, error.problem, meeting_date, member, _field(error.path) or None)


def _from_validation(name: str, data: Any, error: ValidationError) -> ImportProblem:
    first = error.errors(include_url=False, include_input=False)[0]
    loc = tuple(first["loc"])
    meeting_date, member = _locate(data, loc)
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, LedgerError):  # a rule of the domain, with its own message
        return ImportProblem(name, cause.problem, meeting_date, member, _field(loc) or "book")
    field = _field(loc) or "book"
    plain = _PLAIN_ERRORS.get(first["type"])
    if plain is not None:
        problem = Problem(f"import.{first['type']}", plain, {"field": field})
    else:
        message = str(first.get("msg", "")).removeprefix("Value error, ")
        problem = Problem(
            "import.invalid", N_("{field}: {detail}"), {"field": field, "detail": message}
        )
    return ImportProblem(name, problem, meeting_date, member)


# Pydantic's own wording names Python classes ("instance of EntrySection") and cannot be
# translated; the common cases in a facilitator's words instead.
_PLAIN_ERRORS = {
    "missing": N_("{field} is missing"),
    "extra_forbidden": N_("{field} is not a field of a group book (a spelling mistake?)"),
    "model_type": N_("{field} must be a table of named values"),
    "model_attributes_type": N_("{field} must be a table of named values"),
    "dict_type": N_("{field} must be a table of named values"),
    "list_type": N_("{field} must be a list"),
    "string_type": N_("{field} must be text in quotes"),
    "int_type": N_("{field} must be a whole number"),
    "bool_type": N_("{field} must be true or false"),
    "date_type": N_("{field} must be a date (YYYY-MM-DD)"),
}


def _field(loc: tuple[str | int, ...]) -> str:
    """A path in the data as `cycles.0.meetings.2.entries.1.repay`, safe to print."""
    return ".".join(shown(part) for part in loc)


def _locate(data: Any, loc: tuple[str | int, ...]) -> tuple[str | None, str | None]:
    """The meeting date and member a path in the data is about, where it names them:
    `meetings.N...`, `cycles.C.meetings.N...`, then `entries.E` or `joining.J`;
    `members.M`, `cycles.C.joining.J`."""
    meeting_date = member = None
    parts = list(loc)
    try:
        node = data
        if parts[:1] == ["cycles"]:
            node, parts = data["cycles"][int(parts[1])], parts[2:]
        if parts[:1] == ["meetings"]:
            node, parts = node["meetings"][int(parts[1])], parts[2:]
            meeting_date = _text(node.get("date"))
        if parts[:1] in (["entries"], ["joining"], ["members"]):
            person = node[parts[0]][int(parts[1])]
            member = _text(person.get("member" if parts[0] == "entries" else "id"))
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        pass
    return meeting_date, member


def _text(value: object) -> str | None:
    return None if value is None or isinstance(value, dict | list) else shown(value)


@contextmanager
def removed_unless_imported(db_path: Path) -> Iterator[Callable[[], None]]:
    """Around an import into `db_path`: when there was no file there, and the import does not
    finish (refused, interrupted), remove the new book and any folder made for it, so a
    refused import leaves nothing behind. Call the function it gives once the import is
    committed; from then on the book is kept whatever happens."""
    if os.path.lexists(db_path) or str(db_path) == ":memory:":
        yield lambda: None
        return
    made = [folder for folder in db_path.parents if not folder.exists()]
    kept = False

    def keep() -> None:
        nonlocal kept
        kept = True

    try:
        yield keep
    finally:
        if not kept:
            _remove_new_book(db_path, made)


def _remove_new_book(db_path: Path, folders: list[Path]) -> None:
    with suppress(OSError):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        for folder in folders:  # the deepest first; only while empty
            folder.rmdir()


def import_book(book: Book, path: Path, parsed: BookFile | None = None) -> ImportResult:
    """Import the book at `path` into `book`, or raise BookImportError with nothing changed.
    `parsed`: the file already read by `load_book` (the command reads it before it opens the
    database, so a file that cannot be read never creates one)."""
    if parsed is None:
        parsed = load_book(path)
    name = str(path)
    with write_transaction(book.db):
        _Importer(book, name, parsed.group.id).run(parsed)
    return ImportResult(
        parsed.group.id,
        len(parsed.members),
        len(parsed.meetings) + sum(len(c.meetings) for c in parsed.cycles),
        1 + len(parsed.cycles),
    )


@dataclass(frozen=True, slots=True)
class RecordedMeeting:
    group_id: str
    number: int
    on: dt.date


def record_meeting_file(
    book: Book, group_id: str, path: Path, meeting: MeetingSection | None = None
) -> RecordedMeeting:
    """The meeting of the file at `path` recorded in the group, all of it (members joining,
    a reopening, the meeting) or nothing, every rule checked; or BookImportError naming the
    file, the place and the rule, with nothing changed."""
    if meeting is None:
        meeting = load_meeting(path)
    recorder = _Importer(book, str(path), group_id)
    try:
        recorder.cur = currency(book.reader.group(group_id).currency)
    except LedgerError as error:
        raise recorder.fail(error.problem) from error
    with write_transaction(book.db):
        recorder.meetings([meeting])
    last = book.reader.meeting(group_id)
    return RecordedMeeting(group_id, last.number, last.on)


class _Importer:
    def __init__(self, book: Book, name: str, group_id: str) -> None:
        self.book, self.name, self.group_id = book, name, group_id
        self.cur: Currency | None = None
        self.entry_ids: set[str] = set()

    def fail(
        self,
        problem: Problem,
        meeting: str | None = None,
        member: str | None = None,
        where: str | None = None,
    ) -> BookImportError:
        shown_member = None if member is None else shown(member)  # it may be 10,000 characters
        return BookImportError(ImportProblem(self.name, problem, meeting, shown_member, where))

    def run(self, parsed: BookFile) -> None:
        group = parsed.group
        try:
            self.cur = currency(group.currency)
            constitution = constitution_of(group, self.cur)
            self.book.create_group(
                group_id=group.id,
                name=group.name,
                constitution=constitution,
                members=[_member(m) for m in parsed.members],
                cycle_start=group.cycle_start,
                language=group.language,
                country=group.country,
                roles=group.roles or None,
            )
        except LedgerError as error:
            raise self.fail(error.problem, where="[group]") from error
        self.meetings(parsed.meetings)
        for cycle in parsed.cycles:
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
            self.meetings(cycle.meetings)

    def meetings(self, meetings: list[MeetingSection]) -> None:
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
                Problem("entry.bad_id", N_('"{id}" is not a valid entry id'), {"id": shown(e.id)}),
                e.member,
                "id",
            )
        if e.id in self.entry_ids:  # else the journal refuses it, without saying where
            raise _EntryError(
                Problem(
                    "entry.duplicate_id",
                    N_("the entry id {id} is used twice in the book"),
                    {"id": e.id},
                ),
                e.member,
                "id",
            )
        self.entry_ids.add(e.id)
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


def _cycle_changes(changes: CycleChanges, cur: Currency | None) -> dict[str, Any]:
    """Changes for a new cycle written like [group] settings, as constitution fields."""
    assert cur is not None
    result: dict[str, Any] = {}
    for key, value in changes.model_dump(exclude_none=True).items():
        if key in _MONEY_SETTINGS:
            result[_MONEY_SETTINGS[key]] = parse_amount(value, cur)
        elif key == "service_charge_monthly_percent":
            result["service_charge_rate_bp"] = rate_bp_of(value)
        elif key == "fines":
            result["fines_minor"] = {n: parse_amount(v, cur) for n, v in value.items()}
        else:
            result[key] = value
    return result

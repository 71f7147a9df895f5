"""Bad input, table-driven: to `vsla import` and to the services.

Each case must end with exit status 2 (or a typed error), a message that says what was wrong
and where, and a database that is byte-for-byte what it was before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger import LedgerError, new_id
from vsla.book.service import Book
from vsla.cli import app
from vsla.domain.entries import MeetingEntry, MeetingPlan, NewLoan, Repayment, Shares
from vsla.domain.people import Member

GROUP = """format = "vsla-book/1"

[group]
id = "{group_id}"
name = "Tumaini Group"
currency = "{currency}"
share_value = {share_value}
shares_min = {shares_min}
social_fund = 500
loan_term_max_months = 3
service_charge = "{service_charge}"
debts_at_shareout = "{debts}"
cycle_start = 2026-01-05
fines = {{ late = 500, absent = 1000 }}
{group_extra}
"""
MEMBERS = """
[[members]]
id = "M01"
name = "{first_name}"
gender = "{gender}"
phone = "+256772000001"

[[members]]
id = "M02"
name = "Bahati Kalume"
gender = "F"
phone = "{second_phone}"

[[members]]
id = "{third_id}"
name = "Chance Mwamba"
gender = "M"

[[members]]
id = "M04"
name = "Dorcas Ilunga"
gender = "F"
"""
MEETINGS = """
[[meetings]]
date = 2026-01-05
entries = [
  {{ member = "M01", shares = 5 }},
  {{ member = "M02", shares = 5 }},
  {{ member = "M03", shares = 2 }},
  {{ member = "M01", social_fund = 500 }},
]

[[meetings]]
date = 2026-01-12
entries = [
  {{ member = "M01", shares = 5 }},
  {{ member = "M02", shares = 5 }},
  {{ member = "M01", loan = 20000, term_months = 2 }},
]
{third_meeting}
"""
DEFAULTS = {
    "group_id": "tumaini",
    "currency": "UGX",
    "share_value": "1000",
    "shares_min": "1",
    "service_charge": "declining",
    "debts": "deduct",
    "group_extra": "",
    "first_name": "Aida Nsimba",
    "gender": "F",
    "second_phone": "+256772000002",
    "third_id": "M03",
    "third_meeting": "",
}


def book_text(**changes: str) -> str:
    values = {**DEFAULTS, **changes}
    return (GROUP + MEMBERS + MEETINGS).format(**values)


def third_meeting(entries: str, day: str = "2026-01-19", extra: str = "") -> str:
    return f"\n[[meetings]]\ndate = {day}\n{extra}\nentries = [\n  {entries},\n]\n"


ENTRY_ID = new_id(now_ms=1_767_225_600_000)
SHAREOUT = "\n[[meetings]]\ndate = 2026-01-19\nshareout = true\n"


def next_cycle(lines: str) -> str:
    return f"\n[[cycles]]\nstart = 2026-01-26\n{lines}\n"


def json_book(**raw: str) -> str:
    """A JSON book whose group fields are written as the raw JSON given (name, share_value,
    or the whole group)."""
    fields = {"id": '"j"', "name": '"J"', "currency": '"UGX"', "share_value": "1000"}
    fields |= {k: v for k, v in raw.items() if k != "group"}
    group = raw.get("group") or (
        "{" + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + ', "cycle_start": "2026-01-05"}'
    )
    return f'{{"format": "vsla-book/1", "group": {group}}}'


@dataclass(frozen=True)
class ImportCase:
    name: str
    text: str
    says: tuple[str, ...]  # fragments of the message: what and where
    file_name: str = "bad.toml"


IMPORT_CASES = [
    ImportCase(
        "share value as a float",
        book_text(share_value="5.5"),
        ("group.share_value", "decimal number"),
    ),
    ImportCase(
        "repayment as a float",
        book_text(third_meeting=third_meeting('{ member = "M01", repay = 1000.0 }')),
        ("meeting of 2026-01-19", "M01", "decimal"),
    ),
    ImportCase(
        "negative loan",
        book_text(
            third_meeting=third_meeting('{ member = "M02", loan = "-5000", term_months = 1 }')
        ),
        ("2026-01-19", "M02", "negative"),
    ),
    ImportCase(
        "zero repayment",
        book_text(third_meeting=third_meeting('{ member = "M01", repay = 0 }')),
        ("2026-01-19", "M01", "more than zero"),
    ),
    ImportCase(
        "too many decimals for GHS",
        book_text(currency="GHS", share_value='"5.555"'),
        ("decimals", "GHS"),
    ),
    ImportCase("decimals in shillings", book_text(share_value='"1.000"'), ("UGX has no decimals",)),
    ImportCase(
        "shares above the maximum",
        book_text(third_meeting=third_meeting('{ member = "M02", shares = 6 }')),
        ("2026-01-19", "M02", "maximum is 5"),
    ),
    ImportCase(
        "shares below the minimum",
        book_text(shares_min="2", third_meeting=third_meeting('{ member = "M02", shares = 1 }')),
        ("2026-01-19", "M02", "minimum is 2"),
    ),
    ImportCase(
        "unknown member",
        book_text(third_meeting=third_meeting('{ member = "M99", shares = 1 }')),
        ("2026-01-19", "M99", "not a member"),
    ),
    ImportCase(
        "loan over the multiple",
        book_text(third_meeting=third_meeting('{ member = "M03", loan = 6001, term_months = 1 }')),
        ("2026-01-19", "M03", "at most UGX 6,000"),
    ),
    ImportCase(
        "loan over the cash in the box",
        book_text(third_meeting=third_meeting('{ member = "M02", loan = 3000, term_months = 1 }')),
        ("2026-01-19", "M02", "cash in the loan fund"),
    ),
    ImportCase(
        "second loan while one is owed",
        book_text(third_meeting=third_meeting('{ member = "M01", loan = 1000, term_months = 1 }')),
        ("2026-01-19", "M01", "one loan at a time"),
    ),
    ImportCase(
        "term over the maximum",
        book_text(
            third_meeting=third_meeting(
                '{ member = "M02", shares = 5 },\n'
                '  { member = "M02", loan = 1000, term_months = 4 }'
            )
        ),
        ("2026-01-19", "M02", "outside 1 to 3"),
    ),
    ImportCase(
        "repayment larger than owed",
        book_text(third_meeting=third_meeting('{ member = "M01", repay = 30000 }')),
        ("2026-01-19", "M01", "owes only UGX 20,000"),
    ),
    ImportCase(
        "grant larger than the social fund",
        book_text(
            third_meeting=third_meeting('{ member = "M04", grant = 501, reason = "funeral" }')
        ),
        ("2026-01-19", "M04", "social fund holds (UGX 500)"),
    ),
    ImportCase(
        "meeting dated before the previous one",
        book_text(third_meeting=third_meeting('{ member = "M01", shares = 1 }', day="2026-01-10")),
        ("2026-01-10", "not after the previous meeting"),
    ),
    ImportCase(
        "duplicate member numbers", book_text(third_id="M02"), ("member number M02 is used twice",)
    ),
    ImportCase(
        "the same phone written another way",
        book_text(second_phone="0772 000 001"),
        ("M02", "+256772000001", "already belongs"),
    ),
    ImportCase(
        "malformed phone number", book_text(second_phone="+12"), ('"+12"', "not a phone number")
    ),
    ImportCase("letters in a phone number", book_text(second_phone="07abc00002"), ("07abc00002",)),
    ImportCase("unknown currency", book_text(currency="XYZ"), ("XYZ", "ISO 4217")),
    ImportCase(
        "shares_min above shares_max",
        book_text(shares_min="6"),
        ("shares_min (6) is more than shares_max (5)",),
    ),
    ImportCase(
        "a misspelt setting",
        book_text(group_extra="share_valu = 5"),
        ("group.share_valu", "not a field"),
    ),
    ImportCase(
        "an entry with two actions",
        book_text(third_meeting=third_meeting('{ member = "M01", shares = 1, repay = 1000 }')),
        ("2026-01-19", "M01", "exactly one"),
    ),
    ImportCase(
        "a fine the group does not have",
        book_text(third_meeting=third_meeting('{ member = "M01", fine = "gossip" }')),
        ("2026-01-19", "M01", "gossip"),
    ),
    ImportCase(
        "an absent member buying shares",
        book_text(
            third_meeting=third_meeting('{ member = "M04", shares = 1 }', extra='absent = ["M04"]')
        ),
        ("2026-01-19", "M04", "marked absent"),
    ),
    ImportCase(
        "share-out with a loan owed when forbidden",
        book_text(
            debts="forbid", third_meeting="\n[[meetings]]\ndate = 2026-01-19\nshareout = true\n"
        ),
        ("2026-01-19", "M01", "paid before share-out"),
    ),
    ImportCase(
        "escape sequence in a name",
        book_text(first_name="Aida\\u001b[2J"),
        ("name", "control character"),
    ),
    ImportCase(
        "zero-width character in a name", book_text(first_name="Ai\\u200bda"), ("name", "U+200B")
    ),
    ImportCase(
        "Arabic-Indic digits in an amount",
        book_text(third_meeting=third_meeting('{ member = "M01", repay = "١٠٠٠" }')),
        ("2026-01-19", "M01", "digits 0-9"),
    ),
    ImportCase(
        "an impossible date",
        book_text(
            third_meeting=third_meeting('{ member = "M01", shares = 1 }', day='"2026-02-30"')
        ),
        ("meetings.2.date",),
    ),
    ImportCase(
        "a negative closing count",
        book_text(
            third_meeting=third_meeting(
                '{ member = "M01", shares = 1 }', extra='closing_cash = { loan_fund = "-5" }'
            )
        ),
        ("2026-01-19", "negative"),
    ),
    ImportCase(
        "unknown service charge method", book_text(service_charge="weekly"), ("service_charge",)
    ),
    ImportCase(
        "another format", book_text().replace("vsla-book/1", "vsla-book/2"), ("vsla-book/1",)
    ),
    ImportCase("not TOML at all", "format = \n[[group", ("not valid TOML",)),
    ImportCase(
        "a group id with spaces", book_text(group_id="Tumaini Group"), ("group id", "Tumaini Group")
    ),
    ImportCase("an unknown gender", book_text(gender="X"), ("gender", '"X"')),
    ImportCase(
        "a loan without its term",
        book_text(third_meeting=third_meeting('{ member = "M02", loan = 1000 }')),
        ("M02", "term_months"),
    ),
    ImportCase(
        "JSON with a float",
        '{"format": "vsla-book/1", "group": {"id": "j", '
        '"name": "J", "currency": "UGX", "share_value": 1000.5, '
        '"cycle_start": "2026-01-05"}}',
        ("share_value", "decimal"),
        "bad.json",
    ),
    ImportCase(
        "a group that is already in the book",
        book_text(group_id="base"),
        ('already a group "base"',),
    ),
    # What once ended in a traceback (RecursionError, ValueError, AttributeError,
    # OverflowError) or was let through (floats as text), and its neighbours.
    ImportCase(
        "brackets nested 5,000 deep in TOML",
        book_text(group_extra="extra = " + "[" * 5000 + "]" * 5000),
        ("line 15, column 25", "nested more than 16 levels"),
    ),
    ImportCase(
        "a dotted key of 100 parts in TOML",  # tomllib's memory grows with its square
        book_text(group_extra="a" + ".a" * 100 + " = 1"),
        ("line 15, column 32", "more than 16 parts"),
    ),
    ImportCase(
        "tables nested too deep by a dotted key",  # 16 parts, under [group]
        book_text(group_extra="a" + ".a" * 15 + " = 1"),
        ("group.a.a.a", "nested more than 16 levels"),
    ),
    ImportCase(
        "brackets nested 100,000 deep in JSON",
        json_book(group="[" * 100_000 + "]" * 100_000),
        ("line 1", "nested more than 16 levels"),
        "bad.json",
    ),
    ImportCase(
        "a 5,000-digit integer in JSON",
        json_book(share_value="1" * 5000),
        ("line 1", "longer than 40 characters"),
        "bad.json",
    ),
    ImportCase(
        "a 5,000-digit integer in TOML",
        book_text(share_value="9" * 5000),
        ("line 7", "longer than 40 characters"),
    ),
    ImportCase(
        "a 21-digit integer",
        book_text(share_value="1" + "0" * 20),
        ("group.share_value", "at most 18 digits"),
    ),
    ImportCase(
        "cycle changes with fines = 5",
        book_text(third_meeting=SHAREOUT + next_cycle("changes = { fines = 5 }")),
        ("cycles.0.changes.fines", "table"),
    ),
    ImportCase(
        "cycle changes with a decimal fine",
        book_text(third_meeting=SHAREOUT + next_cycle("changes = { fines = { late = 2.5 } }")),
        ("cycles.0.changes.fines.late", "2.5", "decimal number"),
    ),
    ImportCase(
        "cycle changes with a setting that does not exist",
        book_text(third_meeting=SHAREOUT + next_cycle("changes = { interest = 5 }")),
        ("cycles.0.changes.interest", "not a field"),
    ),
    ImportCase(
        "a wrong type in a later cycle's meeting",
        book_text(
            third_meeting=SHAREOUT
            + next_cycle(
                "[[cycles.meetings]]\ndate = 2026-01-26\n"
                'entries = [{ member = "M01", shares = true }]'
            )
        ),
        ("meeting of 2026-01-26", "member M01", "cycles.0.meetings.0.entries.0.shares"),
    ),
    ImportCase(
        "a loan at a meeting in 9999",
        book_text(
            third_meeting=third_meeting(
                '{ member = "M02", loan = 1000, term_months = 1 }', day="9999-12-01"
            )
        ),
        ("meeting of 9999-12-01", "outside 1990-01-01 to 2099-12-31"),
    ),
    ImportCase(
        "a cycle start before 1990",
        book_text().replace("cycle_start = 2026-01-05", "cycle_start = 1989-12-31"),
        ("group.cycle_start", "outside 1990-01-01"),
    ),
    ImportCase(
        "a decimal number as a name",
        book_text().replace('name = "Aida Nsimba"', "name = 0.5"),
        ("member M01", "members.0.name", "0.5", "decimal number"),
    ),
    ImportCase(
        "NaN as an amount in JSON",
        json_book(share_value="NaN"),
        ("group.share_value", "decimal number"),
        "bad.json",
    ),
    ImportCase(
        "a lone surrogate in JSON",
        json_book(name='"J\\ud800"'),
        ("group.name", "U+D800", "lone surrogate"),
        "bad.json",
    ),
    ImportCase(
        "a NUL character in JSON",
        json_book(name='"J\\u0000"'),
        ("group.name", "U+0000", "control character"),
        "bad.json",
    ),
    ImportCase(
        "bytes that are not UTF-8",
        book_text(first_name="Aida \udcff"),  # written as the byte FF
        ("line 19, column 14", "not UTF-8"),
    ),
    ImportCase("an empty file", "", ("the file is empty",)),
    ImportCase("a JSON list instead of a book", "[1, 2]", ("one JSON object",), "bad.json"),
    ImportCase("a JSON number instead of a book", "42", ("one JSON object",), "bad.json"),
    ImportCase(
        "a key written twice in JSON",
        json_book(name='"J", "name": "K"'),
        ('"name"', "written twice"),
        "bad.json",
    ),
    ImportCase(
        "a date and time for the cycle start",
        book_text().replace("cycle_start = 2026-01-05", "cycle_start = 2026-01-05T08:00:00"),
        ("group.cycle_start", "date and time"),
    ),
    ImportCase(
        "true as a number",
        book_text(shares_min="true"),
        ("group.shares_min", "true/false"),
    ),
    ImportCase(
        "a list as an amount",
        book_text(third_meeting=third_meeting('{ member = "M01", repay = [1000] }')),
        ("meeting of 2026-01-19", "M01", "repay", "expected an amount"),
    ),
    ImportCase(
        "a name of 20,000 characters",
        book_text(first_name="A" * 20_000),
        ("members.0.name", "at most 10000"),
    ),
    ImportCase(
        "one entry id on two entries",
        book_text(
            third_meeting=third_meeting(
                f'{{ member = "M01", shares = 1, id = "{ENTRY_ID}" }},\n'
                f'  {{ member = "M02", shares = 1, id = "{ENTRY_ID}" }}'
            )
        ),
        ("2026-01-19", "M02", "id", ENTRY_ID, "used twice"),
    ),
    ImportCase(
        "a file larger than 16 MB",
        book_text() + "# " + "x" * (16 * 1024 * 1024),
        ("larger than 16 MB",),
    ),
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def base_db(tmp_path: Path) -> Path:
    """A book with group "base" in it (the same text as the cases, so they are valid but
    for the one thing each case breaks)."""
    path = tmp_path / "book.sqlite"
    source = tmp_path / "base.toml"
    source.write_text(book_text(group_id="base"))
    result = CliRunner().invoke(app, ["import", str(source), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_there_are_at_least_thirty_cases() -> None:
    assert len(IMPORT_CASES) + len(SERVICE_CASES) >= 30
    assert len({c.name for c in IMPORT_CASES}) == len(IMPORT_CASES)


@pytest.mark.parametrize("case", IMPORT_CASES, ids=lambda c: c.name)
def test_bad_books_change_nothing_and_say_what_and_where(
    case: ImportCase, base_db: Path, tmp_path: Path
) -> None:
    source = tmp_path / case.file_name
    source.write_text(case.text, encoding="utf-8", errors="surrogateescape")
    before = digest(base_db)
    result = CliRunner().invoke(app, ["import", str(source), "--db", str(base_db)])
    assert result.exit_code == 2, result.output
    message = result.stderr
    assert str(source) in message or "not valid" in message
    for fragment in case.says:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert "Traceback" not in result.output
    assert digest(base_db) == before


def test_a_missing_file_is_bad_input(base_db: Path, tmp_path: Path) -> None:
    before = digest(base_db)
    result = CliRunner().invoke(
        app, ["import", str(tmp_path / "nowhere.toml"), "--db", str(base_db)]
    )
    assert result.exit_code == 2
    assert "nowhere.toml" in result.stderr
    assert digest(base_db) == before


def test_a_folder_is_bad_input(
    base_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "book.toml").mkdir()
    monkeypatch.chdir(tmp_path)  # a short name, which the usage box does not cut
    before = digest(base_db)
    result = CliRunner().invoke(app, ["import", "book.toml", "--db", str(base_db)])
    assert result.exit_code == 2
    assert "book.toml" in result.stderr
    assert "Traceback" not in result.output
    assert digest(base_db) == before


@pytest.mark.parametrize(
    "text",
    [book_text(group_extra="share_valu = 5"), book_text(second_phone="+12")],
    ids=["refused by the model", "refused by the rules"],
)
def test_a_refused_import_leaves_no_new_book_behind(text: str, tmp_path: Path) -> None:
    source = tmp_path / "bad.toml"
    source.write_text(text, encoding="utf-8")
    db = tmp_path / "new" / "book.sqlite"
    result = CliRunner().invoke(app, ["import", str(source), "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert list(tmp_path.iterdir()) == [source]


def test_a_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    """Windows editors start UTF-8 files with one."""
    source = tmp_path / "bom.toml"
    source.write_bytes(b"\xef\xbb\xbf" + book_text().encode())
    db = tmp_path / "book.sqlite"
    result = CliRunner().invoke(app, ["import", str(source), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(app, ["check", "--db", str(db)]).exit_code == 0


@dataclass(frozen=True)
class ServiceCase:
    name: str
    act: Callable[[Book], object]
    code: str
    says: tuple[str, ...] = field(default=())


def _meeting(*entries: MeetingEntry) -> Callable[[Book], object]:
    return lambda book: book.record_meeting(
        "base", MeetingPlan(date=date(2026, 1, 19), entries=entries)
    )


SERVICE_CASES = [
    ServiceCase(
        "the share value amended mid-cycle",
        lambda b: b.amend_constitution(
            "base", {"share_value_minor": 2000}, reason="assembly", on=date(2026, 1, 19)
        ),
        "constitution.share_value_fixed",
        ("next cycle",),
    ),
    ServiceCase(
        "an amendment without its reason",
        lambda b: b.amend_constitution(
            "base", {"loan_multiple": 5}, reason=" ", on=date(2026, 1, 19)
        ),
        "constitution.reason_missing",
    ),
    ServiceCase(
        "a setting that does not exist",
        lambda b: b.amend_constitution(
            "base", {"interest": 5}, reason="vote", on=date(2026, 1, 19)
        ),
        "constitution.unknown_setting",
        ("interest",),
    ),
    ServiceCase(
        "reopening without a reason",
        lambda b: b.reopen_last_meeting("base", reason=""),
        "meeting.reopen_reason",
    ),
    ServiceCase(
        "shares as a float",
        _meeting(Shares("M02", 2.5)),  # type: ignore[arg-type]
        "shares.not_count",
    ),
    ServiceCase(
        "an amount as a float",
        _meeting(Repayment("M01", 1000.0)),  # type: ignore[arg-type]
        "amount.type",
        ("repayment",),
    ),
    ServiceCase(
        "a loan to an unknown member", _meeting(NewLoan("M77", 100, 1)), "member.unknown", ("M77",)
    ),
    ServiceCase(
        "a new member with a phone already used",
        lambda b: b.add_member(
            "base",
            Member("M05", "Esperance Kabila", "F", phone="256772000002"),
            on=date(2026, 1, 19),
            mid_cycle_agreed=True,
        ),
        "member.duplicate_phone",
        ("M05", "+256772000002"),
    ),
    ServiceCase(
        "a member joining mid-cycle without the group's agreement",
        lambda b: b.add_member(
            "base", Member("M05", "Esperance Kabila", "F"), on=date(2026, 1, 19)
        ),
        "member.mid_cycle",
    ),
    ServiceCase(
        "a new cycle before the share-out",
        lambda b: b.start_cycle("base", start=date(2026, 2, 1)),
        "cycle.still_open",
    ),
    ServiceCase(
        "a statement for an unknown group",
        lambda b: b.state("nowhere"),
        "group.unknown",
        ("nowhere",),
    ),
    ServiceCase(
        "the same member id twice in a new group",
        lambda b: b.create_group(
            group_id="twice",
            name="Twice",
            constitution=b.state("base").constitution,
            members=[Member("M01", "A B", "F"), Member("M01", "C D", "F")],
            cycle_start=date(2026, 1, 5),
        ),
        "member.duplicate_id",
        ("M01",),
    ),
]


@pytest.mark.parametrize("case", SERVICE_CASES, ids=lambda c: c.name)
def test_bad_service_calls_raise_typed_errors_and_change_nothing(
    case: ServiceCase, base_db: Path
) -> None:
    before = digest(base_db)
    book = Book.open(base_db)
    try:
        with pytest.raises(LedgerError) as caught:
            case.act(book)
    finally:
        book.close()
    assert caught.value.problem.code == case.code
    message = caught.value.problem.render()
    for fragment in case.says:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert digest(base_db) == before

"""Mutated group books for `vsla import`, shared by tests/cli/test_import_fuzz.py (bounded, in
the suite) and bench/fuzz_import.py (thousands of cases, on demand).

A case starts from a valid book (a worked example, or one made here from a seed) and breaks
it: in its data (keys dropped, types changed, deep nesting, huge numbers, dates out of range,
duplicates, unknown keys, odd Unicode), in its bytes (flips, inserts, deletions, truncation,
duplicated slices), or both. Every choice comes from one `random.Random`, so a seed replays a
case exactly, and Hypothesis (`st.randoms()`) can drive and shrink the same code.

`run_case` imports a case with the real command line, in-process, and says whether it ended
as the contract says: exit 0 and `vsla check` clean, or exit 2 with a message naming the
file and the database exactly as it was (or still absent).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import random
import shutil
import sqlite3
import tomllib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from typer.testing import CliRunner

from ledger import new_id
from vsla.cli import app

EXAMPLES = Path(__file__).resolve().parent / "examples"
Book = dict[str, Any]
Rng = random.Random

# -- valid books to start from -------------------------------------------------------------

CURRENCIES = (("UGX", 1000, "+2567720"), ("CDF", 1000, "+2439700"), ("GHS", 5, None))
NAMES = (
    "Aida Nsimba",
    "Bahati Kalume",
    "Chance Mwamba",
    "Dorcas Ilunga",
    "Esperance Kabila",
    "Furaha Ngoy",
    "Grace Mutombo",
    "Hélène Banza",
)


def example_books() -> list[Book]:
    return [tomllib.loads(path.read_text("utf-8")) for path in sorted(EXAMPLES.glob("*.toml"))]


def generated_book(rng: Rng, group_id: str | None = None) -> Book:
    """A valid book: a few weekly meetings with shares, loans, repayments and fines; half of
    them shared out and followed by a second cycle that changes some settings."""
    code, share_value, phone_prefix = rng.choice(CURRENCIES)
    shareout = rng.random() < 0.5
    group: dict[str, Any] = {
        "id": group_id or f"g{rng.randrange(10**6)}",
        "name": "Tumaini Group",
        "currency": code,
        "share_value": share_value,
        "shares_min": 1,
        "shares_max": 5,
        "social_fund": rng.choice((0, share_value // 5 or 1)),
        "loan_term_max_months": 3,
        # a shared-out group must owe nothing, which is easy to know without charges
        "service_charge": "none" if shareout else rng.choice(("declining", "upfront", "none")),
        "service_charge_monthly_percent": rng.choice((10, "2.5")),
        "cycle_start": dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(0, 400)),
        "fines": {"late": share_value, "absent": 2 * share_value},
    }
    members = [
        {"id": f"M{n:02d}", "name": NAMES[n - 1], "gender": "M" if n % 3 == 0 else "F"}
        | ({"phone": f"{phone_prefix}{n:05d}"} if phone_prefix and rng.random() < 0.5 else {})
        for n in range(1, rng.randint(3, 8) + 1)
    ]
    book: Book = {"format": "vsla-book/1", "group": group, "members": members}
    book["meetings"] = _Cycle(rng, group, [m["id"] for m in members]).meetings(
        group["cycle_start"], rng.randint(2, 8), shareout
    )
    if shareout:
        last = book["meetings"][-1]["date"]
        book["cycles"] = [_second_cycle(rng, group, [m["id"] for m in members], last)]
    return book


class _Cycle:
    """Meetings that keep every rule: what each member saved and owes, and the loan fund."""

    def __init__(self, rng: Rng, group: dict[str, Any], ids: list[str]) -> None:
        self.rng, self.group, self.ids = rng, group, ids
        self.saved = dict.fromkeys(ids, 0)
        self.owed = dict.fromkeys(ids, 0)
        self.cash = 0

    def meetings(self, start: dt.date, count: int, shareout: bool) -> list[dict[str, Any]]:
        days = [start + dt.timedelta(weeks=n) for n in range(count)]
        found = [self._meeting(day, last=shareout and n == count - 1) for n, day in enumerate(days)]
        if shareout:
            found.append({"date": days[-1] + dt.timedelta(weeks=1), "shareout": True})
        return found

    def _meeting(self, day: dt.date, *, last: bool) -> dict[str, Any]:
        rng, unit = self.rng, self.group["share_value"]
        absent = [] if last or rng.random() < 0.7 else [rng.choice(self.ids)]
        entries: list[dict[str, Any]] = []
        for member in self.ids:
            if member in absent:
                continue
            shares = rng.randint(1, self.group.get("shares_max", 5))
            entries.append({"member": member, "shares": shares})
            if self.group["social_fund"]:
                entries.append({"member": member, "social_fund": self.group["social_fund"]})
            self.saved[member] += shares * unit
            self.cash += shares * unit
            if self.owed[member] and (last or rng.random() < 0.5):
                repay = self.owed[member] if last else rng.randint(1, self.owed[member])
                entries.append({"member": member, "repay": repay})
                self.owed[member] -= repay
                self.cash += repay
        present = [m for m in self.ids if m not in absent and not self.owed[m]]
        if present and not last and rng.random() < 0.5:
            borrower = rng.choice(present)
            limit = min(self.group.get("loan_multiple", 3) * self.saved[borrower], self.cash)
            if limit > 0:
                loan = rng.randint(1, limit)
                entries.append({"member": borrower, "loan": loan, "term_months": rng.randint(1, 3)})
                self.owed[borrower] += loan
                self.cash -= loan
        if present and rng.random() < 0.3:
            entries.append({"member": rng.choice(present), "fine": "late"})
        rng.shuffle(entries)  # the rules apply them in the methodology's order anyway
        return {"date": day, "entries": entries} | ({"absent": absent} if absent else {})


def _second_cycle(rng: Rng, group: dict[str, Any], ids: list[str], after: dt.date) -> Book:
    start = after + dt.timedelta(weeks=1)
    possible = {
        "share_value": group["share_value"] * 2,
        "shares_max": 4,
        "fines": {"late": group["share_value"] * 2},
        "service_charge": "none",
        "loan_multiple": 2,
        "currency": group["currency"],
    }
    changes = {k: v for k, v in possible.items() if rng.random() < 0.4}
    changed = group | changes
    meetings = _Cycle(rng, changed | {"service_charge": "none"}, ids).meetings(
        start, rng.randint(1, 3), shareout=False
    )
    return {"start": start, "changes": changes, "meetings": meetings}


# -- writing a book out ------------------------------------------------------------------

RAW = "@@raw{}@@"  # a string the writer replaces by text no serialiser would write


@dataclass(frozen=True)
class Case:
    label: str  # what was done, to read in a failure report
    suffix: str  # ".toml" or ".json"
    content: bytes


def to_bytes(
    book: Book, suffix: str, raws: list[str], *, ascii_json: bool = False
) -> tuple[str, bytes]:
    """The book as TOML or JSON; JSON when TOML cannot hold it (a null, mixed arrays).

    A lone surrogate is written as its escape in ASCII JSON (`"\\ud800"`, which JSON allows)
    and otherwise as the bytes that would encode it: invalid UTF-8, as a broken editor writes.
    """
    text = ""
    if suffix == ".toml":
        try:
            text = tomli_w.dumps(book)
        except (TypeError, ValueError, RecursionError):  # tomli_w recurses more than json
            suffix = ".json"
    if suffix == ".json":
        text = json.dumps(book, default=_json_default, ensure_ascii=ascii_json, indent=1)
    for index, raw in enumerate(raws):
        text = text.replace(f'"{RAW.format(index)}"', raw)
    return suffix, text.encode("utf-8", "surrogatepass")


def _json_default(value: object) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    raise TypeError(type(value).__name__)


# -- mutations of the data ---------------------------------------------------------------

Slot = tuple[Any, Any]  # a container and a key (or index) in it


def _slots(book: Any) -> list[Slot]:
    found: list[Slot] = []
    stack = [book]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            found.append((node, key))
            if isinstance(value, dict | list):
                stack.append(value)
    return found


def _pick(rng: Rng, book: Book, want: Callable[[Any, Any], bool] | None = None) -> Slot | None:
    slots = [s for s in _slots(book) if want is None or want(s[0], s[1])]
    return rng.choice(slots) if slots else None


WEIRD_TEXT = (
    "\ud800",
    "\udfff",
    "\u200b",
    "\u200f",
    "\u202e",
    "\x00",
    "\x1b[2J",
    "\x7f",
    "\x85",
    "👩🏾‍🌾",
    "e\u0301",
    "\ufeff",
    "١٢٣",
    "１２３",
    "\u00a0",
    "\n",
    "\t",
    "𝟘",
    "İ",
    "ß",
)


def _new_value(rng: Rng, old: Any, raws: list[str]) -> Any:
    """Something of another type, or a bad value of the same type."""
    choices: list[Callable[[], Any]] = [
        lambda: 2.5,
        lambda: float(old) if isinstance(old, int) else 0.5,
        lambda: str(old),
        lambda: rng.choice((True, False)),
        lambda: [old],
        lambda: {"value": old},
        lambda: None,
        lambda: rng.choice((0, -1, -(10**6), 10**17, 10**18, 2**63, 10**30)),
        lambda: rng.choice(("", " ", "0", "-5", "1e3", "NaN", "5,000", "5.555", "1_000")),
        lambda: dt.datetime(2026, 1, 5, 10, 30),
        lambda: dt.time(10, 30),
        lambda: _date_out_of_range(rng),
        lambda: "x" * rng.choice((10_001, 50_000)),
        lambda: _raw(raws, rng.choice(_RAW_VALUES)),
        lambda: rng.choice(WEIRD_TEXT),
    ]
    return rng.choice(choices)()


_RAW_VALUES = (
    "1" * 5000,
    "-" + "9" * 4301,
    "0x" + "f" * 5000,
    "1e400",
    "-1e400",
    "nan",
    "inf",
    "NaN",
    "Infinity",
    "-Infinity",
    "1" * 41,
    "1" * 19,
    "[" * 5000 + "]" * 5000,
    "{" * 2000 + "}" * 2000,
    '{"a":' * 3000 + "1" + "}" * 3000,
    "[" * 17 + "]" * 17,
    "[" * 16 + "]" * 16,
    "9999-12-01",
    "0001-01-01",
    "2026-01-05T10:00:00",
    "10:00:00",
    "true",
    "null",
    '"\\ud800"',
    '"\\u0000"',
    '"\\udfff\\ud800"',
)


def _raw(raws: list[str], text: str) -> str:
    raws.append(text)
    return RAW.format(len(raws) - 1)


def _date_out_of_range(rng: Rng) -> Any:
    day = rng.choice(
        (
            dt.date(9999, 12, 1),
            dt.date(9999, 12, 31),
            dt.date(1, 1, 1),
            dt.date(1989, 12, 31),
            dt.date(2100, 1, 1),
            dt.date(2099, 12, 31),
            dt.date(1990, 1, 1),
        )
    )
    return day if rng.random() < 0.7 else day.isoformat()


def m_drop_key(rng: Rng, book: Book, raws: list[str]) -> str:
    slot = _pick(rng, book, lambda node, _key: isinstance(node, dict))
    if slot is None:
        return "drop nothing"
    del slot[0][slot[1]]
    return f"drop {slot[1]}"


def m_change_type(rng: Rng, book: Book, raws: list[str]) -> str:
    slot = _pick(rng, book)
    if slot is None:
        return "change nothing"
    node, key = slot
    node[key] = _new_value(rng, node[key], raws)
    return f"change {key} to {node[key]!r:.40}"


def m_nest(rng: Rng, book: Book, raws: list[str]) -> str:
    slot = _pick(rng, book)
    if slot is None:
        return "nest nothing"
    node, key = slot
    depth = rng.choice((5, 15, 17, 40, 120))
    value = node[key]
    for _ in range(depth):
        value = [value] if rng.random() < 0.5 else {"k": value}
    node[key] = value
    return f"nest {key} {depth} deep"


def m_date(rng: Rng, book: Book, raws: list[str]) -> str:
    def is_date(node: Any, key: Any) -> bool:
        return isinstance(node[key], dt.date)

    slot = _pick(rng, book, is_date)
    if slot is None:
        return "no date"
    node, key = slot
    node[key] = (
        _date_out_of_range(rng)
        if rng.random() < 0.7
        else rng.choice((dt.datetime(2026, 1, 5, 10), dt.time(9), "2026-02-30", "20260105"))
    )
    return f"date {key} = {node[key]!r}"


def m_duplicate(rng: Rng, book: Book, raws: list[str]) -> str:
    slot = _pick(rng, book, lambda node, _key: isinstance(node, list))
    if slot is None:
        return "duplicate nothing"
    node, key = slot
    node.insert(rng.randrange(len(node) + 1), copy.deepcopy(node[key]))
    return f"duplicate item {key}"


def m_unknown_key(rng: Rng, book: Book, raws: list[str]) -> str:
    slot = _pick(rng, book, lambda node, key: isinstance(node[key], dict))
    target = slot[0][slot[1]] if slot else book
    name = rng.choice(("extra", "Share_value", "id ", "", "\u200bid", "member\ud800", "x" * 200))
    target[name] = rng.choice((1, "x", True, [], {}))
    return f"unknown key {name!r:.20}"


def m_unicode(rng: Rng, book: Book, raws: list[str]) -> str:
    slot = _pick(rng, book, lambda node, key: isinstance(node[key], str))
    if slot is None:
        return "no text"
    node, key = slot
    text, weird = node[key], rng.choice(WEIRD_TEXT)
    at = rng.randrange(len(text) + 1)
    node[key] = text[:at] + weird + text[at:]
    return f"unicode {weird!r} in {key}"


def m_swap_sections(rng: Rng, book: Book, raws: list[str]) -> str:
    a, b = rng.sample(("group", "members", "meetings", "cycles", "format"), 2)
    book[a], book[b] = book.get(b), book.get(a)
    return f"swap {a} {b}"


def m_cycle_changes(rng: Rng, book: Book, raws: list[str]) -> str:
    """Cycle changes that once crashed or slipped through (fines = 5, a decimal fine), and
    their neighbours."""
    changes: dict[str, Any] = rng.choice(
        (
            {"fines": 5},
            {"fines": {"late": 2.5}},
            {"fines": {"late": "2.5"}},
            {"fines": []},
            {"currency": "KES"},
            {"share_value": 2.5},
            {"share_value": True},
            {"shares_max": "5"},
            {"interest": 5},
            {"service_charge": 7},
            {"payout_rounding": 0},
            {"roles": {"chair": ["M01"]}},
        )
    )
    cycles = book.setdefault("cycles", [])
    if not isinstance(cycles, list):
        return "cycles not a list"
    if not cycles:
        cycles.append({"start": dt.date(2027, 6, 7)})
    cycle = rng.choice(cycles)
    if isinstance(cycle, dict):
        cycle["changes"] = changes
    return f"cycle changes {changes}"


def m_tweak_number(rng: Rng, book: Book, raws: list[str]) -> str:
    """A plausible slip: a count or amount a little off, which the rules may refuse."""

    def is_int(node: Any, key: Any) -> bool:
        return isinstance(node[key], int) and not isinstance(node[key], bool)

    slot = _pick(rng, book, is_int)
    if slot is None:
        return "no number"
    node, key = slot
    old = node[key]
    node[key] = rng.choice((old + 1, old - 1, old * 2, old // 2, old * 10, 0, -old))
    return f"{key} {old} -> {node[key]}"


def m_shift_date(rng: Rng, book: Book, raws: list[str]) -> str:
    def is_date(node: Any, key: Any) -> bool:
        return isinstance(node[key], dt.date)

    slot = _pick(rng, book, is_date)
    if slot is None:
        return "no date"
    node, key = slot
    try:
        node[key] += dt.timedelta(days=rng.choice((-30, -7, -1, 1, 7, 30, 365)))
    except OverflowError:  # an earlier mutation put it at the end of the calendar
        return "date not shifted"
    return f"{key} shifted to {node[key]}"


def m_other_member(rng: Rng, book: Book, raws: list[str]) -> str:
    def names_member(node: Any, key: Any) -> bool:
        return key == "member" and isinstance(node[key], str)

    slot = _pick(rng, book, names_member)
    if slot is None:
        return "no member"
    node, key = slot
    node[key] = rng.choice(("M01", "M02", "M03", "M09", "m01", "M1", "M01 "))
    return f"member -> {node[key]!r}"


def m_drop_item(rng: Rng, book: Book, raws: list[str]) -> str:
    slot = _pick(rng, book, lambda node, _key: isinstance(node, list))
    if slot is None:
        return "drop no item"
    del slot[0][slot[1]]
    return f"drop item {slot[1]}"


def _entries(book: Book) -> list[tuple[int, dict[str, Any]]]:
    """Every entry as (the number of its meeting, the entry), the meetings of all cycles."""
    meetings = [m for m in book.get("meetings", []) if isinstance(m, dict)]
    for cycle in book.get("cycles") or []:
        if isinstance(cycle, dict) and isinstance(cycle.get("meetings"), list):
            meetings += [m for m in cycle["meetings"] if isinstance(m, dict)]
    return [
        (n, entry)
        for n, meeting in enumerate(meetings)
        if isinstance(meeting.get("entries"), list)
        for entry in meeting["entries"]
        if isinstance(entry, dict)
    ]


def m_entry_ids(rng: Rng, book: Book, raws: list[str]) -> str:
    """Entry ids as an export keeps them: new, reused, malformed; and reversals of them."""
    entries = _entries(book)
    if not entries:
        return "no entries"
    shared = new_id(rng.randrange(2**40))
    for _n, entry in rng.sample(entries, min(len(entries), rng.randint(1, 4))):
        entry["id"] = rng.choice((new_id(rng.randrange(2**40)), shared, "0" * 26, "x"))
    number, target = rng.choice(entries)
    reversal = {"reverse": target.get("id", shared), "reason": rng.choice(("mistake", ""))}
    if rng.random() < 0.5:
        reversal["member"] = target.get("member", "M01")
    later = [entry for n, entry in entries if n >= number]
    replaced = rng.choice(later)  # an entry of the same meeting or a later one
    replaced.clear()
    replaced.update(reversal)
    return f"entry ids, reversal of {reversal['reverse']!r}"


def m_same_type(rng: Rng, book: Book, raws: list[str]) -> str:
    """A value of the right type that the rules, not the model, must judge."""
    slot = _pick(rng, book, lambda node, key: not isinstance(node[key], dict | list))
    if slot is None:
        return "no value"
    node, key = slot
    old = node[key]
    if isinstance(old, bool):
        node[key] = not old
    elif isinstance(old, int):
        node[key] = rng.choice((10**17, -(10**17), 10**15, 2**31, 1000, 24, 25, 62, 63))
    elif isinstance(old, str):
        node[key] = rng.choice(
            ("x" * 10_000, "9" * 18, "0.001", "+", "M01", "M" * 13, "fr", "ZZ", "late", "1e3")
        )
    elif isinstance(old, dt.date):
        node[key] = rng.choice((dt.date(1990, 1, 1), dt.date(2099, 12, 31)))
    return f"{key} = {node[key]!r:.30}"


Mutation = Callable[[Rng, Book, list[str]], str]
PLAUSIBLE_MUTATIONS: tuple[Mutation, ...] = (
    m_tweak_number,
    m_shift_date,
    m_other_member,
    m_drop_item,
    m_same_type,
)

DATA_MUTATIONS: tuple[Mutation, ...] = (
    *PLAUSIBLE_MUTATIONS,
    m_entry_ids,
    m_drop_key,
    m_change_type,
    m_change_type,
    m_nest,
    m_date,
    m_duplicate,
    m_unknown_key,
    m_unicode,
    m_unicode,
    m_swap_sections,
    m_cycle_changes,
)

# -- mutations of the bytes --------------------------------------------------------------

INTERESTING = (
    b"[",
    b"{",
    b"]",
    b'"',
    b"'",
    b'"""',
    b"'''",
    b"\\",
    b"#",
    b"\n",
    b"\x00",
    b"\xff",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"=",
    b".",
    b",",
    b"1e9",
    b"99999999999999999999",
    b"[" * 3000,
    b"{" * 100,
    b"1" * 4400,
    b"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r = 1\n",
    b"[" + b".".join([b"t"] * 40) + b"]\n",
    "👩🏾‍🌾".encode(),
    b"\\ud800",
    b"\\u0000",
    b"nan",
    b"9999-12-01",
    b"true",
)


def b_flip(rng: Rng, data: bytearray) -> str:
    if not data:
        return "flip nothing"
    at = rng.randrange(len(data))
    data[at] ^= 1 << rng.randrange(8)
    return f"flip byte {at}"


def b_set(rng: Rng, data: bytearray) -> str:
    if not data:
        return "set nothing"
    at = rng.randrange(len(data))
    data[at] = rng.randrange(256)
    return f"set byte {at}"


def b_insert(rng: Rng, data: bytearray) -> str:
    at = rng.randrange(len(data) + 1)
    piece = (
        rng.choice(INTERESTING)
        if rng.random() < 0.7
        else bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    )
    data[at:at] = piece
    return f"insert {piece[:12]!r} at {at}"


def b_delete(rng: Rng, data: bytearray) -> str:
    if not data:
        return "delete nothing"
    at = rng.randrange(len(data))
    size = rng.randint(1, 64)
    del data[at : at + size]
    return f"delete {size} at {at}"


def b_truncate(rng: Rng, data: bytearray) -> str:
    at = rng.randrange(len(data) + 1)
    del data[at:]
    return f"truncate at {at}"


def b_duplicate(rng: Rng, data: bytearray) -> str:
    if not data:
        return "duplicate nothing"
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 400)]
    at = rng.randrange(len(data) + 1)
    data[at:at] = piece * rng.choice((1, 1, 2, 50))
    return f"duplicate {len(piece)} bytes at {at}"


def b_bom(rng: Rng, data: bytearray) -> str:
    bom = rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
    data[0:0] = bom
    return f"bom {bom!r}"


BYTE_MUTATIONS = (b_flip, b_set, b_insert, b_insert, b_delete, b_truncate, b_duplicate, b_bom)


# -- a case --------------------------------------------------------------------------------


def _apply(mutation: Mutation, rng: Rng, book: Book, raws: list[str]) -> str:
    """A mutation, unless an earlier one left no shape it can work on (cycles = 5 ...)."""
    try:
        return mutation(rng, book, raws)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, OverflowError):
        return f"{mutation.__name__} skipped"


def make_case(rng: Rng, examples: list[Book] | None = None) -> Case:
    """One case: a valid book (an example or a generated one), as TOML or JSON, left as it
    is, or with one plausible slip, or 1 to 3 mutations of its data, and/or 1 to 3 of its
    bytes."""
    examples = example_books() if examples is None else examples
    if examples and rng.random() < 0.3:
        book = copy.deepcopy(rng.choice(examples))
        label = [f"example {book['group']['id']}"]
    else:
        book = generated_book(rng)
        label = ["generated"]
    suffix = rng.choice((".toml", ".json"))
    raws: list[str] = []
    kind = rng.random()
    if kind < 0.1:
        label.append("unchanged")
    elif kind < 0.3:  # slips a person makes, which the rules (not the parser) must catch
        label.append(_apply(rng.choice(PLAUSIBLE_MUTATIONS), rng, book, raws))
    elif kind < 0.75:
        label += [
            _apply(rng.choice(DATA_MUTATIONS), rng, book, raws) for _ in range(rng.randint(1, 3))
        ]
    suffix, content = to_bytes(book, suffix, raws, ascii_json=rng.random() < 0.5)
    if kind >= 0.6:
        data = bytearray(content)
        label += [rng.choice(BYTE_MUTATIONS)(rng, data) for _ in range(rng.randint(1, 3))]
        content = bytes(data)
    return Case("; ".join(label), suffix, content)


def case_of(seed: int, number: int, examples: list[Book] | None = None) -> tuple[Case, bool]:
    """Case `number` of the run `seed` (the same in the test and the bench), and whether it
    is imported into a book holding another group (else where there is no book yet)."""
    rng = random.Random(f"{seed}-{number}")
    return make_case(rng, examples), rng.random() < 0.5


# -- running a case ------------------------------------------------------------------------

ACCEPTED, REFUSED, FAILED = "accepted", "refused", "failed"


@dataclass(frozen=True)
class Outcome:
    verdict: str  # ACCEPTED, REFUSED or FAILED
    detail: str = ""


def make_base_db(folder: Path) -> Path:
    """A book that already holds group "base", checkpointed so its file alone is the book."""
    source = folder / "base.json"
    source.write_bytes(to_bytes(generated_book(random.Random(1), "base"), ".json", [])[1])
    db = folder / "base.sqlite"
    result = CliRunner().invoke(app, ["import", str(source), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def state_of(db: Path) -> str | None:
    """The database's bytes (with any WAL), or None where there is no file."""
    if not db.exists():
        return None
    wal = Path(f"{db}-wal")
    digest = hashlib.sha256(db.read_bytes())
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


def run_case(case: Case, folder: Path, base_db: Path | None) -> Outcome:
    """Import `case` into a copy of `base_db` (or where no book is yet) inside `folder`."""
    book = folder / f"book{case.suffix}"
    book.write_bytes(case.content)
    if base_db is None:
        db = folder / "new" / "book.sqlite"
    else:
        db = folder / "book.sqlite"
        shutil.copyfile(base_db, db)
    before = state_of(db)
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(book), "--db", str(db)])
    output = result.output + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        lines = traceback.format_exception(*result.exc_info) if result.exc_info else []
        return Outcome(FAILED, f"{result.exception!r}\n{''.join(lines)[-3000:]}")
    if "Traceback" in output:
        return Outcome(FAILED, f"a traceback in the output:\n{output[-3000:]}")
    if result.exit_code == 0:
        checked = runner.invoke(app, ["check", "--db", str(db)])
        if checked.exit_code != 0:
            return Outcome(FAILED, f"imported, but check says:\n{checked.output[-3000:]}")
        return Outcome(ACCEPTED)
    if result.exit_code != 2:
        return Outcome(FAILED, f"exit status {result.exit_code}:\n{output[-3000:]}")
    if str(book) not in result.stderr:
        return Outcome(FAILED, f"the message does not name the file:\n{result.stderr[-3000:]}")
    if state_of(db) != before:
        what = "created" if before is None else "changed"
        return Outcome(FAILED, f"refused, but the database was {what}:\n{result.stderr[-3000:]}")
    if before is None and db.parent.exists():
        return Outcome(FAILED, "refused, but the folder made for the new book is still there")
    return Outcome(REFUSED, result.stderr)

"""Bounds on a group book file, checked before and right after parsing.

The parsers and the model are recursive and Python's integers are unbounded, so a file that
nests ten thousand brackets or writes a 5,000-digit number makes them fail with an exception
instead of a message. A real book is a few hundred kilobytes and nests eight levels, so the
bounds below refuse nothing a person would write:

- `prescan_toml` / `prescan_json`: a lexical pass over the text that knows strings and
  comments, and refuses brackets nested too deep, dotted keys of too many parts (tomllib's
  memory grows with their square) and numbers too long, before a parser sees them;
- `check_tree`: an iterative walk over the parsed data (TOML's dotted keys and table headers
  nest without brackets) that refuses depth, decimal numbers, huge integers, dates with a
  time, and text that SQLite or a terminal cannot take, naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ledger import N_, LedgerError, Problem

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 16  # lists and tables inside each other; a real book needs 8
MAX_NUMBER_CHARS = 40  # a number token in the text, underscores and exponent included
MAX_DIGITS = 18  # an integer value, as ledger amounts (SQLite stops at 2**63)
MAX_TEXT = 10_000  # characters in one string or key

DataPath = tuple[str | int, ...]  # keys and list indexes from the top of the book


@dataclass(frozen=True, slots=True)
class FloatLiteral:
    """A number written with a decimal point or exponent (or NaN, Infinity), kept as its text.

    Not a `str`: a strict text field must not take `name = 0.5` as the name "0.5".
    """

    text: str

    def __str__(self) -> str:
        return self.text


class BookRefused(LedgerError):
    """A bound broken: where in the text (`line`, `column`) or in the data (`path`)."""

    def __init__(
        self, problem: Problem, *, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(problem)
        self.line, self.column = line, column
        self.path: DataPath = ()

    def at(self, path: DataPath) -> BookRefused:
        self.path = path
        return self


def refused(code: str, message: str, /, **params: Any) -> BookRefused:
    return BookRefused(Problem(code, message, params))


def shown(value: object, limit: int = 40) -> str:
    """`value` as text safe to print in a message: cut to `limit` characters; control
    characters, lone surrogates (which cannot be encoded), and invisible and direction
    characters (which hide or reorder what follows) as \\uXXXX."""
    text = str(value)
    cut = text[:limit]
    safe = _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", cut)
    return safe + ("…" if len(text) > limit else "")


_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
# What no string in a book may hold: C0 controls except tab and line breaks, DEL and C1
# controls (they drive the terminal), and lone surrogates (SQLite cannot store them).
_REFUSED_CHAR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# -- the text, before parsing --------------------------------------------------------------

# Words are matched whole so the digits of `M01` are not taken for a number.
_TOML_TOKEN = re.compile(r"\"\"\"|'''|[\"'#\[\]{}.=,\n]|[0-9][0-9A-Za-z_]*|[A-Za-z_][0-9A-Za-z_]*")
_JSON_TOKEN = re.compile(r"[\"\[\]{}]|[0-9][0-9A-Za-z_]*|[A-Za-z_][0-9A-Za-z_]*")
_BASIC_END = re.compile(r"[\\\"\n]")
_LITERAL_END = re.compile(r"['\n]")  # no escapes in a literal string
_JSON_STRING_END = re.compile(r"[\\\"]")
_ML_BASIC_END = re.compile(r"\\|\"\"\"")


def prescan_toml(text: str) -> None:
    """Refuse brackets nested deeper than MAX_DEPTH, dotted keys of more parts, or numbers
    longer than MAX_NUMBER_CHARS.

    Strings follow TOML: basic strings with escapes end at the quote or the line, literal
    strings have no escapes, multi-line ones end at the last of up to five quotes; a comment
    runs to the end of the line. Where the text is not valid TOML the parser stops there.
    """
    depth, dots, pos = 0, 0, 0
    while (match := _TOML_TOKEN.search(text, pos)) is not None:
        token, pos = match.group(), match.end()
        if token in _TOML_SKIPS:
            pos = _TOML_SKIPS[token](text, pos)
        elif token == ".":
            dots = _dotted(text, match, dots + 1)
        else:
            dots = 0 if token in _KEY_ENDS else dots
            depth = _count(text, match, depth)


# A dotted key (`a.b.c = 1`, `[a.b.c]`) nests a table per part without a bracket, and
# tomllib's time and memory grow with the square of its parts (10,000 parts: 400 MB). Its
# dots are those since the last of these; a decimal number in a value has one at most.
_KEY_ENDS = frozenset("=,[]{}\n")


def _dotted(text: str, match: re.Match[str], dots: int) -> int:
    if dots >= MAX_DEPTH:  # MAX_DEPTH parts at most
        raise _at_text(
            text,
            match.start(),
            refused(
                "import.key_too_deep",
                N_("a dotted key has more than {limit} parts"),
                limit=MAX_DEPTH,
            ),
        )
    return dots


def prescan_json(text: str) -> None:
    """As `prescan_toml`, for JSON: strings with escapes, no comments."""
    depth, pos = 0, 0
    while (match := _JSON_TOKEN.search(text, pos)) is not None:
        token, pos = match.group(), match.end()
        if token == '"':
            pos = _after_string(text, pos, _JSON_STRING_END)
        else:
            depth = _count(text, match, depth)


def _count(text: str, match: re.Match[str], depth: int) -> int:
    """The depth after a bracket, number or word; refused when a bound is passed."""
    token = match.group()
    if token in ("[", "{"):
        depth += 1
        if depth > MAX_DEPTH:
            raise _at_text(
                text,
                match.start(),
                refused(
                    "import.too_deep",
                    N_("lists and tables are nested more than {limit} levels deep"),
                    limit=MAX_DEPTH,
                ),
            )
    elif token in ("]", "}"):
        depth = max(depth - 1, 0)
    elif token[0].isdigit() and len(token) > MAX_NUMBER_CHARS:
        raise _at_text(
            text,
            match.start(),
            refused(
                "import.number_too_long",
                N_("the number {value} is longer than {limit} characters"),
                value=shown(token, 20),
                limit=MAX_NUMBER_CHARS,
            ),
        )
    return depth


def _after_string(text: str, pos: int, ends: re.Pattern[str]) -> int:
    """Where a one-line string that opened before `pos` ends (after its quote)."""
    while (match := ends.search(text, pos)) is not None:
        if match.group() == "\\":
            pos = match.end() + 1  # the escaped character, whatever it is
            continue
        return match.start() if match.group() == "\n" else match.end()
    return len(text)


def _after_multiline(text: str, pos: int, quote: str) -> int:
    """Where a multi-line string ends: after its closing three quotes and up to two more,
    which TOML counts as part of the string."""
    if quote == '"':
        while (match := _ML_BASIC_END.search(text, pos)) is not None:
            if match.group() == "\\":
                pos = match.end() + 1
                continue
            return _extra_quotes(text, match.end(), quote)
        return len(text)
    end = text.find(quote * 3, pos)
    return len(text) if end < 0 else _extra_quotes(text, end + 3, quote)


def _extra_quotes(text: str, pos: int, quote: str) -> int:
    for _ in range(2):
        if text.startswith(quote, pos):
            pos += 1
    return pos


def _after_comment(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end  # the line break itself ends a dotted key


_TOML_SKIPS: dict[str, Callable[[str, int], int]] = {
    '"""': lambda text, pos: _after_multiline(text, pos, '"'),
    "'''": lambda text, pos: _after_multiline(text, pos, "'"),
    '"': lambda text, pos: _after_string(text, pos, _BASIC_END),
    "'": lambda text, pos: _after_string(text, pos, _LITERAL_END),
    "#": _after_comment,
}


def _at_text(text: str, offset: int, error: BookRefused) -> BookRefused:
    error.line = text.count("\n", 0, offset) + 1
    error.column = offset - text.rfind("\n", 0, offset)
    return error


def bounded_int(text: str) -> int:
    """`json.loads(parse_int=...)`: refuse a number too long before `int()` reads it."""
    if len(text) > MAX_NUMBER_CHARS:
        raise refused(
            "import.number_too_long",
            N_("the number {value} is longer than {limit} characters"),
            value=shown(text, 20),
            limit=MAX_NUMBER_CHARS,
        )
    return int(text)


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`json.loads(object_pairs_hook=...)`: a key written twice is refused (JSON would keep
    the last one silently, and TOML refuses it too)."""
    table: dict[str, Any] = {}
    for key, value in pairs:
        if key in table:
            raise refused(
                "import.duplicate_key",
                N_('the key "{key}" is written twice in the same table'),
                key=shown(key),
            )
        table[key] = value
    return table


# -- the data, after parsing ---------------------------------------------------------------


def check_tree(data: object) -> None:
    """Walk the parsed book without recursion and refuse the first value no field can take,
    in the order of the file; BookRefused carries the path of that value."""
    for path, value, depth in _walk(data):
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise refused(
                    "import.too_deep",
                    N_("lists and tables are nested more than {limit} levels deep"),
                    limit=MAX_DEPTH,
                ).at(path)
        else:
            _check_value(value, path)


def _walk(data: object) -> Iterator[tuple[DataPath, object, int]]:
    stack: list[tuple[DataPath, object, int]] = [((), data, 1)]
    while stack:
        path, value, depth = stack.pop()
        yield path, value, depth
        children: list[tuple[str | int, object]] = []
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key, (*path, key))
                children.append((key, item))
        elif isinstance(value, list):
            children = list(enumerate(value))
        stack.extend(((*path, key), item, depth + 1) for key, item in reversed(children))


def _check_value(value: object, path: DataPath) -> None:
    if isinstance(value, FloatLiteral | float):
        raise refused(
            "import.float",
            N_(
                "{value} is written as a decimal number, which a group book never holds: write "
                'a whole number, or text in quotes like "{value}"'
            ),
            value=shown(value),
        ).at(path)
    if isinstance(value, dt.datetime):
        raise refused(
            "import.datetime",
            N_("{value} is a date and time; write a date only (YYYY-MM-DD)"),
            value=value.isoformat(),
        ).at(path)
    if isinstance(value, dt.time):
        raise refused(
            "import.time",
            N_("{value} is a time of day; write a date (YYYY-MM-DD)"),
            value=value.isoformat(),
        ).at(path)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        raise refused(
            "import.number_too_large",
            N_("{value} is too large: a number in a book has at most {digits} digits"),
            value=shown(value, 20),
            digits=MAX_DIGITS,
        ).at(path)
    if isinstance(value, str):
        _check_text(value, path)


def _check_text(text: str, path: DataPath) -> None:
    if len(text) > MAX_TEXT:
        raise refused(
            "import.text_too_long",
            N_("the text is {length} characters long; at most {limit} are kept"),
            length=len(text),
            limit=MAX_TEXT,
        ).at(path)
    bad = _REFUSED_CHAR.search(text)
    if bad is None:
        return
    char = bad.group()
    code = f"U+{ord(char):04X}"
    if unicodedata.category(char) == "Cs":
        raise refused(
            "import.surrogate",
            N_(
                "the text holds {code}, half of a character (a lone surrogate), which cannot "
                "be stored; the file was written wrongly"
            ),
            code=code,
        ).at(path)
    raise refused(
        "import.control_character",
        N_("the text holds the control character {code}, which a book cannot keep"),
        code=code,
    ).at(path)

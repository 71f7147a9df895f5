"""`--help` shows flags as flags: nothing after `--json`, `--commit`, `--no-open` or `--help`
that reads as if it took a value, while an option that takes one still says what."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from vsla.cli import app

COMMANDS = [
    (),
    ("tui",),
    ("demo",),
    ("import",),
    ("export",),
    ("groups",),
    ("members",),
    ("statement",),
    ("meeting",),
    ("meeting", "show"),
    ("shareout",),
    ("check",),
    ("backup",),
    ("backups",),
    ("restore-backup",),
]


def help_of(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def option_line(text: str, option: str) -> str:
    """The row of the options table that starts with `option`."""
    (line,) = [line for line in text.splitlines() if re.match(rf"[│\s*]*{option}\b", line)]
    return line


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "vsla")
def test_no_flag_shows_a_value(command: tuple[str, ...]) -> None:
    text = help_of(*command)
    assert "<bool>" not in text
    help_line = option_line(text, "--help")
    assert re.search(r"--help\s+Show this message", help_line), help_line


@pytest.mark.parametrize(
    ("command", "flag"),
    [
        (("shareout",), "--commit"),
        (("shareout",), "--json"),
        (("demo",), "--no-open"),
        (("meeting", "show"), "--last"),
        (("check",), "--json"),
    ],
)
def test_a_flag_is_followed_by_its_help(command: tuple[str, ...], flag: str) -> None:
    line = option_line(help_of(*command), flag)
    words = line.replace("│", " ").split()
    assert words[words.index(flag) + 1][0].isalpha() and words[words.index(flag) + 1].islower()


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        (("shareout",), "--counted-cash", "AMOUNT"),
        (("shareout",), "--date", "DATE"),
        (("shareout",), "--reason", "TEXT"),
        (("statement",), "--as-of", "DATE"),
        (("export",), "--output", "PATH"),
        (("meeting", "show"), "--number", "N"),
    ],
)
def test_an_option_that_takes_a_value_says_what(
    command: tuple[str, ...], option: str, value: str
) -> None:
    assert re.search(rf"{option}\b.*\b{value}\b", option_line(help_of(*command), option))

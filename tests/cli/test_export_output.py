"""`vsla export` does what its help says: without -o, everything goes to standard output
(an Excel workbook too, unless standard output is the terminal, which is refused); an output
that cannot be right is refused before anything is written; no file appears unasked."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from vsla.cli import app, exporting

from ..conftest import EXAMPLES


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "book.sqlite"
    result = CliRunner().invoke(
        app, ["import", str(EXAMPLES / "declining-loan-ugx.toml"), "--db", str(path)]
    )
    assert result.exit_code == 0, result.stderr
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # where a surprise file would appear
    return path


def files_under(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_xlsx_without_o_is_the_workbook_on_standard_output(db: Path) -> None:
    before = files_under(db.parent)
    result = CliRunner().invoke(app, ["export", "dec", "-f", "xlsx", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    assert files_under(db.parent) == before
    workbook = load_workbook(io.BytesIO(result.stdout_bytes))
    assert workbook.sheetnames == ["members", "meetings", "statements"]
    members = [row[0] for row in workbook["members"].iter_rows(min_row=2, values_only=True)]
    assert members == ["M01", "M02", "M03", "M04", "M05"]
    assert workbook["meetings"].max_row == 17 + 1  # the example's 17 meetings and a header


def test_xlsx_to_the_terminal_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exporting, "stdout_is_terminal", lambda: True)
    before = files_under(db.parent)
    result = CliRunner().invoke(app, ["export", "dec", "-f", "xlsx", "--db", str(db)])
    assert result.exit_code == 2
    assert "-o" in result.stderr
    assert result.stdout_bytes == b""
    assert files_under(db.parent) == before


def test_xlsx_with_o_writes_that_file_only(db: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "dec", "-f", "xlsx", "-o", "dec.xlsx", "--db", str(db)]
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in Path.cwd().iterdir()) == ["dec.xlsx"]
    assert load_workbook("dec.xlsx").sheetnames == ["members", "meetings", "statements"]


@pytest.mark.parametrize(
    "args",
    [
        ("-f", "book", "-o", "."),  # a folder where a file is wanted
        ("-f", "xlsx", "-o", "."),
        ("-f", "book", "-o", "dec.yaml"),  # a book is TOML or JSON
        ("-f", "book", "-o", "../book.sqlite"),  # the book itself
        ("-f", "csv", "-o", "../book.sqlite"),
        ("-f", "book", "-o", "missing/dec.toml"),  # no such folder
        ("-f", "book", "--table", "meetings"),  # --table is for csv on stdout
        ("-f", "csv", "-o", "tables", "--table", "members"),
        ("-f", "csv", "--table", "loans"),
    ],
)
def test_an_output_that_cannot_be_right_is_refused_and_writes_nothing(
    db: Path, args: tuple[str, ...]
) -> None:
    before = files_under(db.parent)
    result = CliRunner().invoke(app, ["export", "dec", *args, "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert files_under(db.parent) == before


def test_an_unknown_group_writes_no_file(db: Path) -> None:
    before = files_under(db.parent)
    for fmt, output in (
        ("book", "out.toml"),
        ("hledger", "out.journal"),
        ("csv", "out"),
        ("xlsx", "out.xlsx"),
    ):
        result = CliRunner().invoke(
            app, ["export", "nope", "-f", fmt, "-o", output, "--db", str(db)]
        )
        assert result.exit_code == 2
        assert "nope" in result.stderr
    assert files_under(db.parent) == before

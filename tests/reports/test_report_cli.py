"""`vsla report` refuses what it cannot do, with a message and exit status 2, writing nothing;
and a book made before the figures were kept gets them from its journals, the same figures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vsla.book.check import check_book
from vsla.book.reader import Reader
from vsla.book.service import Book
from vsla.cli import app

from .test_savix_by_hand import AS_OF, build

runner = CliRunner()


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "book.sqlite"
    build(path)
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["savix", "--group", "nowhere"], "nowhere"),
        (["savix", "--as-of", "2026-02-30"], "--as-of"),
        (["savix", "--json", "--csv", "{tmp}/a.csv"], "--json"),
        (["savix", "--csv", "{tmp}"], "folder"),
        (["quarterly", "--since", "2026-01-01"], "--csv"),
        (
            ["quarterly", "--since", "2026-06-01", "--until", "2026-01-01", "--csv", "{tmp}/q.csv"],
            "--until",
        ),
        (
            ["quarterly", "--since", "2026-04-01", "--until", "2026-05-01", "--csv", "{tmp}/q.csv"],
            "quarter",
        ),
        (["cycles", "--group", "nowhere"], "nowhere"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    book: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = runner.invoke(app, ["report", *args, "--db", str(book)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_terminal_report_shows_each_group_and_a_total_per_currency(book: Path) -> None:
    result = runner.invoke(
        app,
        ["report", "savix", "--db", str(book), "--as-of", AS_OF.isoformat()],
        env={"COLUMNS": "100"},
    )
    assert result.exit_code == 0, result.output
    for shown in ("umoja", "upendo", "tumaini", "totals in UGX", "totals in KES", "72.4%"):
        assert shown in result.stdout  # 72.4%: umoja's portfolio at risk, 11,000 / 15,200


def test_an_older_book_gets_its_figures_from_its_journals(book: Path, tmp_path: Path) -> None:
    copy = tmp_path / "older.sqlite"
    source, target = sqlite3.connect(book), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    reader = Reader.open(copy)
    before = reader.savix(AS_OF).to_json()
    reader.close()
    # as the migration leaves a book made before the figures: none kept, the marker set
    target.execute("DELETE FROM meeting_figures")
    target.execute("DELETE FROM payouts")
    target.execute("UPDATE cycles SET women_at_start = 0, men_at_start = 0")
    target.execute("INSERT INTO settings (key, value) VALUES ('report_figures', 'rebuild')")
    target.commit()
    target.close()
    reopened = Book.open(copy)
    assert check_book(reopened.db) == []
    assert reopened.reader.savix(AS_OF).to_json() == before
    reopened.close()


def test_check_finds_an_edited_figure(book: Path, tmp_path: Path) -> None:
    copy = tmp_path / "edited.sqlite"
    source, target = sqlite3.connect(book), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.execute(
        "UPDATE meeting_figures SET savings_women_minor = savings_women_minor + 1000 "
        "WHERE group_id = 'umoja' AND meeting_number = 3"
    )
    target.commit()
    target.close()
    edited = Book.open(copy)
    found = [p.problem.render() for p in check_book(edited.db)]
    edited.close()
    assert len(found) == 1
    assert "meeting_figures" in found[0] and "savings_women_minor" in found[0]

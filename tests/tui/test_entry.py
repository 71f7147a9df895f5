"""`vsla`, `vsla tui` and `vsla demo` open the app, on the right book."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tui.app import VslaApp, create_app
from vsla.book.service import Book
from vsla.cli import app as cli


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The groups of the book each app was opened on (instead of taking over the terminal)."""
    seen: list[list[str]] = []

    def run(self: VslaApp, *args: Any, **kwargs: Any) -> None:
        seen.append([g.group_id for g in self.session.reader.groups()])
        self.session.close()

    monkeypatch.setattr(VslaApp, "run", run)
    return seen


def test_vsla_demo_opens_the_app_on_the_demo_book(tmp_path: Path, opened: list[list[str]]) -> None:
    result = CliRunner().invoke(cli, ["demo", "--db", str(tmp_path / "demo.sqlite")])
    assert result.exit_code == 0, result.output
    assert opened == [["bukavu-amani", "kolwezi-tumaini", "kolwezi-umoja", "mubende-twekembe"]]


def test_vsla_and_vsla_tui_open_the_app_on_the_book(
    tmp_path: Path, opened: list[list[str]]
) -> None:
    path = tmp_path / "books" / "book.sqlite"
    for command in ([], ["tui"]):
        result = CliRunner().invoke(cli, [*command, "--db", str(path)])
        assert result.exit_code == 0, result.output
    assert opened == [[], []]  # a new book, with no group yet


async def test_the_app_starts_on_the_groups_of_the_book(demo_path: Path) -> None:
    app = create_app(demo_path, today=date(2026, 11, 25))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#groups").row_count == 4  # type: ignore[attr-defined]
    book = Book.open(demo_path)
    book.close()

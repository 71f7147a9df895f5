"""After `vsla demo` a new user can find the demo book: `vsla demo` says where it is before
the app takes the screen, and a command that finds no book at the default path, while the
demo book exists, says how to read it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from vsla.cli import app, common, frontends

from ..conftest import EXAMPLES

OPENED = "<the app opens here>"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data folder, where the default and the demo book live; no VSLA_DB."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setattr(common, "data_dir", lambda: folder)
    monkeypatch.delenv("VSLA_DB", raising=False)
    return folder


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The facilitator app replaced by one that only says, on stderr, that it opened."""
    opened: list[Path] = []

    def frontend(path: Path) -> None:
        opened.append(path)
        typer.echo(OPENED, err=True)

    monkeypatch.setattr(frontends, "find_frontend", lambda name="tui": frontend)
    return opened


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_demo_says_where_the_demo_book_is_before_it_opens_the_app(
    data_dir: Path, fake_app: list[Path], demo_db: Path
) -> None:
    demo = data_dir / "demo.sqlite"
    shutil.copyfile(demo_db, demo)  # made once already: `vsla demo` only opens it
    code, _, err = run("demo")
    assert code == 0, err
    assert fake_app == [demo]
    said = err[: err.index(OPENED)]
    assert f"demo book already at {demo}" in said
    assert f"--db {demo}" in said and f"VSLA_DB={demo}" in said


def test_demo_no_open_says_the_same_and_opens_nothing(
    data_dir: Path, fake_app: list[Path], demo_db: Path
) -> None:
    demo = data_dir / "demo.sqlite"
    shutil.copyfile(demo_db, demo)
    code, _, err = run("demo", "--no-open")
    assert code == 0
    assert fake_app == []
    assert str(demo) in err and f"--db {demo}" in err


@pytest.mark.parametrize(
    "args",
    [
        ("groups",),
        ("members", "bukavu-amani"),
        ("statement", "bukavu-amani", "M01"),
        ("meeting", "show", "bukavu-amani"),
        ("shareout", "bukavu-amani"),
        ("export", "bukavu-amani", "--format", "book"),
    ],
)
def test_without_a_book_a_command_points_to_the_demo_book(
    data_dir: Path, demo_db: Path, args: tuple[str, ...]
) -> None:
    demo = data_dir / "demo.sqlite"
    shutil.copyfile(demo_db, demo)
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert str(data_dir / "books.sqlite") in err  # where it looked
    assert f"--db {demo}" in err and f"VSLA_DB={demo}" in err
    assert not (data_dir / "books.sqlite").exists()
    code, out, _ = run(*args, "--db", str(demo))  # and the advice works
    assert code in (0, 1)
    assert out


def test_the_default_book_is_read_when_there_is_one(data_dir: Path, demo_db: Path) -> None:
    shutil.copyfile(demo_db, data_dir / "demo.sqlite")
    assert run("import", str(EXAMPLES / "declining-loan-ugx.toml"))[0] == 0
    code, out, _ = run("groups")
    assert code == 0
    assert "dec" in out and "bukavu-amani" not in out


def test_without_any_book_the_message_does_not_mention_a_demo(data_dir: Path) -> None:
    code, _, err = run("groups")
    assert code == 2
    assert str(data_dir / "books.sqlite") in err
    assert "demo" not in err

"""When the file itself fails: another program holds the write lock, the book is read-only,
the book is damaged. Each is a message and a non-zero exit status, never a traceback, and
nothing is changed."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from vsla.cli import app

from ..conftest import EXAMPLES
from ..damage import zero_a_page_of
from ..read_only import read_only

GROUP = "kolwezi-umoja"


def vsla(*args: str, **env: str) -> Result:
    result = CliRunner().invoke(app, list(args), env={"VSLA_BUSY_TIMEOUT_MS": "200", **env})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def locked(demo_copy: Path) -> Iterator[Path]:
    """The demo book while another program holds its write lock."""
    other = sqlite3.connect(demo_copy, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield demo_copy
    other.execute("ROLLBACK")
    other.close()


def test_a_held_write_lock_refuses_an_import_with_a_message(locked: Path) -> None:
    before = digest(locked)
    result = vsla("import", str(EXAMPLES / "share-out-ghs.toml"), "--db", str(locked))
    assert result.exit_code == 2
    assert "another program is writing this book" in result.output
    assert digest(locked) == before


def test_a_held_write_lock_refuses_a_share_out(locked: Path) -> None:
    result = vsla("shareout", GROUP, "--commit", "--db", str(locked))
    assert result.exit_code == 2
    assert "another program is writing this book" in result.output


def test_reading_and_backing_up_go_on_while_another_program_writes(
    locked: Path, tmp_path: Path
) -> None:
    assert vsla("groups", "--db", str(locked)).exit_code == 0
    backup = vsla("backup", "--db", str(locked), VSLA_BACKUP_DIR=str(tmp_path / "copies"))
    assert backup.exit_code == 0, backup.output
    assert list((tmp_path / "copies" / "demo").glob("demo-*.sqlite"))


def test_a_read_only_book_can_be_read_but_not_written(demo_copy: Path) -> None:
    before = digest(demo_copy)
    with read_only(demo_copy):
        groups = vsla("groups", "--db", str(demo_copy), "--json")
        assert groups.exit_code == 0
        assert GROUP in groups.stdout
        assert vsla("check", "--db", str(demo_copy)).exit_code == 0
        imported = vsla("import", str(EXAMPLES / "share-out-ghs.toml"), "--db", str(demo_copy))
        assert imported.exit_code == 2
        assert "read-only" in imported.output
        shared_out = vsla("shareout", GROUP, "--commit", "--db", str(demo_copy))
        assert shared_out.exit_code == 2
        assert "read-only" in shared_out.output
    assert digest(demo_copy) == before


def test_a_damaged_book_says_so_and_points_to_the_latest_backup(
    demo_copy: Path, tmp_path: Path
) -> None:
    env = {"VSLA_BACKUP_DIR": str(tmp_path / "copies")}
    assert vsla("backup", "--db", str(demo_copy), **env).exit_code == 0
    (latest,) = (tmp_path / "copies" / "demo").glob("demo-*.sqlite")
    zero_a_page_of(demo_copy, "journal")

    groups = ("kolwezi-umoja", "kolwezi-tumaini", "bukavu-amani", "mubende-twekembe")
    refused = []
    for group in groups:  # the zeroed page holds some group's entries; reading them fails
        exported = vsla("export", group, "--format", "book", "--db", str(demo_copy), **env)
        assert exported.exit_code in (0, 2)
        if exported.exit_code == 2:
            refused.append(group)
            assert "damaged" in exported.output
            assert f"vsla restore-backup {latest}" in exported.output.replace("\n", "")
    assert refused

    checked = vsla("check", "--db", str(demo_copy), "--json", **env)
    assert checked.exit_code == 1
    assert '"code": "book.damaged"' in checked.stdout


def test_a_zero_byte_file_is_never_made_into_a_book(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    for command in (["groups"], ["check"], ["backup"], ["members", GROUP]):
        result = vsla(*command, "--db", str(empty))
        assert result.exit_code == 2, command
        assert "empty file, not a book" in result.output
    imported = vsla("import", str(EXAMPLES / "share-out-ghs.toml"), "--db", str(empty))
    assert imported.exit_code == 2
    assert empty.read_bytes() == b""

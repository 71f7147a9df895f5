"""The project's own documentation of the command line and the group book (docs/cli.md,
docs/book-format.md), checked by running it: every book it shows imports, the share-out it
works by hand is what `vsla shareout` computes, and every `vsla ... --json` it shows prints
what the document says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from vsla.cli import app

from ..conftest import ROOT

DOCS = ROOT / "docs"
# Values that differ from one run to the next: made at import (ids) or by the machine.
VARYING = {"id", "entry", "path", "folder", "made_at", "size_bytes"}


def blocks(path: Path, language: str) -> list[str]:
    if not path.exists():  # test_the_readme_links_the_projects_own_documents says so
        return []
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def books() -> list[tuple[str, str]]:
    """Every complete group book of book-format.md, as (suffix, text)."""
    found = [(".toml", b) for b in blocks(DOCS / "book-format.md", "toml")]
    found += [(".json", b) for b in blocks(DOCS / "book-format.md", "json")]
    return [(suffix, text) for suffix, text in found if "vsla-book/1" in text]


def whole_cycle_book() -> str:
    (text,) = [text for _, text in books() if 'id = "umoja"' in text]
    return text


def vsla(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


def test_the_readme_links_the_projects_own_documents() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    assert "(docs/cli.md)" in readme
    assert "(docs/book-format.md)" in readme
    assert (DOCS / "cli.md").is_file() and (DOCS / "book-format.md").is_file()


def test_book_format_shows_complete_books_in_toml_and_json() -> None:
    suffixes = sorted(suffix for suffix, _ in books())
    assert suffixes.count(".toml") >= 2 and suffixes.count(".json") >= 1


@pytest.mark.parametrize(("index", "suffix"), list(enumerate(s for s, _ in books())))
def test_every_book_of_book_format_md_imports(tmp_path: Path, index: int, suffix: str) -> None:
    text = books()[index][1]
    book = tmp_path / f"book{suffix}"
    book.write_text(text, encoding="utf-8")
    code, _, err = vsla("import", str(book), db=tmp_path / "book.sqlite")
    assert code == 0, err
    assert vsla("check", db=tmp_path / "book.sqlite")[0] == 0


def test_the_smallest_book_reads_the_same_in_toml_and_json(tmp_path: Path) -> None:
    exported = []
    for suffix, text in books():
        if 'id = "umoja"' in text:
            continue
        book, db = tmp_path / f"small{suffix}", tmp_path / f"small{suffix}.sqlite"
        book.write_text(text, encoding="utf-8")
        assert vsla("import", str(book), db=db)[0] == 0
        written = vsla("export", "tumaini", "--format", "book", db=db)[1]
        exported.append(re.sub(r'id = "[0-9A-Z]{26}"', "id = ID", written))  # made at import
    assert len(exported) == 2 and exported[0] == exported[1]
    assert 'phone = "+256772123456"' in exported[0]  # "0772 123 456", read as Ugandan


def test_the_share_out_worked_by_hand_in_book_format_md(tmp_path: Path) -> None:
    """28 shares, CDF 28,800 in the loan fund; payouts rounded down to CDF 100; CDF 300 left."""
    text = whole_cycle_book()
    book = tmp_path / "umoja.toml"
    book.write_text(text[: text.index("[[meetings]]\ndate = 2026-02-18")], encoding="utf-8")
    db = tmp_path / "umoja.sqlite"
    assert vsla("import", str(book), db=db)[0] == 0
    code, out, _ = vsla("shareout", "umoja", "--date", "2026-02-18", "--json", db=db)
    assert code == 0
    shareout = json.loads(out)
    assert (shareout["total_shares"], shareout["fund_minor"]) == (28, 28_800_00)
    payouts = {m["member"]: m["payout_minor"] for m in shareout["members"]}
    assert payouts == {
        "M01": 10_200_00,
        "M02": 8_200_00,
        "M03": 3_000_00,
        "M04": 5_100_00,
        "M05": 2_000_00,
    }
    assert shareout["remainder_minor"] == 300_00
    code, out, _ = vsla("meeting", "show", "umoja", "--number", "4", "--json", db=db)
    meeting = json.loads(out)
    assert meeting["opening_counted"]["loan_fund_minor"] == 21_800_00
    assert meeting["expected_closing"]["loan_fund_minor"] == 28_800_00
    assert any(
        e["kind"] == "cash_adjustment" and e["amount_minor"] == 100_00 for e in meeting["entries"]
    )


def json_examples() -> list[tuple[list[str], Any]]:
    """Each `vsla ... --json` command of cli.md and the JSON shown right after it."""
    path = DOCS / "cli.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    pairs = re.findall(r"```sh\n(vsla [^\n]*--json)\n```\s*```json\n(.*?)```", text, re.S)
    return [(command.split()[1:], json.loads(document)) for command, document in pairs]


def same(shown: Any, printed: Any, where: str = "") -> None:
    """`printed` is what `shown` says: the same keys and values, a list at least as long
    (a document may cut a long list), and anything in VARYING only of the same type."""
    if isinstance(shown, dict):
        assert isinstance(printed, dict) and set(shown) == set(printed), where
        for key, value in shown.items():
            if key in VARYING:
                assert type(value) is type(printed[key]), f"{where}.{key}"
            else:
                same(value, printed[key], f"{where}.{key}")
    elif isinstance(shown, list):
        assert isinstance(printed, list) and len(shown) <= len(printed), where
        for i, value in enumerate(shown):
            same(value, printed[i], f"{where}[{i}]")
    else:
        assert shown == printed, where


def test_cli_md_shows_json_for_every_command_with_json() -> None:
    commands = {tuple(c[:2]) if c[0] == "meeting" else (c[0],) for c, _ in json_examples()}
    assert commands == {
        ("import",),
        ("groups",),
        ("members",),
        ("statement",),
        ("meeting", "show"),
        ("shareout",),
        ("check",),
        ("backups",),
        ("meeting", "record"),
    }


def test_every_json_example_of_cli_md_is_what_the_command_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VSLA_BACKUP_DIR", raising=False)
    Path("umoja.toml").write_text(whole_cycle_book(), encoding="utf-8")
    (meeting,) = [b for b in blocks(DOCS / "cli.md", "toml") if b.startswith("[[meetings]]")]
    Path("meeting.toml").write_text(meeting, encoding="utf-8")
    for command, shown in json_examples():  # in the document's order: the import first
        code, out, err = vsla(*command, db=tmp_path / "umoja.sqlite")
        assert code == 0, (command, err)
        same(shown, json.loads(out), " ".join(command))

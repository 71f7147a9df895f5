"""The command line of interfaces.md: names, options, exit codes and JSON shapes, which scripts
and outside checks rely on."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from vsla.cli import app

from ..conftest import EXAMPLES


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def as_json(*args: str, env: dict[str, str] | None = None) -> Any:
    code, out, err = run(*args, "--json", env=env)
    assert code in (0, 1), err
    return json.loads(out)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "book.sqlite"
    assert run("import", str(EXAMPLES / "declining-loan-ugx.toml"), "--db", str(path))[0] == 0
    return path


def test_every_command_of_interfaces_md_exists() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in (
        "tui",
        "demo",
        "import",
        "export",
        "groups",
        "members",
        "statement",
        "meeting",
        "shareout",
        "check",
    ):
        assert command in out
    assert "show" in run("meeting", "--help")[1]


def test_vsla_db_and_db_option_both_choose_the_book(db: Path) -> None:
    by_option = as_json("groups", "--db", str(db))
    by_env = as_json("groups", env={"VSLA_DB": str(db)})
    assert by_option == by_env
    assert [g["group"] for g in by_option["groups"]] == ["dec"]


def test_statement_shape(db: Path) -> None:
    document = as_json("statement", "dec", "M02", "--db", str(db))
    assert set(document) >= {
        "group",
        "member",
        "currency",
        "exponent",
        "shares",
        "savings_minor",
        "social_fund_paid_minor",
        "fines_owed_minor",
        "loan",
    }
    assert document["loan"] is None
    assert isinstance(document["savings_minor"], int)


def test_statement_loan_shape(tmp_path: Path) -> None:
    text = (EXAMPLES / "declining-loan-ugx.toml").read_text()
    book = tmp_path / "early.toml"
    book.write_text(text[: text.index("[[meetings]]", text.index("date = 2026-03-02"))])
    path = tmp_path / "early.sqlite"
    run("import", str(book), "--db", str(path))
    loan = as_json("statement", "dec", "M01", "--db", str(path), "--as-of", "2026-03-02")["loan"]
    assert loan == {
        "principal_minor": 70_000,
        "charges_owed_minor": 0,
        "owed_minor": 70_000,
        "due_date": "2026-04-27",
        "late": False,
        "loans": [1],
    }
    late = as_json("statement", "dec", "M01", "--db", str(path), "--as-of", "2026-04-28")
    assert late["loan"]["late"] is True


def test_meeting_show_shape(db: Path) -> None:
    document = as_json("meeting", "show", "dec", "--last", "--db", str(db))
    assert document["number"] == 17
    assert document["date"] == "2026-04-27"
    assert document["status"] == "closed"
    for key in ("expected_closing", "counted_closing", "difference"):
        assert set(document[key]) == {"loan_fund_minor", "social_fund_minor"}
    assert document["difference"] == {"loan_fund_minor": 0, "social_fund_minor": 0}
    assert document == as_json("meeting", "show", "dec", "--number", "17", "--db", str(db))


def test_shareout_shape(db: Path) -> None:
    document = as_json("shareout", "dec", "--db", str(db))
    for key in (
        "group",
        "currency",
        "exponent",
        "total_shares",
        "fund_minor",
        "value_per_share",
        "payout_rounding_minor",
        "remainder_minor",
        "members",
    ):
        assert key in document
    assert isinstance(document["value_per_share"], str)
    assert set(document["members"][0]) >= {
        "member",
        "shares",
        "gross_minor",
        "owed_minor",
        "payout_minor",
    }


def test_members_and_groups_shapes(db: Path) -> None:
    members = as_json("members", "dec", "--db", str(db))
    assert (members["currency"], members["exponent"]) == ("UGX", 0)
    assert [m["member"] for m in members["members"]] == ["M01", "M02", "M03", "M04", "M05"]
    group = as_json("groups", "--db", str(db))["groups"][0]
    assert set(group) >= {"group", "name", "currency", "exponent", "members"}


@pytest.mark.parametrize(
    "args",
    [
        ("statement", "dec", "M99"),
        ("statement", "nope", "M01"),
        ("members", "nope"),
        ("meeting", "show", "dec", "--number", "99"),
        ("shareout", "dec", "--counted-cash", "12.5"),
        ("shareout", "dec", "--counted-cash", "1,000"),
        ("statement", "dec", "M01", "--as-of", "yesterday"),
        ("export", "dec", "--format", "pdf"),
        ("meeting", "show", "dec", "--number", "3", "--last"),
    ],
)
def test_bad_input_exits_2_with_a_message(db: Path, args: tuple[str, ...]) -> None:
    code, out, err = run(*args, "--db", str(db))
    assert code == 2
    assert err.strip()
    assert "Traceback" not in out + err


def test_a_missing_book_is_bad_input(tmp_path: Path) -> None:
    code, _, err = run("groups", "--db", str(tmp_path / "none.sqlite"))
    assert code == 2
    assert "none.sqlite" in err
    assert not (tmp_path / "none.sqlite").exists()


def test_check_exits_0_then_1_after_a_raw_tamper_naming_the_entry(demo_copy: Path) -> None:
    code, out, _ = run("check", "--db", str(demo_copy))
    assert code == 0, out
    conn = sqlite3.connect(demo_copy)
    entry_id, old = conn.execute(
        "SELECT p.entry_id, p.amount_minor FROM postings p JOIN journal j ON j.id = p.entry_id "
        "WHERE j.kind = 'shares' AND j.group_id = 'bukavu-amani' LIMIT 1 OFFSET 40"
    ).fetchone()
    conn.execute("DROP TRIGGER postings_no_update")
    conn.execute(
        "UPDATE postings SET amount_minor = ? WHERE entry_id = ? AND idx = 0",
        [old + 100_00, entry_id],
    )
    conn.commit()
    conn.close()
    code, out, _ = run("check", "--db", str(demo_copy), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert entry_id in {p["entry"] for p in report["problems"]}
    assert any(
        p["code"] == "chain.altered" and p["group"] == "bukavu-amani" for p in report["problems"]
    )
    code, out, _ = run("check", "--db", str(demo_copy))
    assert code == 1 and entry_id in out

"""Staff accounts of the hub's web pages: added with a checked email, role and password (kept
as an argon2 hash), logged in with guessing locked out per email, every attempt in the audit
log; and `vsla hub staff …`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vsla.book.service import Book
from vsla.book.staff import LOCK_MINUTES, MAX_FAILURES, LoginLocked, StaffAccounts, StaffRefused
from vsla.cli import app as cli

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    opened = Book.open(tmp_path / "hub.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def staff(book: Book) -> StaffAccounts:
    accounts = StaffAccounts(book)
    accounts.add("  Amina@Example.ORG ", "admin", PASSWORD, NOW)
    return accounts


def at(minutes: float) -> datetime:
    return NOW + timedelta(minutes=minutes)


def test_members_are_added_normalised_and_listed_by_email(staff: StaffAccounts) -> None:
    added = staff.add("zola@example.org", "viewer", "another-long-pass", at(1))
    assert added.email == "zola@example.org" and not added.is_admin
    assert [m.email for m in staff.members()] == ["amina@example.org", "zola@example.org"]
    amina = staff.member("AMINA@example.org")
    assert amina is not None and amina.is_admin and amina.added_at == NOW
    assert amina.to_json() == {
        "email": "amina@example.org",
        "role": "admin",
        "language": None,
        "added_at": NOW.isoformat(),
        "disabled_at": None,
    }
    assert [(a.email, a.action, a.detail) for a in staff.actions()] == [
        ("zola@example.org", "staff_added", "viewer"),
        ("amina@example.org", "staff_added", "admin"),
    ]


@pytest.mark.parametrize(
    ("email", "role", "password", "code"),
    [
        ("no-at-sign.example.org", "viewer", PASSWORD, "staff.email"),
        ("two@@example.org", "viewer", PASSWORD, "staff.email"),
        ("a b@example.org", "viewer", PASSWORD, "staff.email"),
        ("nodot@example", "viewer", PASSWORD, "staff.email"),
        ("x" * 250 + "@example.org", "viewer", PASSWORD, "staff.email"),
        ("ok@example.org", "owner", PASSWORD, "staff.role"),
        ("ok@example.org", "viewer", "short", "staff.password"),
        ("ok@example.org", "viewer", "a" * 20, "staff.password"),
        ("Amina@example.org", "viewer", PASSWORD, "staff.exists"),
    ],
)
def test_bad_accounts_are_refused_and_nothing_is_written(
    staff: StaffAccounts, email: str, role: str, password: str, code: str
) -> None:
    before = (staff.members(), staff.actions())
    with pytest.raises(StaffRefused) as refused:
        staff.add(email, role, password, at(1))
    assert refused.value.problem.code == code
    assert (staff.members(), staff.actions()) == before


def test_the_password_is_kept_only_as_an_argon2_hash(book: Book, staff: StaffAccounts) -> None:
    (stored,) = book.db.execute("SELECT password_hash FROM staff").fetchone()
    assert stored != PASSWORD and PASSWORD not in stored
    assert stored.startswith("$argon2")


def test_log_in_only_with_the_right_password_of_an_active_member(staff: StaffAccounts) -> None:
    member = staff.log_in("AMINA@example.org ", PASSWORD, at(1), "10.0.0.7")
    assert member is not None and member.email == "amina@example.org"
    assert staff.log_in("amina@example.org", PASSWORD + "!", at(2), None) is None
    assert staff.log_in("nobody@example.org", PASSWORD, at(3), None) is None
    staff.disable("amina@example.org", at(4))
    assert staff.log_in("amina@example.org", PASSWORD, at(5), None) is None
    assert [(a.action, a.detail, a.client) for a in staff.actions(limit=5)] == [
        ("login_failed", "disabled", None),
        ("staff_disabled", "", None),
        ("login_failed", "unknown", None),
        ("login_failed", "wrong password", None),
        ("login_ok", "", "10.0.0.7"),
    ]


def test_disabling_an_unknown_or_disabled_member_is_refused(staff: StaffAccounts) -> None:
    with pytest.raises(StaffRefused) as unknown:
        staff.disable("nobody@example.org", at(1))
    assert unknown.value.problem.code == "staff.unknown"
    staff.disable("amina@example.org", at(1))
    with pytest.raises(StaffRefused) as again:
        staff.disable("amina@example.org", at(2))
    assert again.value.problem.code == "staff.disabled"
    member = staff.member("amina@example.org")
    assert member is not None and member.disabled_at == at(1)


def test_five_failures_lock_the_email_for_fifteen_minutes(staff: StaffAccounts) -> None:
    for minute in range(MAX_FAILURES):
        assert staff.log_in("amina@example.org", "wrong guess!", at(minute), None) is None
    fifth = at(MAX_FAILURES - 1)
    with pytest.raises(LoginLocked) as locked:
        staff.log_in("amina@example.org", PASSWORD, fifth + timedelta(minutes=1), None)
    assert locked.value.until == fifth + timedelta(minutes=LOCK_MINUTES)
    assert locked.value.problem.code == "staff.locked"
    with pytest.raises(LoginLocked):  # the right password, a second before the end
        staff.log_in("amina@example.org", PASSWORD, locked.value.until - timedelta(seconds=1), None)
    member = staff.log_in("amina@example.org", PASSWORD, locked.value.until, None)
    assert member is not None
    actions = [a.action for a in reversed(staff.actions())]
    assert actions == [
        "staff_added",
        *["login_failed"] * 5,
        "login_locked",
        "login_locked",
        "login_ok",
    ]


def test_unknown_emails_are_locked_the_same_way(staff: StaffAccounts) -> None:
    for minute in range(MAX_FAILURES):
        assert staff.log_in("ghost@example.org", "guess number 1", at(minute), None) is None
    with pytest.raises(LoginLocked):
        staff.log_in("ghost@example.org", "guess number 2", at(6), None)


def test_failures_spread_wider_than_the_window_do_not_lock(staff: StaffAccounts) -> None:
    for attempt in range(2 * MAX_FAILURES):
        assert staff.log_in("amina@example.org", "wrong guess!", at(attempt * 4), None) is None
    assert staff.log_in("amina@example.org", PASSWORD, at(41), None) is not None


def test_a_success_resets_the_count(staff: StaffAccounts) -> None:
    for minute in range(MAX_FAILURES - 1):
        staff.log_in("amina@example.org", "wrong guess!", at(minute), None)
    assert staff.log_in("amina@example.org", PASSWORD, at(5), None) is not None
    for minute in range(MAX_FAILURES - 1):
        staff.log_in("amina@example.org", "wrong guess!", at(6 + minute), None)
    assert staff.log_in("amina@example.org", PASSWORD, at(11), None) is not None


def test_an_old_hash_is_replaced_at_the_next_log_in(book: Book, staff: StaffAccounts) -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    book.db.execute("UPDATE staff SET password_hash = ?", [weak])
    assert staff.log_in("amina@example.org", PASSWORD, at(1), None) is not None
    (stored,) = book.db.execute("SELECT password_hash FROM staff").fetchone()
    assert stored != weak and not PasswordHasher().check_needs_rehash(stored)


def test_language_and_the_audit_log(staff: StaffAccounts) -> None:
    staff.set_language("amina@example.org", "sw", at(1))
    member = staff.member("amina@example.org")
    assert member is not None and member.language == "sw"
    with pytest.raises(StaffRefused) as refused:
        staff.set_language("amina@example.org", "de", at(2))
    assert refused.value.problem.code == "staff.language"
    staff.log("amina@example.org", "download", "report umoja 2026-02", at(3), "10.0.0.7")
    staff.add("zola@example.org", "viewer", "another-long-pass", at(4))
    newest = staff.actions(limit=2)
    assert [(a.action, a.at) for a in newest] == [("staff_added", at(4)), ("download", at(3))]
    assert [a.action for a in staff.actions(email="zola@example.org")] == ["staff_added"]
    assert [a.action for a in staff.actions(email="amina@example.org")] == [
        "download",
        "language",
        "staff_added",
    ]


# -- vsla hub staff … ------------------------------------------------------------------------


def vsla(db: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["hub", "staff", *args, "--db", str(db)], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "hub.sqlite"
    Book.open(path).close()
    return path


def test_the_command_line_adds_lists_disables_and_shows_the_log(db: Path) -> None:
    code, out, err = vsla(
        db, "add", "Amina@Example.org", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert code == 0, err
    assert "amina@example.org" in out and "admin" in out
    code, out, err = vsla(db, "list", "--json")
    assert code == 0, err
    (listed,) = json.loads(out)["staff"]
    assert listed["email"] == "amina@example.org" and listed["role"] == "admin"
    assert listed["disabled_at"] is None
    code, out, err = vsla(db, "list")
    assert code == 0 and "amina@example.org" in out
    code, out, err = vsla(db, "disable", "amina@example.org")
    assert code == 0, err
    assert json.loads(vsla(db, "list", "--json")[1])["staff"][0]["disabled_at"] is not None
    code, out, err = vsla(db, "log", "--json", "--limit", "5")
    assert code == 0, err
    assert [a["action"] for a in json.loads(out)["actions"]] == ["staff_disabled", "staff_added"]
    code, out, err = vsla(db, "log")
    assert code == 0 and "staff_disabled" in out


def test_the_password_is_asked_twice_hidden(db: Path) -> None:
    code, _out, err = vsla(db, "add", "zola@example.org", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0, err
    book = Book.open(db)
    try:
        assert StaffAccounts(book).log_in("zola@example.org", PASSWORD, NOW, None) is not None
    finally:
        book.close()


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        (("add", "not-an-email", "--password-stdin"), PASSWORD, "not an email address"),
        (("add", "a@example.org", "--role", "boss", "--password-stdin"), PASSWORD, "role"),
        (("add", "a@example.org", "--password-stdin"), "short", "at least 10"),
        (("disable", "nobody@example.org"), None, "no staff member"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    db: Path, args: tuple[str, ...], stdin: str | None, says: str
) -> None:
    code, _out, err = vsla(db, *args, stdin=stdin)
    assert code == 2
    assert says in err
    assert json.loads(vsla(db, "list", "--json")[1]) == {"staff": []}
    assert json.loads(vsla(db, "log", "--json")[1]) == {"actions": []}

"""Staff accounts for the hub's web pages: programme staff log in there to read reports.

Why here and so: these pages show every group's figures, so who may see them is kept in the
hub's own tables (never in a journal, never synced), and a stolen database must not give the
passwords away. Passwords are kept only as argon2 hashes (slow to guess by design); a log-in
to an unknown or disabled email still runs one argon2 verification, so the answer's timing
does not tell which emails exist; and failed log-ins are counted per email, known or not, so
that guessing is stopped after MAX_FAILURES tries (and stopping does not tell either). Every
attempt and every staff action goes to an audit log (`staff_log`).

argon2 comes with the hub's extra only: it is imported where a password is hashed or checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from ledger import N_, Problem
from vsla.book.base import guarded_methods
from vsla.book.errors import BookError
from vsla.i18n import LANGUAGES
from vsla.store.connection import write_transaction

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from vsla.book.service import Book

ROLES = ("viewer", "admin")
MAX_FAILURES = 5  # failed log-ins of one email within LOCK_MINUTES lock it …
LOCK_MINUTES = 15  # … for LOCK_MINUTES
MIN_PASSWORD = 10
MAX_EMAIL = 254
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_WINDOW = timedelta(minutes=LOCK_MINUTES)


@dataclass(frozen=True, slots=True)
class StaffMember:
    email: str
    role: str
    language: str | None
    added_at: datetime
    disabled_at: datetime | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def to_json(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "role": self.role,
            "language": self.language,
            "added_at": self.added_at.isoformat(),
            "disabled_at": None if self.disabled_at is None else self.disabled_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class StaffAction:
    at: datetime
    email: str
    action: str
    detail: str
    client: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "email": self.email,
            "action": self.action,
            "detail": self.detail,
            "client": self.client,
        }


class StaffRefused(BookError):
    """A staff account change or log-in refused; nothing was changed but the audit log."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)


class LoginLocked(StaffRefused):
    """Too many failed log-ins for this email: none is tried before `until`."""

    def __init__(self, email: str, until: datetime) -> None:
        super().__init__(
            Problem(
                "staff.locked",
                N_("too many failed log-ins for {email}: try again after {until}"),
                {"email": email, "until": until.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")},
            )
        )
        self.until = until


def _refused(code: str, message: str, /, **params: Any) -> StaffRefused:
    return StaffRefused(Problem(code, message, params))


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash no password is tried against but the unknown emails', made with the same
    parameters as the real ones so that verifying it takes as long."""
    return _hasher().hash("no staff member has this password")


def normal_email(email: str) -> str:
    """`email` stripped and lower-cased; StaffRefused unless it looks like an email."""
    normal = email.strip().lower()
    if len(normal) > MAX_EMAIL or not _EMAIL.fullmatch(normal):
        raise _refused(
            "staff.email", N_('"{email}" is not an email address'), email=email.strip()[:80]
        )
    return normal


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD or len(set(password)) == 1:
        raise _refused(
            "staff.password",
            N_("a password is at least {least} characters, and not all the same one"),
            least=MIN_PASSWORD,
        )


@guarded_methods
class StaffAccounts:
    """The hub's staff accounts, their log-ins and their audit log."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.db = book.db

    # -- accounts --------------------------------------------------------------------------

    def check_new(self, email: str, role: str) -> str:
        """The normalised email if an account `email` with `role` may be added (a front end
        asks before it asks for the password); StaffRefused otherwise."""
        normal = normal_email(email)
        if role not in ROLES:
            raise _refused(
                "staff.role",
                N_("a role is one of {roles}, not {role}"),
                roles=", ".join(ROLES),
                role=role,
            )
        if self._row(normal) is not None:
            raise _refused(
                "staff.exists", N_("there is already a staff member {email}"), email=normal
            )
        return normal

    def add(self, email: str, role: str, password: str, now: datetime) -> StaffMember:
        normal = self.check_new(email, role)
        _check_password(password)
        hashed = _hasher().hash(password)
        with write_transaction(self.db):
            if self._row(normal) is not None:  # added meanwhile
                raise _refused(
                    "staff.exists", N_("there is already a staff member {email}"), email=normal
                )
            self.db.execute(
                "INSERT INTO staff (email, role, password_hash, added_at) VALUES (?, ?, ?, ?)",
                [normal, role, hashed, _text(now)],
            )
            self._log(normal, "staff_added", role, now, None)
        member = self.member(normal)
        assert member is not None
        return member

    def members(self) -> list[StaffMember]:
        rows = self.db.execute(
            "SELECT email, role, language, added_at, disabled_at FROM staff ORDER BY email"
        ).fetchall()
        return [_member(row) for row in rows]

    def member(self, email: str) -> StaffMember | None:
        row = self.db.execute(
            "SELECT email, role, language, added_at, disabled_at FROM staff WHERE email = ?",
            [email.strip().lower()],
        ).fetchone()
        return None if row is None else _member(row)

    def disable(self, email: str, now: datetime) -> None:
        normal = email.strip().lower()
        with write_transaction(self.db):
            self._active(normal)
            self.db.execute(
                "UPDATE staff SET disabled_at = ? WHERE email = ?", [_text(now), normal]
            )
            self._log(normal, "staff_disabled", "", now, None)

    def set_language(self, email: str, language: str | None, now: datetime) -> None:
        """The language the pages speak to this member (None: the browser's)."""
        if language is not None and language not in LANGUAGES:
            raise _refused(
                "staff.language",
                N_("a language is one of {languages}, not {language}"),
                languages=", ".join(LANGUAGES),
                language=language,
            )
        normal = email.strip().lower()
        with write_transaction(self.db):
            self._active(normal)
            self.db.execute("UPDATE staff SET language = ? WHERE email = ?", [language, normal])
            self._log(normal, "language", language or "", now, None)

    # -- log-ins ---------------------------------------------------------------------------

    def log_in(
        self, email: str, password: str, now: datetime, client: str | None
    ) -> StaffMember | None:
        """The member, if `password` is hers and she is active; None otherwise (unknown,
        disabled or wrong: the caller cannot tell which). LoginLocked while the email is
        locked, the password then unchecked. The failure that reaches MAX_FAILURES within
        LOCK_MINUTES returns None and locks the email for LOCK_MINUTES from then."""
        normal = email.strip().lower()[:MAX_EMAIL]
        until = self._locked_until(normal, now)
        if until is not None:
            with write_transaction(self.db):
                self._log(normal, "login_locked", "", now, client)
            raise LoginLocked(normal, until)
        row = self.db.execute(
            "SELECT password_hash, disabled_at FROM staff WHERE email = ?", [normal]
        ).fetchone()
        hasher = _hasher()
        dummy = _dummy_hash()  # made once a process, before any answer can be timed
        stored = dummy if row is None else str(row[0])
        from argon2.exceptions import VerificationError

        try:
            right: bool = hasher.verify(stored, password)
        except VerificationError:
            right = False
        if row is not None and right and row[1] is None:
            rehashed = hasher.hash(password) if hasher.check_needs_rehash(stored) else None
            with write_transaction(self.db):
                self.db.execute("DELETE FROM staff_logins WHERE email = ?", [normal])
                if rehashed is not None:
                    self.db.execute(
                        "UPDATE staff SET password_hash = ? WHERE email = ?", [rehashed, normal]
                    )
                self._log(normal, "login_ok", "", now, client)
            return self.member(normal)
        why = "unknown" if row is None else "disabled" if row[1] is not None else "wrong password"
        with write_transaction(self.db):
            self._failed(normal, now)
            self._log(normal, "login_failed", why, now, client)
        return None

    def _locked_until(self, email: str, now: datetime) -> datetime | None:
        row = self.db.execute(
            "SELECT locked_until FROM staff_logins WHERE email = ?", [email]
        ).fetchone()
        until = None if row is None else _time(row[0])
        return until if until is not None and until > now else None

    def _failed(self, email: str, now: datetime) -> None:
        """One more failure of `email`, in the current transaction; the count starts again
        once LOCK_MINUTES have passed since its first failure, or after a lock."""
        row = self.db.execute(
            "SELECT failures, first_failure_at, locked_until FROM staff_logins WHERE email = ?",
            [email],
        ).fetchone()
        first = None if row is None else _time(row[1])
        if row is None or row[2] is not None or first is None or now - first >= _WINDOW:
            failures, first = 1, now
        else:
            failures = int(row[0]) + 1
        locked = _text(now + _WINDOW) if failures >= MAX_FAILURES else None
        # Emails nobody has tried for a while are forgotten (guesses at unknown ones too).
        self.db.execute(
            "DELETE FROM staff_logins WHERE first_failure_at <= ? "
            "AND (locked_until IS NULL OR locked_until <= ?)",
            [_text(now - _WINDOW), _text(now)],
        )
        self.db.execute(
            "INSERT INTO staff_logins (email, failures, first_failure_at, locked_until) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (email) DO UPDATE SET failures = excluded.failures, "
            "first_failure_at = excluded.first_failure_at, locked_until = excluded.locked_until",
            [email, failures, _text(first), locked],
        )

    # -- the audit log ---------------------------------------------------------------------

    def log(
        self, email: str, action: str, detail: str, now: datetime, client: str | None = None
    ) -> None:
        """A line of the audit log: what a staff member did (a download, a code given …)."""
        with write_transaction(self.db):
            self._log(email.strip().lower(), action, detail, now, client)

    def actions(self, limit: int = 100, email: str | None = None) -> list[StaffAction]:
        """The audit log, newest first; only `email`'s lines if given."""
        where, params = ("WHERE email = ?", [email.strip().lower()]) if email else ("", [])
        rows = self.db.execute(
            f"SELECT at, email, action, detail, client FROM staff_log {where} "
            "ORDER BY at DESC, id DESC LIMIT ?",
            [*params, max(0, limit)],
        ).fetchall()
        return [
            StaffAction(datetime.fromisoformat(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4])
            for r in rows
        ]

    # -- internals -------------------------------------------------------------------------

    def _log(self, email: str, action: str, detail: str, now: datetime, client: str | None) -> None:
        self.db.execute(
            "INSERT INTO staff_log (at, email, action, detail, client) VALUES (?, ?, ?, ?, ?)",
            [_text(now), email, action, detail, client],
        )

    def _row(self, email: str) -> tuple[Any, ...] | None:
        row = self.db.execute(
            "SELECT email, disabled_at FROM staff WHERE email = ?", [email]
        ).fetchone()
        return None if row is None else tuple(row)

    def _active(self, email: str) -> None:
        row = self._row(email)
        if row is None:
            raise _refused("staff.unknown", N_("there is no staff member {email}"), email=email)
        if row[1] is not None:
            raise _refused("staff.disabled", N_("staff member {email} is disabled"), email=email)


def _member(row: Any) -> StaffMember:
    disabled = _time(row[4])
    return StaffMember(
        email=str(row[0]),
        role=str(row[1]),
        language=row[2],
        added_at=datetime.fromisoformat(row[3]),
        disabled_at=disabled,
    )

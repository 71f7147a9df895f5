"""Members' access to their own figures from a phone (USSD): who is calling from a number,
activation codes, PINs, locks, and the language each chose on the phone.

All of it lives in the hub's own tables (`member_access`, `activation_codes`), never in the
journal: the group's book is written by its facilitator's device, and the hub must not fork
it. PINs and codes are stored only as keyed hashes: HMAC-SHA256 over a salt per member and
the secret, with a key kept outside the database (`VSLA_HUB_PIN_KEY`). A four-digit PIN falls
to a brute force in minutes whatever the hash; the key, the lock after three wrong PINs and
resets only in person (a new activation code) are what protect it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from ledger import N_
from vsla.book.base import guarded_methods
from vsla.domain.errors import broken
from vsla.store.connection import write_transaction

if TYPE_CHECKING:
    from vsla.book.service import Book

PIN_DIGITS = 4
CODE_DIGITS = 6
MAX_FAILURES = 3
LOCK_PERIOD = timedelta(hours=24)
CODE_LIFETIME = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Caller:
    """An active member whose phone number is the one calling."""

    group_id: str
    group_name: str
    member_id: str
    name: str
    language: str  # what she chose on the phone, else her own, else her group's
    chose_language: bool
    has_pin: bool
    locked_until: datetime | None


class Check(StrEnum):
    OK = "ok"
    WRONG = "wrong"  # tries are left
    LOCKED = "locked"  # too many wrong PINs: wait, or an officer resets it
    VOID = "void"  # no usable activation code (none, used, expired, or too many tries)


@dataclass(frozen=True, slots=True)
class Verdict:
    check: Check
    tries_left: int = 0


def hub_pin_key(config: Path | None = None) -> bytes:
    """The hub's secret for PINs and codes: `VSLA_HUB_PIN_KEY`, else `pin_key` in the hub's
    TOML settings file. Without it no code can be given: say so, naming the setting."""
    value = os.environ.get("VSLA_HUB_PIN_KEY", "")
    if not value and config is not None:
        try:
            value = str(tomllib.loads(config.read_text(encoding="utf-8")).get("pin_key", ""))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise broken(
                "access.config", N_("cannot read {path}: {error}"), path=str(config), error=error
            ) from error
    if len(value) < 16:
        raise broken(
            "access.no_key",
            N_(
                "VSLA_HUB_PIN_KEY is missing or shorter than 16 characters: it is the hub's "
                "secret, and codes and PINs cannot be made without it"
            ),
        )
    return value.encode()


def _now_text(now: datetime) -> str:
    return now.astimezone(UTC).isoformat(timespec="seconds")


def _digest(key: bytes, salt: str, secret: str) -> str:
    return hmac.new(key, f"{salt}:{secret}".encode(), hashlib.sha256).hexdigest()


def is_pin(text: str) -> bool:
    return len(text) == PIN_DIGITS and text.isascii() and text.isdigit()


@guarded_methods
class MemberAccess:
    """Access of the members of the book's groups; `key` is the hub's secret."""

    def __init__(self, book: Book, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the PIN key must be at least 16 bytes")
        self.book = book
        self.key = key

    # -- who is calling ----------------------------------------------------------------------

    def callers(self, phone: str, now: datetime) -> tuple[Caller, ...]:
        """The active members with this number, in every group of the book (two members may
        share one phone)."""
        rows = self.book.db.execute(
            "SELECT m.group_id, g.name, m.member_id, m.name, m.language, g.language, "
            "a.language, a.pin_hash IS NOT NULL, a.locked_until FROM members m "
            "JOIN groups g ON g.id = m.group_id LEFT JOIN member_access a "
            "ON a.group_id = m.group_id AND a.member_id = m.member_id "
            "WHERE m.phone = ? AND m.status = 'active' ORDER BY m.group_id, m.member_id",
            [phone],
        ).fetchall()
        found = []
        for group, group_name, member, name, own, group_language, chosen, has_pin, locked in rows:
            until = None if locked is None else datetime.fromisoformat(locked)
            found.append(
                Caller(
                    group_id=str(group),
                    group_name=str(group_name),
                    member_id=str(member),
                    name=str(name),
                    language=str(chosen or own or group_language or "en"),
                    chose_language=chosen is not None,
                    has_pin=bool(has_pin),
                    locked_until=until if until is not None and until > now else None,
                )
            )
        return tuple(found)

    # -- activation codes: given in person by an officer ---------------------------------------

    def issue_code(self, group_id: str, member_id: str, now: datetime) -> str:
        """A new one-time code for the member's first session (or after a reset); an earlier
        code she did not use stops working."""
        self._member(group_id, member_id)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        salt = secrets.token_hex(16)
        with write_transaction(self.book.db):
            self.book.db.execute(
                "UPDATE activation_codes SET used_at = ? WHERE group_id = ? AND member_id = ? "
                "AND used_at IS NULL",
                [_now_text(now), group_id, member_id],
            )
            self.book.db.execute(
                "INSERT INTO activation_codes (group_id, member_id, code_hash, code_salt, "
                "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    group_id,
                    member_id,
                    _digest(self.key, salt, code),
                    salt,
                    now.astimezone(UTC).isoformat(),
                    _now_text(now + CODE_LIFETIME),
                ],
            )
        return code

    def check_code(self, group_id: str, member_id: str, code: str, now: datetime) -> Verdict:
        """The member's unused, unexpired code; three wrong tries make it void."""
        with write_transaction(self.book.db):
            row = self.book.db.execute(
                "SELECT created_at, code_hash, code_salt, failures FROM activation_codes "
                "WHERE group_id = ? AND member_id = ? AND used_at IS NULL AND expires_at > ? "
                "ORDER BY created_at DESC LIMIT 1",
                [group_id, member_id, _now_text(now)],
            ).fetchone()
            if row is None or row[3] >= MAX_FAILURES:
                return Verdict(Check.VOID)
            created, digest, salt, failures = row
            if hmac.compare_digest(digest, _digest(self.key, salt, code)):
                return Verdict(Check.OK)
            self.book.db.execute(
                "UPDATE activation_codes SET failures = failures + 1 WHERE group_id = ? "
                "AND member_id = ? AND created_at = ?",
                [group_id, member_id, created],
            )
            left = MAX_FAILURES - failures - 1
            return Verdict(Check.WRONG, left) if left > 0 else Verdict(Check.VOID)

    def activate(self, group_id: str, member_id: str, pin: str, now: datetime) -> None:
        """Her first PIN, chosen after a good code: the code is used up."""
        with write_transaction(self.book.db):
            self.book.db.execute(
                "UPDATE activation_codes SET used_at = ? WHERE group_id = ? AND member_id = ? "
                "AND used_at IS NULL",
                [_now_text(now), group_id, member_id],
            )
            self._store_pin(group_id, member_id, pin, now)

    # -- PINs ----------------------------------------------------------------------------

    def check_pin(self, group_id: str, member_id: str, pin: str, now: datetime) -> Verdict:
        """Her PIN; the third wrong one in a row locks her out for LOCK_PERIOD, across
        sessions (the count is kept here, not in the session)."""
        with write_transaction(self.book.db):
            row = self.book.db.execute(
                "SELECT pin_hash, pin_salt, failures, locked_until FROM member_access "
                "WHERE group_id = ? AND member_id = ?",
                [group_id, member_id],
            ).fetchone()
            if row is None or row[0] is None:
                return Verdict(Check.VOID)
            digest, salt, failures, locked = row
            if locked is not None and datetime.fromisoformat(locked) > now:
                return Verdict(Check.LOCKED)
            if hmac.compare_digest(digest, _digest(self.key, salt, pin)):
                if failures or locked is not None:
                    self.book.db.execute(
                        "UPDATE member_access SET failures = 0, locked_until = NULL "
                        "WHERE group_id = ? AND member_id = ?",
                        [group_id, member_id],
                    )
                return Verdict(Check.OK)
            failures = 0 if locked is not None else failures  # a lock that has passed
            left = MAX_FAILURES - failures - 1
            self.book.db.execute(
                "UPDATE member_access SET failures = ?, locked_until = ? "
                "WHERE group_id = ? AND member_id = ?",
                [
                    failures + 1,
                    None if left > 0 else _now_text(now + LOCK_PERIOD),
                    group_id,
                    member_id,
                ],
            )
            return Verdict(Check.WRONG, left) if left > 0 else Verdict(Check.LOCKED)

    def change_pin(self, group_id: str, member_id: str, pin: str, now: datetime) -> None:
        with write_transaction(self.book.db):
            self._store_pin(group_id, member_id, pin, now)

    def reset(self, group_id: str, member_id: str, now: datetime) -> str:
        """An officer's reset, in person: the PIN and the lock go, and a new activation code
        (returned) is the only way back in. Owning the phone number is never enough."""
        self._member(group_id, member_id)
        with write_transaction(self.book.db):
            self.book.db.execute(
                "UPDATE member_access SET pin_hash = NULL, pin_salt = NULL, pin_set_at = NULL, "
                "failures = 0, locked_until = NULL WHERE group_id = ? AND member_id = ?",
                [group_id, member_id],
            )
            return self.issue_code(group_id, member_id, now)

    def set_language(self, group_id: str, member_id: str, language: str) -> None:
        with write_transaction(self.book.db):
            self._ensure_row(group_id, member_id)
            self.book.db.execute(
                "UPDATE member_access SET language = ? WHERE group_id = ? AND member_id = ?",
                [language, group_id, member_id],
            )

    # -- internals -----------------------------------------------------------------------

    def _store_pin(self, group_id: str, member_id: str, pin: str, now: datetime) -> None:
        if not is_pin(pin):
            raise broken("access.pin_digits", N_("a PIN is four digits"))
        salt = secrets.token_hex(16)
        self._ensure_row(group_id, member_id)
        self.book.db.execute(
            "UPDATE member_access SET pin_hash = ?, pin_salt = ?, pin_set_at = ?, failures = 0, "
            "locked_until = NULL WHERE group_id = ? AND member_id = ?",
            [_digest(self.key, salt, pin), salt, _now_text(now), group_id, member_id],
        )

    def _ensure_row(self, group_id: str, member_id: str) -> None:
        self.book.db.execute(
            "INSERT INTO member_access (group_id, member_id) VALUES (?, ?) "
            "ON CONFLICT (group_id, member_id) DO NOTHING",
            [group_id, member_id],
        )

    def _member(self, group_id: str, member_id: str) -> None:
        row = self.book.db.execute(
            "SELECT status FROM members WHERE group_id = ? AND member_id = ?",
            [group_id, member_id],
        ).fetchone()
        if row is None or row[0] != "active":
            raise broken(
                "member.unknown",
                N_("{member} is not an active member of the group"),
                member=member_id,
            )

"""The error the rules raise for one broken rule, carrying a translatable Problem."""

from __future__ import annotations

from typing import Any

from ledger import LedgerError, Problem


class RuleBroken(LedgerError):
    """A rule of domain.md was broken; nothing was recorded."""


def broken(code: str, message: str, /, **params: Any) -> RuleBroken:
    return RuleBroken(Problem(code, message, params))

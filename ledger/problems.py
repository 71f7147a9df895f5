"""Problems: what a check found, as data, so callers can list them all and translate them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the gettext convention, so extractors find the msgid
    """Mark a message for the translation catalogue without translating it here."""
    return message


class Term(str):
    """A word inside a problem that is a message of its own (a field, a kind of entry, a
    role): the reader's language translates it before it is put in the sentence."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong, with an English message template and the values it names.

    `code` is stable (tests and scripts match on it); `message` is a msgid of the catalogue
    with `{name}` placeholders filled from `params`; `record_id` names the journal entry.
    """

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    record_id: str | None = None

    def render(self) -> str:
        return self.message.format(**self.params)


class LedgerError(ValueError):
    """A rule of the kernel was broken; carries the problem so the caller can translate it."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.render())
        self.problem = problem

    @classmethod
    def of(cls, problem_code: str, message: str, /, **params: Any) -> LedgerError:
        return cls(Problem(problem_code, message, params))

"""What the book needs of an SMS sender, whoever the provider is: send one message to one
recipient and say what became of it (`SendResult`). The book's flush
(`vsla.book.sms.flush_outbox`) works with any `Sender`; `vsla.sms.africastalking` is the real
one, and tests or another aggregator's adapter pass their own.

A sender never raises for what a provider or a network does: it answers with a result.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Delivery(StrEnum):
    """What became of one message handed to the provider."""

    ACCEPTED = "accepted"  # the provider took it (it may still fail on the network later)
    RETRY = "retry"  # a transient failure: worth trying again later
    REFUSED = "refused"  # a permanent failure: trying again would fail the same way


@dataclass(frozen=True, slots=True)
class SendResult:
    """The provider's answer about one message.

    `status` is the provider's own word for it (Africa's Talking: `Success`,
    `InvalidPhoneNumber`, `UserInBlacklist` …) or, when no answer came, what happened
    (`timeout`, `network`, `http error`); `cost` is the provider's text ("UGX 0.8000"), kept
    as it is; `unanswered`: the request as a whole got no usable answer (the provider or the
    network is down), not a refusal of this one recipient.
    """

    delivery: Delivery
    status: str
    message_id: str | None = None
    cost: str | None = None
    detail: str = ""
    unanswered: bool = False

    @classmethod
    def accepted(cls, status: str, message_id: str | None, cost: str | None) -> SendResult:
        return cls(Delivery.ACCEPTED, status, message_id=message_id, cost=cost)

    @classmethod
    def retry(cls, status: str, detail: str = "", *, unanswered: bool = False) -> SendResult:
        return cls(Delivery.RETRY, status, detail=detail, unanswered=unanswered)

    @classmethod
    def refused(cls, status: str, detail: str = "") -> SendResult:
        return cls(Delivery.REFUSED, status, detail=detail)

    @property
    def error(self) -> str:
        """What to keep as the outbox row's last error."""
        return f"{self.status}: {self.detail}" if self.detail else self.status


class Sender(Protocol):
    """Sends one SMS to one recipient (E.164, with its +) and says what became of it."""

    def send(self, recipient: str, message: str) -> SendResult: ...

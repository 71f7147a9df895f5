"""Fixtures of the SMS tests: a fake Africa's Talking on 127.0.0.1 and the real sender aimed
at it; nothing leaves the machine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sms.fake_at import FakeAfricasTalking
from vsla.sms.africastalking import AfricasTalkingSender

TIMEOUT_S = 0.5  # the sender's; a fake that waits longer times it out


@pytest.fixture(autouse=True)
def only_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests honours proxy variables: a proxy must not see (or refuse) 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def fake_at() -> Iterator[FakeAfricasTalking]:
    fake = FakeAfricasTalking()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def sender(fake_at: FakeAfricasTalking) -> AfricasTalkingSender:
    return AfricasTalkingSender(
        "vsla-hub", "key-123", sender_id="VSLA", api_host=fake_at.url, timeout=TIMEOUT_S
    )

"""The hub sends the receipts a meeting queued, through the real SDK to a fake Africa's
Talking on 127.0.0.1, and takes its delivery reports, each once."""

from __future__ import annotations

import sqlite3
import time
import urllib.parse
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.sms.fake_at import FakeAfricasTalking
from ussd.app import create_hub
from ussd.sending import sender_loop
from vsla.book.service import Book
from vsla.domain.entries import MeetingPlan, Shares

from .conftest import NOW, OWN_PHONE, TOKEN, RunningHub, free_port, hub_book, settings, start


@pytest.fixture
def fake_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAfricasTalking]:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):  # requests honours them
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    fake = FakeAfricasTalking()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def sending_hub(tmp_path: Path, fake_at: FakeAfricasTalking) -> Iterator[RunningHub]:
    db = tmp_path / "hub.sqlite"
    hub_book(db)
    configured = settings(
        at_username="vsla-hub", at_api_key="key-123", at_api_host=fake_at.url, sms_every_seconds=0.1
    )
    port = free_port()
    server, thread = start(
        create_hub(configured, db, clock=lambda: NOW, background=sender_loop), port
    )
    yield RunningHub(f"http://127.0.0.1:{port}", db)
    server.should_exit = True
    thread.join(timeout=10)


def outbox(db: Path) -> list[tuple[str, str, str | None, str | None]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT recipient, status, provider_message_id, provider_status FROM outbox "
            "ORDER BY created_at"
        ).fetchall()
    return [(str(r[0]), str(r[1]), r[2], r[3]) for r in rows]


def until(check: object, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("not in time")
        time.sleep(0.05)


def test_a_meeting_s_receipts_are_sent_and_their_reports_kept_once(
    sending_hub: RunningHub, fake_at: FakeAfricasTalking
) -> None:
    before = len(outbox(sending_hub.db))
    book = Book.open(sending_hub.db)
    book.record_meeting("umoja", MeetingPlan(date=date(2026, 1, 19), entries=(Shares("M03", 2),)))
    book.close()
    until(lambda: all(row[1] == "sent" for row in outbox(sending_hub.db)))
    rows = outbox(sending_hub.db)
    assert len(rows) == before + 1  # the new meeting's receipt, beside those of meetings 1-2
    recipient, _status, message_id, _provider = rows[-1]
    assert recipient == OWN_PHONE and message_id is not None
    report = urllib.parse.urlencode(
        {"id": message_id, "status": "Success", "phoneNumber": OWN_PHONE, "networkCode": "63902"}
    ).encode()
    for _ in range(2):  # Africa's Talking retries a report it thinks was not taken
        assert sending_hub.post(f"/sms/{TOKEN}/delivery", report)[0] == 200
    assert outbox(sending_hub.db)[-1][3] == "Success"
    with sqlite3.connect(sending_hub.db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sms_reports").fetchone()[0] == 1
    time.sleep(0.3)  # several more rounds of the sender
    mine = [row for row in rows if row[0] == OWN_PHONE]
    assert fake_at.successes(to=OWN_PHONE) == len(mine) == 3  # each receipt sent once
    assert sending_hub.post("/sms/wrong-token-00000000/delivery", report)[0] == 404

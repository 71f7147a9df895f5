"""`vsla sms flush` and `vsla sms report`, through the command line as a hub's cron runs them,
with the Africa's Talking account in the environment and the fake API on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.sms.fake_at import FakeAfricasTalking, Reply
from tests.support import meet, new_group, week
from vsla.book.service import Book
from vsla.cli import app
from vsla.domain.entries import Shares


@pytest.fixture
def hub_book(tmp_path: Path) -> Path:
    path = tmp_path / "hub.sqlite"
    book = Book.open(path)
    new_group(book)
    meet(book, week(1), Shares("M01", 2), Shares("M02", 1))
    book.close()
    return path


def environment(fake_at: FakeAfricasTalking, **changes: str | None) -> dict[str, str | None]:
    env: dict[str, str | None] = {
        "VSLA_LANG": "en",
        "VSLA_HUB_AT_USERNAME": "vsla-hub",
        "VSLA_HUB_AT_API_KEY": "key-123",
        "VSLA_HUB_AT_SENDER_ID": "VSLA",
        "VSLA_HUB_AT_API_HOST": fake_at.url,
    }
    env.update(changes)
    return env


def vsla(path: Path, env: dict[str, str | None], *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--db", str(path)], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_flush_sends_and_the_report_shows_it(hub_book: Path, fake_at: FakeAfricasTalking) -> None:
    env = environment(fake_at)
    fake_at.answer(Reply(), Reply(recipient=(406, "UserInBlacklist")))
    code, out, err = vsla(hub_book, env, "sms", "flush")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "umoja M02: failed (UserInBlacklist)",
        "sent 1, failed 1, to retry 0; waiting in the outbox: 0",
    ]
    assert [(r.form["to"], r.form["from"], r.api_key) for r in fake_at.requests] == [
        ("+256700000001", "VSLA", "key-123"),
        ("+256700000002", "VSLA", "key-123"),
    ]
    code, out, _ = vsla(hub_book, env, "sms", "report", "--json")
    assert code == 0
    assert json.loads(out) == {
        "receipts": [
            {
                "group": "umoja",
                "cycle": 1,
                "sent": 1,
                "delivered": 0,
                "undelivered": 0,
                "failed": 1,
                "pending": 0,
                "cost": {"UGX": "0.8000"},
            }
        ]
    }
    code, out, _ = vsla(hub_book, env, "sms", "report", "umoja")
    assert code == 0 and "umoja" in out and "UGX 0.8000" in out
    assert vsla(hub_book, env, "sms", "flush")[1].splitlines() == [
        "sent 0, failed 0, to retry 0; waiting in the outbox: 0"
    ]
    assert len(fake_at.requests) == 2


def test_flush_with_json_and_a_limit(hub_book: Path, fake_at: FakeAfricasTalking) -> None:
    code, out, _ = vsla(hub_book, environment(fake_at), "sms", "flush", "--limit", "1", "--json")
    assert code == 0
    flushed = json.loads(out)
    assert (flushed["sent"], flushed["left"], flushed["stopped"]) == (1, 1, False)
    assert [(m["member"], m["outcome"], m["status"]) for m in flushed["messages"]] == [
        ("M01", "sent", "Success")
    ]


@pytest.mark.parametrize("missing", ["VSLA_HUB_AT_USERNAME", "VSLA_HUB_AT_API_KEY"])
def test_a_missing_account_is_bad_input_named(
    hub_book: Path, fake_at: FakeAfricasTalking, missing: str
) -> None:
    code, _, err = vsla(hub_book, environment(fake_at, **{missing: None}), "sms", "flush")
    assert code == 2
    assert err.startswith(f"error: {missing} is not set")
    assert fake_at.requests == []


def test_an_unreachable_provider_is_exit_status_1(
    hub_book: Path, fake_at: FakeAfricasTalking
) -> None:
    url = fake_at.url
    fake_at.stop()
    code, out, err = vsla(hub_book, environment(fake_at, VSLA_HUB_AT_API_HOST=url), "sms", "flush")
    assert code == 1
    assert "sent 0, failed 0, to retry 2; waiting in the outbox: 2" in out
    assert "Africa's Talking could not be reached" in err


def test_the_report_of_an_unknown_group_is_bad_input(
    hub_book: Path, fake_at: FakeAfricasTalking
) -> None:
    code, _, err = vsla(hub_book, environment(fake_at), "sms", "report", "nowhere")
    assert code == 2
    assert err == 'error: there is no group "nowhere" in this book\n'

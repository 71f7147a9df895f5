"""Sync in the book, both ends, without HTTP: a device's group "umoja" (UGX, shares of
1,000) pushed to an empty hub; what is stored, what is refused and kept in quarantine."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ledger import LedgerError
from ledger.chain import GENESIS_HASH, entry_hash
from ledger.wire import from_wire
from vsla.book.service import Book
from vsla.book.sync import Head, SyncDevice, SyncHub, SyncRefused
from vsla.domain.entries import NewLoan, Shares

from ..support import meet, new_group, week

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def phone(tmp_path: Path) -> Iterator[Book]:
    """Device "phone-a": umoja, 5 members; meeting 1: M01 5 shares, M02 3; meeting 2: M03 2
    shares and M01 borrows 6,000 for 2 months."""
    book = Book.open(tmp_path / "phone.sqlite")
    new_group(book)
    meet(book, week(1), Shares("M01", 5), Shares("M02", 3))
    meet(book, week(2), Shares("M03", 2), NewLoan("M01", 6_000, 2))
    yield book
    book.close()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Book]:
    book = Book.open(tmp_path / "hub.sqlite")
    SyncHub(book).add_device("phone-a", NOW)
    SyncHub(book).add_device("phone-b", NOW)
    yield book
    book.close()


def push(hub: Book, device: str, batch: list[Any]) -> Any:
    return SyncHub(hub).receive(device, "umoja", batch, NOW)


def test_a_push_is_stored_once_and_the_hub_equals_the_device(phone: Book, hub: Book) -> None:
    batch = SyncDevice(phone).pending("umoja")
    ack = push(hub, "phone-a", batch)
    assert (ack.stored, ack.already) == (len(batch), 0)
    assert ack.head == Head(*phone.journal.head_link("umoja"))  # type: ignore[misc]
    assert hub.journal.balances("umoja") == phone.journal.balances("umoja")
    assert hub.journal.verify("umoja") == []
    assert hub.state("umoja").savings_minor("M01") == 5_000  # projected as on the phone
    assert hub.state("umoja").loan_fund_cash_minor == 4_000  # 10,000 in, 6,000 lent
    again = push(hub, "phone-a", batch)  # the answer was lost: the same push again
    assert (again.stored, again.already, again.head) == (0, len(batch), ack.head)
    assert SyncHub(hub).writer("umoja") == "phone-a"
    SyncDevice(phone).acknowledge("umoja", ack.head, NOW)
    assert SyncDevice(phone).waiting("umoja") == 0 and SyncDevice(phone).pending("umoja") == []


def test_later_entries_continue_from_the_acknowledged_head(phone: Book, hub: Book) -> None:
    device = SyncDevice(phone)
    first = push(hub, "phone-a", device.pending("umoja"))
    device.acknowledge("umoja", first.head, NOW)
    meet(phone, week(3), Shares("M04", 4))
    assert device.waiting("umoja") == len(device.pending("umoja")) > 0
    second = push(hub, "phone-a", device.pending("umoja"))
    assert second.already == 0 and second.stored == device.waiting("umoja")
    assert hub.journal.balances("umoja") == phone.journal.balances("umoja")


def test_a_second_device_with_its_own_umoja_is_a_fork_kept_in_quarantine(
    phone: Book, hub: Book, tmp_path: Path
) -> None:
    push(hub, "phone-a", SyncDevice(phone).pending("umoja"))
    other = Book.open(tmp_path / "other.sqlite")
    new_group(other)
    meet(other, week(1), Shares("M01", 1))
    move_to_b = SyncHub(hub)
    move_to_b.move_group("umoja", "phone-b", NOW)  # handed over, yet its chain is not the hub's
    with pytest.raises(SyncRefused) as refused:
        push(hub, "phone-b", SyncDevice(other).pending("umoja"))
    said = refused.value.problem.render()
    assert refused.value.problem.code == "sync.fork"
    assert "entry 1:" in said and "device phone-b sent" in said and "device phone-a;" in said
    kept = SyncHub(hub).quarantined_one(refused.value.quarantined)
    assert kept.line.device == "phone-b"
    assert kept.entries == tuple(SyncDevice(other).pending("umoja"))  # whole, as it came
    assert hub.journal.balances("umoja") == phone.journal.balances("umoja")  # nothing merged
    other.close()


def test_only_the_groups_writer_may_push_until_it_is_handed_over(phone: Book, hub: Book) -> None:
    batch = SyncDevice(phone).pending("umoja")
    push(hub, "phone-a", batch[:5])
    with pytest.raises(SyncRefused) as refused:
        push(hub, "phone-b", batch)  # a copy of phone-a's book on another phone
    assert refused.value.problem.code == "sync.not_the_writer"
    assert "phone-a" in refused.value.problem.render()
    SyncHub(hub).move_group("umoja", "phone-b", NOW)
    ack = push(hub, "phone-b", batch)
    assert (ack.already, ack.stored) == (5, len(batch) - 5)
    with pytest.raises(SyncRefused):
        push(hub, "phone-a", batch)
    assert [q.device for q in SyncHub(hub).quarantined("umoja")] == ["phone-b", "phone-a"]


def tampered(batch: list[Any]) -> list[Any]:
    changed = copy.deepcopy(batch)
    tx = next(e for e in changed if e["type"] == "tx" and e["postings"][0][1] > 0)
    tx["postings"][0][1] += 1
    tx["postings"][1][1] -= 1  # still balanced: only the hash can tell
    return changed


def relinked(batch: list[Any]) -> list[Any]:
    """Entry 4 chained after nothing, its own hash made to match: only the link can tell."""
    changed = copy.deepcopy(batch)
    entry = from_wire(changed[3])
    changed[3]["prev_hash"] = GENESIS_HASH
    changed[3]["hash"] = entry_hash(entry.record, entry.seq, GENESIS_HASH)
    return changed


@pytest.mark.parametrize(
    "spoil",
    [
        tampered,
        relinked,
        lambda b: [*b[:3], {**b[3], "seq": "4"}, *b[4:]],
        lambda b: [*b[:2], b[3], b[2], *b[4:]],
        lambda b: [*b[:3], {k: v for k, v in b[3].items() if k != "memo"}, *b[4:]],
        lambda b: [*b[:3], {**b[3], "payload": b[3]["payload"] + " "}, *b[4:]],
        lambda b: b[2:],
    ],
    ids=[
        "an amount",
        "a link rewritten",
        "a seq as text",
        "two swapped",
        "a field missing",
        "payload",
        "a gap",
    ],
)
def test_a_batch_with_one_bad_entry_is_refused_whole(phone: Book, hub: Book, spoil: Any) -> None:
    batch = SyncDevice(phone).pending("umoja")
    with pytest.raises(SyncRefused) as refused:
        push(hub, "phone-a", spoil(batch))
    assert hub.journal.head_link("umoja") is None  # nothing of it stored
    assert SyncHub(hub).quarantined_one(refused.value.quarantined).entries == tuple(spoil(batch))
    assert push(hub, "phone-a", batch).stored == len(batch)  # the true one still goes in


def test_an_altered_entry_is_named_whether_new_or_already_held(phone: Book, hub: Book) -> None:
    """The hub hashes a new entry once, as its journal links it: an amount changed (still
    balanced, its old hash kept) is found there and named. An entry the hub already holds
    is not linked again, so it is hashed on its own: sent again altered, it is refused too,
    though its hash is the one the hub holds."""
    batch = SyncDevice(phone).pending("umoja")
    spoiled = tampered(batch)
    altered = next(new["id"] for new, old in zip(spoiled, batch, strict=True) if new != old)
    with pytest.raises(SyncRefused) as refused:
        push(hub, "phone-a", spoiled)
    assert refused.value.problem.code == "chain.altered"
    assert refused.value.problem.params["id"] == altered
    assert hub.journal.head_link("umoja") is None
    push(hub, "phone-a", batch)
    held = hub.journal.balances("umoja")
    with pytest.raises(SyncRefused) as again:
        push(hub, "phone-a", spoiled)
    assert (again.value.problem.code, again.value.problem.params["id"]) == (
        "chain.altered",
        altered,
    )
    assert hub.journal.balances("umoja") == held


@pytest.mark.parametrize("spoil", [tampered, relinked], ids=["an amount", "a link rewritten"])
def test_a_restore_takes_nothing_altered_from_the_hub(
    phone: Book, tmp_path: Path, spoil: Any
) -> None:
    """A new phone restoring umoja checks what the hub sends as the hub checks a push: an
    entry altered on the way (or on the hub) stops the restore, and nothing is kept."""
    sent = SyncDevice(phone).pending("umoja")
    new_phone = Book.open(tmp_path / "new-phone.sqlite")
    with pytest.raises(LedgerError) as refused:
        SyncDevice(new_phone).restore("umoja", spoil(sent), NOW)
    assert refused.value.problem.code in ("chain.altered", "chain.broken_link")
    assert new_phone.journal.head_link("umoja") is None
    head = SyncDevice(new_phone).restore("umoja", sent, NOW)
    assert head == Head(*phone.journal.head_link("umoja"))  # type: ignore[misc]
    assert new_phone.journal.balances("umoja") == phone.journal.balances("umoja")
    new_phone.close()


def test_devices_are_named_revoked_and_known_by_token_only(hub: Book) -> None:
    token = SyncHub(hub).add_device("laptop-1", NOW)
    assert SyncHub(hub).device_for(token) == "laptop-1"
    assert token not in str(hub.db.execute("SELECT * FROM devices").fetchall())
    SyncHub(hub).revoke("laptop-1", NOW)
    assert SyncHub(hub).device_for(token) is None
    assert [d.revoked_at is not None for d in SyncHub(hub).devices()] == [True, False, False]
    for bad in ("", "a b", "x" * 41, "../etc"):
        with pytest.raises(Exception, match="device name"):
            SyncHub(hub).add_device(bad, NOW)


def test_a_push_carries_whole_meetings_and_a_whole_group_making(phone: Book) -> None:
    everything = SyncDevice(phone).pending("umoja")
    meeting_sizes = []
    for limit in range(1, len(everything) + 2):
        batch = SyncDevice(phone).pending("umoja", limit)
        kinds = [entry["kind"] for entry in batch]
        assert kinds.count("meeting_opened") == kinds.count("meeting_closed"), limit
        assert kinds.count("group_created") == kinds.count("cycle_started") == 1, limit
        assert batch == everything[: len(batch)]  # in chain order, from the start
        meeting_sizes.append(len(batch))
    # Below a whole meeting's size the batch still carries one whole unit; never half.
    assert meeting_sizes[-1] == len(everything) and min(meeting_sizes) >= 1


def test_groups_that_stopped_syncing_are_listed_oldest_first(phone: Book, hub: Book) -> None:
    push(hub, "phone-a", SyncDevice(phone).pending("umoja"))  # pushed on 2026-03-01
    new_group(hub, "tumaini")  # made on the hub itself: never pushed
    later = SyncHub(hub).stale(14, NOW + timedelta(days=20))
    assert [(g.group_id, g.writer, g.days) for g in later] == [
        ("tumaini", None, None),
        ("umoja", "phone-a", 20),
    ]
    soon = SyncHub(hub).stale(14, NOW + timedelta(days=3))
    assert [g.group_id for g in soon] == ["tumaini"]


def outbox(book: Book, meetings: tuple[int, ...]) -> list[tuple[str, str, str]]:
    marks = ",".join("?" * len(meetings))
    return [
        tuple(r)
        for r in book.db.execute(
            "SELECT member_id, recipient, message FROM outbox "
            f"WHERE meeting_number IN ({marks}) ORDER BY meeting_number, member_id",
            list(meetings),
        )
    ]


def test_recent_meetings_that_arrive_by_sync_queue_their_receipts_once(
    hub: Book, tmp_path: Path
) -> None:
    """Meetings of 2026-01-05, 01-12 and 01-19 reach the hub on 01-24: the last two are
    within 14 days, and their members get the receipts the phone queued itself. M01 agreed
    to balances after the first: her receipt of 01-12 says what she had then (6 shares,
    UGX 6,000), not after 01-19 (8 shares, UGX 8,000)."""
    phone = Book.open(tmp_path / "phone-c.sqlite")
    new_group(phone)
    meet(phone, week(1), Shares("M01", 5), Shares("M02", 3))
    phone.update_member("umoja", "M01", on=week(1), sms_balances=True)
    meet(phone, week(2), Shares("M01", 1), Shares("M03", 2))
    meet(phone, week(3), Shares("M01", 2), Shares("M04", 1))
    now = datetime(2026, 1, 24, 12, 0, tzinfo=UTC)
    batch = SyncDevice(phone).pending("umoja")
    SyncHub(hub).receive("phone-a", "umoja", batch, now)
    on_hub = outbox(hub, (1, 2, 3))
    assert on_hub == outbox(phone, (2, 3))  # as the phone made them; none for 01-05
    m03 = "Umoja Women's Group 2026-01-12: shares 2 (UGX 2,000)."
    assert ("M03", "+256700000003", m03) in on_hub
    assert [message for member, _, message in on_hub if member == "M01"] == [
        "Umoja Women's Group 2026-01-12: shares 1 (UGX 1,000). savings UGX 6,000 (6 shares).",
        "Umoja Women's Group 2026-01-19: shares 2 (UGX 2,000). savings UGX 8,000 (8 shares).",
    ]
    SyncHub(hub).receive("phone-a", "umoja", batch, now)  # the same push again
    assert outbox(hub, (1, 2, 3)) == on_hub
    phone.close()

"""A seeded, bounded run of two devices and one hub: meetings on either device, pushes
(some cut before the hub takes them, some after it committed, their answer lost), handovers
and restores on a new phone, in random order. At the end: every entry a device was told the
hub holds is on the hub exactly once, at its place; every refused entry is in quarantine;
every chain verifies; the writer's balances equal the hub's."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ledger import LedgerError
from vsla.book.service import Book
from vsla.book.sync import SyncDevice, SyncHub, SyncRefused
from vsla.domain.entries import Shares

from ..support import meet, new_group, week

NOW = datetime(2026, 3, 1, tzinfo=UTC)
STEPS = 40


class World:
    def __init__(self, tmp_path: Path, rng: random.Random) -> None:
        self.tmp, self.rng = tmp_path, rng
        self.hub = Book.open(tmp_path / "hub.sqlite")
        for name in ("a", "b"):
            SyncHub(self.hub).add_device(name, NOW)
        self.books: dict[str, Book | None] = {"a": Book.open(tmp_path / "a0.sqlite"), "b": None}
        a = self.books["a"]
        assert a is not None
        new_group(a)
        self.writer = "a"
        self.phones = 0
        self.refused_ids: set[str] = set()
        self.push("a", None)  # the group as it was made, on the hub from the start

    def meeting(self, name: str) -> None:
        book = self.books[name]
        if book is None or SyncDevice(book).head("umoja") is None:
            return  # a new phone the hub had nothing for yet
        head = book.state("umoja").last_meeting
        number = 0 if head is None else (head.date - week(1)).days // 7 + 1
        member = f"M0{self.rng.randint(1, 5)}"
        meet(book, week(number + 1), Shares(member, self.rng.randint(1, 5)))

    def push(self, name: str, cut: str | None) -> None:
        book = self.books[name]
        if book is None:
            return
        device = SyncDevice(book)
        batch = device.pending("umoja", self.rng.choice((3, 10, 1000)))
        if not batch or cut == "before":
            return
        try:
            ack = SyncHub(self.hub).receive(name, "umoja", batch, NOW)
        except SyncRefused:
            self.refused_ids |= {entry["id"] for entry in batch}
            return
        if cut != "after":
            device.acknowledge("umoja", ack.head, NOW)

    def hand_over(self, fresh_phone: bool) -> None:
        """The group goes to the other device: on a new phone restored from the hub, or on
        its old phone, brought up to the hub's head when its chain is a prefix of the hub's
        (a phone that recorded meetings the hub refused cannot be: its pushes are forks)."""
        name = "b" if self.writer == "a" else "a"
        SyncHub(self.hub).move_group("umoja", name, NOW)
        book = self.books[name]
        if fresh_phone or book is None:
            self.phones += 1
            book = Book.open(self.tmp / f"{name}{self.phones}.sqlite")
        self.books[name] = book
        self.writer = name
        hub, device = SyncHub(self.hub), SyncDevice(book)
        try:
            while batch := hub.entries("umoja", getattr(device.head("umoja"), "seq", 0), 50):
                device.restore("umoja", batch, NOW)
        except LedgerError:
            pass  # its own chain parts from the hub's: it stays as it is


@pytest.mark.parametrize("seed", range(1, 9))
def test_two_devices_and_a_hub_in_any_order(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    world = World(tmp_path, rng)
    acknowledged: dict[str, set[tuple[int, str]]] = {}
    for _ in range(STEPS):
        step = rng.choice(
            ("meeting", "meeting", "meeting", "push", "push", "cut", "handover", "other")
        )
        if step == "meeting":
            world.meeting(world.writer)
        elif step == "other":
            world.meeting("b" if world.writer == "a" else "a")  # a fork in the making
        elif step in ("push", "cut"):
            name = rng.choice(("a", "b"))
            world.push(name, rng.choice(("before", "after")) if step == "cut" else None)
        else:
            world.hand_over(fresh_phone=rng.random() < 0.5)
        for name, book in world.books.items():
            if book is not None:
                acked = SyncDevice(book).acknowledged("umoja")
                if acked is not None:
                    acknowledged.setdefault(name, set()).add((acked.seq, acked.hash))
    world.push(world.writer, None)  # the writer's last push, whole
    if SyncDevice(world.books[world.writer]).waiting("umoja"):  # type: ignore[arg-type]
        world.hand_over(fresh_phone=True)  # refused: staff have it re-entered on a new phone
        world.hand_over(fresh_phone=True)
    writer = world.books[world.writer]
    assert writer is not None
    hub = world.hub
    on_hub = {e.seq: e for e in hub.journal.entries("umoja")}
    ids = [e.record.id for e in on_hub.values()]
    assert len(ids) == len(set(ids))  # each entry once
    for name, heads in acknowledged.items():
        for seq, hash_ in heads:  # every head a device was told the hub holds, it holds
            assert on_hub[seq].hash == hash_, (name, seq)
    quarantined = {
        entry["id"]
        for line in SyncHub(hub).quarantined("umoja")
        for entry in SyncHub(hub).quarantined_one(line.number).entries
    }
    assert world.refused_ids <= quarantined
    assert hub.journal.verify("umoja") == []
    for book in world.books.values():
        if book is not None:
            assert book.journal.verify("umoja") == []
    assert SyncDevice(writer).waiting("umoja") == 0
    assert hub.journal.balances("umoja") == writer.journal.balances("umoja")
    assert ids  # a run that did something

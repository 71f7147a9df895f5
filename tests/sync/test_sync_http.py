"""Devices push to a hub process over real HTTP on 127.0.0.1 (`vsla sync`, `vsla hub …`).

Device "phone-a" keeps group "umoja" (UGX, shares of 1,000): meeting 1, M01 buys 5 shares
and M02 3; meeting 2, M03 buys 2 and M01 borrows 6,000. Its loan fund then holds 4,000."""

from __future__ import annotations

import copy
import json
import shutil
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vsla.book.service import Book
from vsla.book.sync import SyncDevice
from vsla.domain.entries import NewLoan, Shares

from ..support import meet, new_group, week
from .conftest import HubProcess, vsla


@pytest.fixture
def phone_a(tmp_path: Path) -> Path:
    path = tmp_path / "phone-a.sqlite"
    book = Book.open(path)
    new_group(book)
    meet(book, week(1), Shares("M01", 5), Shares("M02", 3))
    meet(book, week(2), Shares("M03", 2), NewLoan("M01", 6_000, 2))
    book.close()
    return path


def sync(hub: HubProcess, device: str, db: Path, *more: str) -> tuple[int, Any, str]:
    code, out, err = vsla(
        "sync", "--hub", hub.url, "--token", hub.tokens[device], "--json", *more, db=db
    )
    return code, json.loads(out) if out.strip() else None, err


def balances(db: Path) -> dict[str, int]:
    book = Book.open(db)
    try:
        return book.journal.balances("umoja")
    finally:
        book.close()


def entries_on(db: Path) -> list[str]:
    book = Book.open(db)
    try:
        return [e.record.id for e in book.journal.entries("umoja")]
    finally:
        book.close()


def test_push_then_push_again(hub: HubProcess, phone_a: Path) -> None:
    code, report, err = sync(hub, "phone-a", phone_a)
    assert code == 0, err
    sent = report["groups"]["umoja"]
    assert sent["sent"] == sent["stored"] == len(entries_on(phone_a)) and sent["waiting"] == 0
    assert balances(hub.db) == balances(phone_a)
    assert balances(hub.db)["assets:cash:loan_fund"] == 4_000
    assert vsla("check", db=hub.db)[0] == 0
    code, report, _ = sync(hub, "phone-a", phone_a)  # nothing new: nothing sent
    assert code == 0 and report["groups"]["umoja"]["sent"] == 0
    book = Book.open(phone_a)  # the device lost its acknowledgements (a crash, a restore)
    book.db.execute("DELETE FROM sync_acks")
    book.close()
    code, report, _ = sync(hub, "phone-a", phone_a)
    assert code == 0 and report["groups"]["umoja"]["stored"] == 0  # all "already have"
    assert entries_on(hub.db) == entries_on(phone_a)  # each entry once, in order


class Cutter:
    """A TCP proxy to the hub that cuts the device's connection once: `before` a request
    reaches the hub, or `after` the hub answered (it committed) but before the answer
    reaches the device. Everything else goes through whole, kept-alive connections too."""

    def __init__(self, target: int, when: str) -> None:
        self.target, self.when, self.cut = target, when, False
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            client, _ = self.server.accept()
            threading.Thread(target=self.relay, args=(client,), daemon=True).start()

    def relay(self, client: socket.socket) -> None:
        with client, socket.create_connection(("127.0.0.1", self.target)) as upstream:
            while (request := self.read_message(client)) is not None:
                if not self.cut and self.when == "before":
                    self.cut = True
                    return  # the hub never sees it
                upstream.sendall(request)
                answer = self.read_message(upstream)
                if answer is None:
                    return
                if not self.cut and self.when == "after":
                    self.cut = True
                    return  # the hub committed; the device never hears it
                client.sendall(answer)

    @staticmethod
    def read_message(peer: socket.socket) -> bytes | None:
        """One HTTP request or answer (its head, and a body of its Content-Length); None
        when the peer closed the connection first."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = peer.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        while len(body) < length:
            body += peer.recv(65536)
        return head + b"\r\n\r\n" + body


class Proxy(Cutter):
    """A plain HTTP proxy in front of the hub: it takes requests for whole addresses
    ("POST http://127.0.0.1:PORT/sync/umoja"), notes each, and forwards them in origin
    form. It counts the connections it is given."""

    def __init__(self, target: int) -> None:
        self.seen: list[str] = []
        self.connections = 0
        super().__init__(target, when="never")

    def relay(self, client: socket.socket) -> None:
        self.connections += 1
        with client, socket.create_connection(("127.0.0.1", self.target)) as upstream:
            while (request := self.read_message(client)) is not None:
                line, _, rest = request.partition(b"\r\n")
                method, target, version = line.split(b" ")
                self.seen.append(f"{method.decode()} {target.decode()}")
                origin = b"/" + target.split(b"/", 3)[3] if target.startswith(b"http") else target
                upstream.sendall(b" ".join((method, origin, version)) + b"\r\n" + rest)
                answer = self.read_message(upstream)
                if answer is None:
                    return
                client.sendall(answer)


def test_sync_goes_through_the_proxy_the_environment_names_on_one_connection(
    hub: HubProcess, phone_a: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A device behind a proxy (HTTP_PROXY, as urllib reads it) pushes through it; the
    batches of a run (of 8 entries here) share one kept-alive connection. NO_PROXY sends
    it straight."""
    monkeypatch.setattr("vsla.cli.sync.BATCH", 8)
    proxy = Proxy(int(hub.url.rsplit(":", 1)[1]))
    for name in ("HTTP_PROXY", "http_proxy"):  # urllib prefers the lower case one
        monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    code, report, err = vsla(
        "sync", "--hub", hub.url, "--token", hub.tokens["phone-a"], "--json", db=phone_a
    )
    assert code == 0, err
    on_phone = len(entries_on(phone_a))
    assert json.loads(report)["groups"]["umoja"]["stored"] == on_phone
    pushes = [seen for seen in proxy.seen if seen.startswith("POST")]
    assert pushes == [f"POST {hub.url}/sync/umoja"] * len(pushes) and len(pushes) >= 2
    assert proxy.connections == 1
    assert entries_on(hub.db) == entries_on(phone_a)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1")
    book = Book.open(phone_a)
    meet(book, week(6), Shares("M04", 1))
    book.close()
    before = len(proxy.seen)
    assert sync(hub, "phone-a", phone_a)[0] == 0
    assert len(proxy.seen) == before and entries_on(hub.db) == entries_on(phone_a)


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_push_cut_mid_batch_loses_nothing_and_stores_nothing_twice(
    hub: HubProcess, phone_a: Path, when: str
) -> None:
    cutter = Cutter(int(hub.url.rsplit(":", 1)[1]), when)
    through = HubProcess(f"http://127.0.0.1:{cutter.port}", hub.db, hub.tokens)
    code, _, err = sync(through, "phone-a", phone_a)
    assert code == 1 and "cannot be reached" in err  # nothing marked as sent
    book = Book.open(phone_a)
    assert SyncDevice(book).waiting("umoja") == len(entries_on(phone_a))
    book.close()
    on_hub = len(entries_on(hub.db)) if when == "after" else 0
    assert on_hub == (len(entries_on(phone_a)) if when == "after" else 0)
    code, report, err = sync(through, "phone-a", phone_a)  # the next run, whole
    assert code == 0, err
    assert report["groups"]["umoja"]["stored"] == len(entries_on(phone_a)) - on_hub
    assert entries_on(hub.db) == entries_on(phone_a)
    assert balances(hub.db) == balances(phone_a)


def test_another_device_is_refused_and_its_push_kept_until_handover(
    hub: HubProcess, phone_a: Path, tmp_path: Path
) -> None:
    assert sync(hub, "phone-a", phone_a)[0] == 0
    phone_b = tmp_path / "phone-b.sqlite"
    shutil.copy(phone_a, phone_b)  # the group's book copied onto a second phone
    for phone, day in ((phone_b, 3), (phone_a, 3)):
        book = Book.open(phone)
        meet(book, week(day), Shares("M04", 1 if phone == phone_a else 2))
        book.close()
    code, report, _ = sync(hub, "phone-b", phone_b)
    assert code == 1 and "umoja" in report["refused"]
    assert "written by device phone-a, not phone-b" in report["refused"]["umoja"]
    code, out, _ = vsla("hub", "quarantine", "list", "--json", db=hub.db)
    (kept,) = json.loads(out)["quarantine"]
    assert (kept["device"], kept["code"]) == ("phone-b", "sync.not_the_writer")
    code, out, _ = vsla("hub", "quarantine", "show", str(kept["number"]), db=hub.db)
    whole = json.loads(out)
    assert len(whole["entries"]) == kept["entries"] > 0 and whole["device"] == "phone-b"
    assert {e["id"] for e in whole["entries"]} <= set(entries_on(phone_b))
    # Both phones recorded a third meeting: handing the group to phone-b does not merge them.
    assert vsla("hub", "group", "move", "umoja", "--to", "phone-b", db=hub.db)[0] == 0
    code, report, err = sync(hub, "phone-b", phone_b)
    assert code == 0, (report, err)  # now the writer: its meeting 3 is stored
    code, report, _ = sync(hub, "phone-a", phone_a)
    assert code == 1 and "written by device phone-b, not phone-a" in report["refused"]["umoja"]
    assert report["groups"]["umoja"]["waiting"] > 0  # phone-a's meeting 3 stays on phone-a
    assert balances(hub.db) == balances(phone_b) != balances(phone_a)


def test_a_fork_after_handover_names_both_devices(
    hub: HubProcess, phone_a: Path, tmp_path: Path
) -> None:
    assert sync(hub, "phone-a", phone_a)[0] == 0
    phone_b = tmp_path / "phone-b.sqlite"
    book = Book.open(phone_b)
    new_group(book)  # its own "umoja", made again from scratch
    meet(book, week(1), Shares("M01", 1))
    book.close()
    vsla("hub", "group", "move", "umoja", "--to", "phone-b", db=hub.db)
    code, report, _ = sync(hub, "phone-b", phone_b)
    said = report["refused"]["umoja"]
    assert code == 1 and "part at entry 1" in said
    assert "device phone-b sent" in said and "from device phone-a" in said
    assert entries_on(hub.db) == entries_on(phone_a)


def post(hub: HubProcess, token: str, body: bytes) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{hub.url}/sync/umoja",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_tampered_entry_refuses_the_whole_batch(hub: HubProcess, phone_a: Path) -> None:
    book = Book.open(phone_a)
    batch = SyncDevice(book).pending("umoja")
    book.close()
    spoiled = copy.deepcopy(batch)
    tx = next(e for e in spoiled if e["type"] == "tx")
    tx["postings"][0][1] += 100
    tx["postings"][1][1] -= 100
    status, answer = post(hub, hub.tokens["phone-a"], json.dumps({"entries": spoiled}).encode())
    assert status == 422 and answer["error"]["code"] == "chain.altered"
    assert entries_on(hub.db) == [] and answer["quarantined"] >= 1
    status, answer = post(hub, hub.tokens["phone-a"], json.dumps({"entries": batch}).encode())
    assert status == 200 and answer["stored"] == len(batch)


@pytest.mark.parametrize(
    ("token", "body", "status"),
    [
        ("wrong-token", b'{"entries": []}', 401),
        ("phone-a", b"not json", 400),
        ("phone-a", b'{"entries": {}}', 400),
        ("phone-a", b'{"entries": []}', 422),
        ("phone-a", b'{"entries": [1, "x", null]}', 422),
    ],
)
def test_what_the_hub_cannot_take_is_a_clear_4xx(
    hub: HubProcess, token: str, body: bytes, status: int
) -> None:
    got, answer = post(hub, hub.tokens.get(token, token), body)
    assert got == status and answer["error"]["message"]


def test_a_revoked_token_is_refused(hub: HubProcess, phone_a: Path) -> None:
    assert vsla("hub", "device", "revoke", "phone-a", db=hub.db)[0] == 0
    code, report, _ = sync(hub, "phone-a", phone_a)
    assert code == 1 and "does not know this device's token" in report["refused"]["umoja"]
    assert entries_on(hub.db) == []


@pytest.fixture(autouse=True)
def _no_backups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("VSLA_BACKUP_DIR", str(tmp_path / "backups"))
    yield


def test_a_new_device_restores_the_group_then_writes_it_once_handed_over(
    hub: HubProcess, phone_a: Path, tmp_path: Path
) -> None:
    assert sync(hub, "phone-a", phone_a)[0] == 0
    phone_b = tmp_path / "phone-b.sqlite"  # a new phone: no book yet
    code, out, err = vsla(
        "restore", "umoja", "--hub", hub.url, "--token", hub.tokens["phone-b"], "--json",
        db=phone_b,
    )  # fmt: skip
    assert code == 0, err
    restored = json.loads(out)
    assert restored["received"] == len(entries_on(phone_a)) == restored["head"]["seq"]
    assert vsla("check", db=phone_b)[0] == 0
    assert balances(phone_b) == balances(hub.db) == balances(phone_a)
    book = Book.open(phone_b)
    assert SyncDevice(book).waiting("umoja") == 0  # the hub has it all
    meet(book, week(3), Shares("M05", 2))
    book.close()
    code, report, _ = sync(hub, "phone-b", phone_b)  # remembered hub; not yet the writer
    assert code == 1 and "written by device phone-a" in report["refused"]["umoja"]
    vsla("hub", "group", "move", "umoja", "--to", "phone-b", db=hub.db)
    code, report, err = sync(hub, "phone-b", phone_b)
    assert code == 0, err
    assert balances(hub.db) == balances(phone_b)
    assert balances(hub.db)["assets:cash:loan_fund"] == 4_000 + 2_000


def test_restore_refuses_a_local_chain_that_is_not_the_hubs(
    hub: HubProcess, phone_a: Path, tmp_path: Path
) -> None:
    assert sync(hub, "phone-a", phone_a)[0] == 0
    other = tmp_path / "other.sqlite"
    book = Book.open(other)
    new_group(book)
    meet(book, week(1), Shares("M01", 1))
    book.close()
    before = entries_on(other)
    code, _, err = vsla(
        "restore", "umoja", "--hub", hub.url, "--token", hub.tokens["phone-b"], db=other
    )
    assert code == 2 and "does not follow" in err
    assert entries_on(other) == before


def test_check_with_the_hub_finds_dropped_meetings_and_a_replaced_history(
    hub: HubProcess, phone_a: Path, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier.sqlite"
    shutil.copy(phone_a, earlier)  # the book as it was, before its third meeting
    book = Book.open(phone_a)
    meet(book, week(3), Shares("M04", 1))
    book.close()
    assert sync(hub, "phone-a", phone_a)[0] == 0
    assert vsla("check", "--hub", hub.url, db=phone_a)[0] == 0  # the token is remembered
    token = ["--token", hub.tokens["phone-a"]]
    code, out, _ = vsla("check", "--hub", hub.url, *token, db=earlier)
    assert code == 1 and "were removed from this book" in out  # alone, it would pass:
    assert vsla("check", db=earlier)[0] == 0
    other = tmp_path / "other.sqlite"
    book = Book.open(other)
    new_group(book)
    for day in (1, 2, 3, 4, 5, 6):
        meet(book, week(day), Shares("M01", 1))
    book.close()
    code, out, _ = vsla("check", "--hub", hub.url, *token, "--json", db=other)
    problems = json.loads(out)["problems"]
    assert code == 1 and [p["code"] for p in problems] == ["sync.replaced"]


def test_restore_says_when_there_is_nothing_to_restore(
    hub: HubProcess, phone_a: Path, tmp_path: Path
) -> None:
    token = ["--hub", hub.url, "--token", hub.tokens["phone-a"]]
    new = tmp_path / "new.sqlite"
    code, _, err = vsla("restore", "umoja", *token, db=new)
    assert code == 2 and "the hub has no group umoja" in err  # nothing pushed yet
    assert not new.exists()  # no empty book left behind
    assert sync(hub, "phone-a", phone_a)[0] == 0
    book = Book.open(phone_a)
    meet(book, week(3), Shares("M04", 1))
    book.db.execute("DELETE FROM sync_acks")  # as if it had never synced
    book.close()
    code, out, _ = vsla("restore", "umoja", *token, db=phone_a)
    assert code == 0 and "already holds group umoja up to entry" in out
    assert "nothing to restore" in out

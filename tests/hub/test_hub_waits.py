"""The hub answers on its event loop and never stops there for a lock: while another program
holds the book's write lock, a hop that must write waits in a worker thread, the hub keeps
answering, and the member gets her screen once the lock is free."""

from __future__ import annotations

import sqlite3
import threading
import time
import urllib.request

from .conftest import RunningHub
from .test_ussd_http import PIN, first_session, screen

HELD_S = 3.0  # the other program's write; the hub's busy timeout is 5 s


def test_a_hop_that_must_write_waits_for_another_program_without_stopping_the_hub(
    hub: RunningHub,
) -> None:
    first_session(hub)
    other = sqlite3.connect(hub.db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # the app on the same machine, recording a meeting
    answers: list[tuple[int, str]] = []
    session = hub.new_session()
    started = time.monotonic()
    dialling = threading.Thread(target=lambda: answers.append(hub.dial(session, "")))
    dialling.start()  # a new session: the hub must write it down
    time.sleep(0.3)
    with urllib.request.urlopen(hub.url + "/health", timeout=1.0) as health:
        assert health.status == 200  # answered while the hop waits: the loop is free
    assert dialling.is_alive()  # the hop is still waiting for the lock
    time.sleep(HELD_S - (time.monotonic() - started))
    other.execute("COMMIT")
    dialling.join(timeout=10)
    ends, asked = screen(*answers[0])
    assert not ends and "PIN" in asked  # her screen, not an apology
    assert time.monotonic() - started >= HELD_S
    ends, menu = screen(*hub.dial(session, PIN))
    assert not ends and menu.startswith("1 ")


def test_a_screen_that_only_reads_writes_nothing_and_repeats_the_same(hub: RunningHub) -> None:
    session, text = first_session(hub)
    counts = "SELECT (SELECT COUNT(*) FROM ussd_sessions), (SELECT COUNT(*) FROM ussd_effects)"
    before = sqlite3.connect(hub.db).execute(counts).fetchone()
    savings = screen(*hub.dial(session, f"{text}*1"))
    assert "Shares: 4" in savings[1]
    assert screen(*hub.dial(session, f"{text}*1")) == savings  # the gateway sent it twice
    assert sqlite3.connect(hub.db).execute(counts).fetchone() == before

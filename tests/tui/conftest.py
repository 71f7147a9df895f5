"""Fixtures of the app's tests: the demo book (made once per session, copied per test)."""

from __future__ import annotations

from datetime import date
from importlib.metadata import version
from pathlib import Path

import pytest

# The demo is made up to DEMO_TODAY (tests/conftest.py); its groups meet on Wednesdays, the
# last time on 2026-11-18. The app's "today" is the next Wednesday: meeting day.
MEETING_DAY = date(2026, 11, 25)

# Textual's pilot waits for the app to be idle after every key press, twice, sleeping in
# slices of SLEEP_GRANULARITY (20 ms); a 5 ms slice finds the same idleness sooner.
QUICK_SLICE = 1 / 200


@pytest.fixture
def demo_path(demo_copy: Path) -> Path:
    return demo_copy


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app speaks English unless a test chooses otherwise, whatever the machine's LANG."""
    from tui.text import set_language

    monkeypatch.setenv("VSLA_LANG", "en")
    set_language("en")


@pytest.fixture(autouse=True)
def quick_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test presses hundreds of keys: with the shorter slice tests/tui takes about half
    the time (measured with two workers, Textual 8.2.8: 44 to 49 s against 82 to 87 s)."""
    quicker_idle_wait(monkeypatch)


def quicker_idle_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one place the tests touch a private Textual module (`textual._wait`): its sleep
    slice, shortened for the duration of a test. Textual may change that module in any
    release; if it no longer looks as expected, fail loudly rather than silently not patch."""
    try:
        import textual._wait as wait
    except ImportError:
        pytest.fail(
            f"Textual {version('textual')} has no textual._wait: update or remove "
            "quicker_idle_wait in tests/tui/conftest.py"
        )
    granularity = getattr(wait, "SLEEP_GRANULARITY", None)
    idle = getattr(wait, "SLEEP_IDLE", None)
    waiter = getattr(wait, "wait_for_idle", None)
    names = getattr(getattr(waiter, "__code__", None), "co_names", ())
    if not (
        isinstance(granularity, float)
        and isinstance(idle, float)
        and callable(waiter)
        and {"SLEEP_GRANULARITY", "SLEEP_IDLE"} <= set(names)
    ):
        pytest.fail(
            f"Textual {version('textual')} changed textual._wait (expected the floats "
            "SLEEP_GRANULARITY and SLEEP_IDLE, read by wait_for_idle, as in Textual 8.2): "
            "update or remove "
            "quicker_idle_wait in tests/tui/conftest.py"
        )
    monkeypatch.setattr(wait, "SLEEP_GRANULARITY", QUICK_SLICE)
    monkeypatch.setattr(wait, "SLEEP_IDLE", QUICK_SLICE / 20)

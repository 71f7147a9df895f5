"""Fixtures of the app's tests: the demo book (made once per session, copied per test)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

# The demo is made up to DEMO_TODAY (tests/conftest.py); its groups meet on Wednesdays, the
# last time on 2026-11-18. The app's "today" is the next Wednesday: meeting day.
MEETING_DAY = date(2026, 11, 25)


@pytest.fixture
def demo_path(demo_copy: Path) -> Path:
    return demo_copy


@pytest.fixture(autouse=True)
def quick_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pilot waits for the app to be idle after every key, in 20 ms slices; 5 ms slices
    find the same idleness four times sooner (each test presses hundreds of keys). The app
    speaks English unless a test chooses otherwise, whatever the machine's LANG."""
    import textual._wait

    from tui.text import set_language

    monkeypatch.setenv("VSLA_LANG", "en")
    set_language("en")

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 1 / 200)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 1 / 200 / 20)

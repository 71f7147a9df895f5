"""The members screen gives a member her phone code (the hub's activation code), on a
machine that has the hub's key; elsewhere it says what is missing."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.tui.conftest import MEETING_DAY
from tests.tui.helpers import Keys, screen_text
from tui.app import create_app
from tui.screens.notice import NoticeScreen
from vsla.book.access import Check, MemberAccess
from vsla.book.service import Book

GROUP = "mubende-twekembe"
KEY = "a-secret-key-of-the-hub-0123456789"


async def test_k_gives_the_member_under_the_cursor_a_code_that_works(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VSLA_HUB_PIN_KEY", KEY)
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("b", "down", "down", "k")  # M03
        assert isinstance(app.screen, NoticeScreen)
        found = re.search(r"(\d{3}) (\d{3})", screen_text(app))
        assert found is not None
        code = found.group(1) + found.group(2)
        await keys("enter")
        assert not isinstance(app.screen, NoticeScreen)
    verdict = MemberAccess(book, KEY.encode()).check_code(GROUP, "M03", code, datetime.now(UTC))
    assert verdict.check is Check.OK
    book.close()


async def test_without_the_hubs_key_it_says_so(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VSLA_HUB_PIN_KEY", raising=False)
    book = Book.open(demo_path)
    app = create_app(book, today=MEETING_DAY, group=GROUP)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await Keys(pilot)("b", "k")
        await pilot.pause()
        assert not isinstance(app.screen, NoticeScreen)
        assert "VSLA_HUB_PIN_KEY" in " ".join(screen_text(app).split())
    book.close()

"""What a member said about SMS receipts, recorded from her form in the app: no receipts at
all, or receipts with her balances. Each is her own decision, ticked with Tab and Space, kept
in the journal, and it changes what her next receipt says."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Checkbox

from tests.tui.helpers import Keys, hold, make_group
from tui.app import create_app
from tui.screens.member_form import MemberFormScreen
from tui.screens.members import MembersScreen
from vsla.book.service import Book
from vsla.book.sms import SmsChoices, member_sms_choices
from vsla.domain.entries import Shares

GROUP = "tuungane"
TODAY = date(2026, 1, 7)


def choices_shown(form: MemberFormScreen) -> tuple[bool, bool]:
    return (
        form.query_one("#sms_opt_out", Checkbox).value,
        form.query_one("#sms_balances", Checkbox).value,
    )


def member_updates(book: Book) -> list[tuple[str | None, dict[str, object]]]:
    return [
        (r.member_id, r.data) for r in book.journal.records(GROUP) if r.kind == "member_updated"
    ]


async def test_her_agreement_to_balances_is_ticked_kept_and_used(tmp_path: Path) -> None:
    book = Book.open(tmp_path / "book.sqlite")
    make_group(book, GROUP, members=3, phones=3)
    app = create_app(book, today=TODAY, group=GROUP)
    async with app.run_test(size=(100, 40)) as pilot:
        keys = Keys(pilot)
        await keys("b")
        members = app.screen
        assert isinstance(members, MembersScreen)
        await keys("e")  # M01, under the cursor
        form = app.screen
        assert isinstance(form, MemberFormScreen)
        assert choices_shown(form) == (False, False)
        await keys("tab", "tab", "tab", "tab")  # name, phone, language, no SMS, balances
        assert app.focused is form.query_one("#sms_balances", Checkbox)
        await keys("space", "ctrl+s")
        assert app.screen is members
        await keys("e")  # the form again: her choice is shown
        again = app.screen
        assert isinstance(again, MemberFormScreen)
        assert choices_shown(again) == (False, True)
        await keys("escape")
        assert app.screen is members
    assert member_updates(book) == [("M01", {"sms_balances": True})]
    assert member_sms_choices(book.reader, GROUP, "M01") == SmsChoices(False, True)
    hold(book, GROUP, TODAY, Shares("M01", 2), Shares("M02", 1))
    messages = dict(
        book.db.execute("SELECT member_id, message FROM outbox ORDER BY member_id").fetchall()
    )
    # shares of UGX 2,000: M01 agreed and reads her savings; M02 did not
    assert messages == {
        "M01": "Tuungane Mubende 2026-01-07: shares 2 (UGX 4,000). savings UGX 4,000 (2 shares).",
        "M02": "Tuungane Mubende 2026-01-07: shares 1 (UGX 2,000).",
    }
    book.close()


async def test_a_member_who_wants_no_receipts_gets_none(tmp_path: Path) -> None:
    """Enter walks past the ticks to saving; only Tab and Space change them."""
    book = Book.open(tmp_path / "book.sqlite")
    make_group(book, GROUP, members=3, phones=3)
    app = create_app(book, today=TODAY, group=GROUP)
    async with app.run_test(size=(100, 40)) as pilot:
        keys = Keys(pilot)
        await keys("b", "down", "e")  # M02
        form = app.screen
        assert isinstance(form, MemberFormScreen)
        await keys("enter", "enter", "enter")  # name, phone, language: saved, nothing ticked
        assert isinstance(app.screen, MembersScreen)
        assert member_updates(book) == []
        await keys("e")
        await keys("tab", "tab", "tab", "space", "ctrl+s")  # "No SMS receipts"
        assert isinstance(app.screen, MembersScreen)
    assert member_updates(book) == [("M02", {"sms_opt_out": True})]
    assert member_sms_choices(book.reader, GROUP, "M02") == SmsChoices(True, False)
    hold(book, GROUP, TODAY, Shares("M01", 1), Shares("M02", 1))
    queued = [r[0] for r in book.db.execute("SELECT member_id FROM outbox ORDER BY member_id")]
    assert queued == ["M01"]
    book.close()

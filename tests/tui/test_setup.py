"""Setting up a group in the app: its constitution, members and roles, each value checked as it
is typed, with the reason shown under it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Static

from tests.tui.helpers import Keys, screen_text
from tui.app import create_app
from tui.screens.member_form import MemberFormScreen
from tui.screens.members import MembersScreen
from tui.screens.roles import RolesScreen
from tui.screens.setup import SetupScreen
from tui.widgets.field import Field
from vsla.book.service import Book
from vsla.domain.people import Member

TODAY = date(2026, 3, 4)


def problem_under(screen: object, key: str) -> str:
    field = screen.query_one(f"#field-{key}", Field)  # type: ignore[attr-defined]
    return (
        str(field.query_one(".form-problem", Static).render())
        if field.has_class("-refused")
        else ""
    )


async def test_a_group_is_set_up_with_every_value_checked_as_typed(tmp_path: Path) -> None:
    book = Book.open(tmp_path / "book.sqlite")
    app = create_app(book, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        assert "No group yet: press n to set one up" in screen_text(app)
        await keys("n")
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        await keys.type("umoja!")
        assert problem_under(setup, "group_id") == (
            'group id "umoja!": use 1-40 lowercase letters, digits and -'
        )
        await keys("backspace", "enter")
        assert problem_under(setup, "group_id") == ""
        await keys.type("Umoja Kolwezi")
        await keys("enter", "enter", "enter")  # name; CDF; the country follows the currency
        await keys("enter", "enter")  # French; the cycle starts today
        await keys.type("1.000")  # a thousand the French way, in the English app
        assert problem_under(setup, "share_value").startswith('"1.000" is not clear')
        await keys("enter")  # refused: the cursor stays on it
        assert app.focused is setup.query_one("#input-share_value")
        await keys(*["backspace"] * 5)
        await keys.type("1000")
        await keys("enter", "enter")  # 1 to
        await keys.type("9")
        await keys("enter")  # … 9 shares a meeting
        await keys.type("200")
        await keys("enter", "enter", "enter", "enter", "enter", "enter")  # 200 FC social fund
        await keys.type("late=200 absent=5x0")
        assert problem_under(setup, "fines").startswith('"5x0" is not an amount')
        await keys("backspace", "backspace", "0", "0", "enter")
        await keys.type("100")
        await keys("enter")  # the last line: the group is created
        members = app.screen
        assert isinstance(members, MembersScreen)
        # The first member, through the form: a phone that is not a Congolese number first.
        await keys("a")
        form = app.screen
        assert isinstance(form, MemberFormScreen)
        await keys("enter")  # M01, as proposed
        await keys.type("Aida Nsimba")
        await keys("enter", "enter")  # a woman
        await keys.type("12345")
        assert problem_under(form, "phone") == 'phone number "12345" is not a phone number'
        await keys(*["backspace"] * 5)
        await keys.type("0812345678")
        assert problem_under(form, "phone") == ""
        await keys("enter", "enter")  # no language of her own: the group's
        assert app.screen is members
        for n, name in enumerate(
            ("Bahati", "Chance", "Dorcas", "Esperance", "Furaha", "Grace", "Hélène"), 2
        ):
            book.add_member("umoja", Member(f"M{n:02d}", f"{name} Ilunga", "F"), on=TODAY)
        assert isinstance(members, MembersScreen)
        members.refresh_members()
        # Roles: a key holder who sits on the committee is refused, with the reason.
        await keys("r")
        roles = app.screen
        assert isinstance(roles, RolesScreen)
        for holders in ("M01", "M02", "M03", "M04 M05"):
            await keys.type(holders)
            await keys("enter")
        await keys.type("M06 M07 M01")
        assert problem_under(roles, "key_holder") == (
            "M01 holds a key and sits on the committee; key holders may not be committee members"
        )
        await keys("backspace", "backspace", "backspace")
        await keys.type("M08")
        await keys("enter")
        assert app.screen is members
    state = book.state("umoja")
    rules = state.constitution
    assert (state.name, state.currency.code, state.country, state.language) == (
        "Umoja Kolwezi",
        "CDF",
        "CD",
        "fr",
    )
    assert (rules.share_value_minor, rules.shares_min, rules.shares_max) == (100_000, 1, 9)
    assert rules.social_fund_minor == 20_000
    assert rules.fines_minor == {"late": 20_000, "absent": 50_000}
    assert rules.payout_rounding_minor == 10_000
    assert state.cycle_start == TODAY
    assert state.members["M01"].phone == "+243812345678"
    assert {m: state.members[m].roles for m in ("M01", "M04", "M05", "M08")} == {
        "M01": ("chair",),
        "M04": ("money_counter",),
        "M05": ("money_counter",),
        "M08": ("key_holder",),
    }
    book.close()

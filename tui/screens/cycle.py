"""The cycle's share-out (action audit): a preview anyone can recompute, then the real one.

value of a share = fund ÷ shares; each member gets her shares × that value, rounded down to the
payout unit, less what she still owes; what the rounding leaves is the remainder. The figures
are those of `Book.shareout`, the same as `vsla shareout --json`.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, Static

from ledger import N_
from tui.names import short_names
from tui.screens.base import GroupScreen
from tui.text import (
    language,
    parse_typed,
    problem_text,
    right,
    show_amount,
    show_money,
    t,
    typed_amount,
)
from tui.widgets.footer import KeysFooter
from vsla.book.errors import BookError, MeetingRefused
from vsla.book.session import BookSession
from vsla.display import share_value
from vsla.domain.constitution import RemainderTo
from vsla.domain.shareout import ShareoutPreview

NAME_WIDTH = 24


class CycleScreen(GroupScreen):
    HELP = N_(
        "The share-out preview is what everyone would get if the cycle ended today; anyone can "
        "check it: her shares × the value of a share, rounded down, less what she owes. Type "
        "the loan-fund cash counted from the box (empty: what the book says); a difference "
        "needs a reason. Ctrl+S does the share-out, after a confirmation; it closes the cycle. "
        "Ctrl+N then starts the next cycle. When something must be put right first, every "
        "problem is listed under the table: Tab to the list, then the arrows scroll it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("ctrl+s", "share_out", N_("Share out")),
        Binding("ctrl+n", "next_cycle", N_("Next cycle")),
    ]

    def __init__(self, session: BookSession, group_id: str, today: date) -> None:
        super().__init__(session, group_id, today)
        self.preview: ShareoutPreview | None = None
        self.payouts_minor: dict[str, int] = {}
        self.typed_problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="cycle-title", classes="title")
        with Horizontal(classes="count-row"):
            yield Label(t(N_("Loan-fund cash counted")), classes="count-label")
            yield Input(id="counted", compact=True, classes="amount")
            yield Label(t(N_("why")), classes="bowl-label")
            yield Input(id="reason", compact=True, classes="reason")
        yield Static("", id="formula", classes="formula")
        yield DataTable(id="payouts", cursor_type="row", zebra_stripes=True)
        yield Static("", id="cycle-status", classes="info")
        with VerticalScroll(id="cycle-problems", classes="-empty"):
            yield Static("", id="cycle-problem-list", classes="problem")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t(N_("No.")), key="member")
        table.add_column(t(N_("Name")), key="name", width=NAME_WIDTH)
        table.add_column(t(N_("Shares")), key="shares")
        table.add_column(t(N_("× value")), key="gross")
        table.add_column(t(N_("Owes")), key="owes")
        table.add_column(t(N_("Payout")), key="payout")
        self.query_one("#counted", Input).placeholder = typed_amount(
            self.state.loan_fund_cash_minor, self.state.currency, self.state.country
        )
        self.recompute()
        self.query_one("#counted", Input).focus()

    def counted_minor(self) -> int | None:
        text = self.query_one("#counted", Input).value
        self.typed_problem = None
        if not text.strip():
            return None
        try:
            return parse_typed(text, self.state.currency, self.state.country)
        except BookError as error:
            self.typed_problem = problem_text(error.problem)
            return None

    def recompute(self) -> None:
        self.state = state = self.reader.state(self.group_id)
        title = t(
            N_("{group} · cycle {cycle} · share-out on {date}"),
            group=state.name,
            cycle=state.cycle_number,
            date=self.today.isoformat(),
        )
        self.query_one("#cycle-title", Static).update(title)
        table = self.query_one(DataTable)
        if state.cycle_status != "open":
            table.clear()
            self.preview = None
            self.query_one("#formula", Static).update(
                t(
                    N_("Cycle {cycle} is shared out. Ctrl+N starts the next cycle."),
                    cycle=state.cycle_number,
                )
            )
            self.show_problems([])
            return
        counted = self.counted_minor()
        reason = self.query_one("#reason", Input).value
        preview = self.reader.shareout_preview(
            self.group_id, self.today, counted_cash_minor=counted, reason=reason
        )
        self.show(preview)

    def show(self, preview: ShareoutPreview) -> None:
        state = self.state
        cur, code, country = state.currency, state.currency.code, state.country
        self.preview = preview

        def money(amount_minor: int) -> str:
            return show_money(amount_minor, code, country)

        where = (
            t(N_("the social fund"))
            if state.constitution.remainder_to is RemainderTo.SOCIAL_FUND
            else t(N_("next cycle's loan fund"))
        )
        owed = preview.fund_minor - preview.counted_cash_minor
        lines = [
            t(
                N_("Fund {fund} = cash {cash} + owed by members {owed}"),
                fund=money(preview.fund_minor),
                cash=money(preview.counted_cash_minor),
                owed=money(owed),
            ),
            t(
                N_("A share = {fund} ÷ {shares} shares = {value} {code}"),
                fund=money(preview.fund_minor),
                shares=preview.total_shares,
                value=share_value(preview.value_per_share_minor, code, language(), country),
                code=code,
            ),
            t(
                N_("Rounded down to a multiple of {unit}; remainder {remainder} goes to {where}"),
                unit=money(preview.payout_rounding_minor),
                remainder=money(preview.remainder_minor),
                where=where,
            ),
        ]
        self.query_one("#formula", Static).update("\n".join(lines))
        table = self.query_one(DataTable)
        table.clear()
        self.payouts_minor = {}
        names = short_names(
            [m.name if (m := state.members.get(x.member_id)) else "" for x in preview.lines],
            NAME_WIDTH,
        )
        for line, name in zip(preview.lines, names, strict=True):
            self.payouts_minor[line.member_id] = line.payout_minor
            table.add_row(
                line.member_id,
                name,
                right(str(line.shares)),
                right(show_amount(line.gross_minor, cur, country)),
                right(show_amount(line.owed_minor, cur, country) if line.owed_minor else ""),
                right(show_amount(line.payout_minor, cur, country)),
                key=line.member_id,
            )
        self.show_problems(
            self.problems(),
            t(
                N_("To pay out: {paid} to {count} members · Ctrl+S shares out"),
                paid=money(preview.paid_out_minor),
                count=len(preview.lines),
            ),
        )

    def problems(self) -> list[str]:
        """What must be put right before the share-out: the typed cash first, then the
        preview's problems, in the facilitator's language."""
        preview = self.preview
        found = [
            problem_text(p.problem, self.state.country)
            for p in (preview.problems if preview is not None else ())
        ]
        return [self.typed_problem, *found] if self.typed_problem else found

    def show_problems(self, problems: list[str], otherwise: str = "") -> None:
        """Every problem in a list under the table (it scrolls: none is cut), or `otherwise`."""
        status = self.query_one("#cycle-status", Static)
        status.set_class(bool(problems), "problem")
        status.update(
            "⚠ "
            + t(
                N_(
                    "{count} to put right before the share-out (Tab to the list, then the "
                    "arrows, to read them all):"
                ),
                count=len(problems),
            )
            if problems
            else otherwise
        )
        self.query_one("#cycle-problems").set_class(not problems, "-empty")
        self.query_one("#cycle-problem-list", Static).update(
            "\n".join(f"• {problem}" for problem in problems)
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.is_mounted:
            self.recompute()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "counted":
            self.query_one("#reason", Input).focus()
        else:
            self.action_share_out()

    def action_share_out(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        preview = self.preview
        if preview is None:
            return
        problems = self.problems()
        if problems:
            self.notify(
                t(
                    N_("The share-out cannot be done yet ({count} to put right): {first}"),
                    count=len(problems),
                    first=problems[0],
                ),
                severity="error",
                timeout=10,
            )
            return
        code, country = self.state.currency.code, self.state.country
        self.app.push_screen(
            ConfirmScreen(
                t(N_("Share out cycle {cycle}?"), cycle=self.state.cycle_number),
                [
                    t(
                        N_("Pay out {paid} to {count} members; {remainder} remains."),
                        paid=show_money(preview.paid_out_minor, code, country),
                        count=len(preview.lines),
                        remainder=show_money(preview.remainder_minor, code, country),
                    ),
                    t(
                        N_(
                            "Every member's savings go to zero and the cycle closes. "
                            "This cannot be undone."
                        )
                    ),
                ],
                yes=N_("Share out"),
            ),
            self._confirmed,
        )

    def _confirmed(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        counted = self.counted_minor()
        reason = self.query_one("#reason", Input).value
        try:
            done = self.book.shareout(
                self.group_id, on=self.today, counted_cash_minor=counted, reason=reason, commit=True
            )
        except MeetingRefused as refused:
            self.notify(
                problem_text(refused.problems[0].problem, self.state.country), severity="error"
            )
            return
        except BookError as error:
            self.notify(problem_text(error.problem, self.state.country), severity="error")
            return
        self.state = self.reader.state(self.group_id)
        self.show(done)
        self.show_problems(
            [],
            t(
                N_("Shared out: cycle {cycle} is closed. Ctrl+N starts the next cycle."),
                cycle=self.state.cycle_number,
            ),
        )
        self.notify(t(N_("Share-out recorded")))

    def action_next_cycle(self) -> None:
        from tui.screens.prompt import PromptScreen, is_date

        if self.state.cycle_status == "open":
            self.notify(t(N_("Share out this cycle first (Ctrl+S)")), severity="warning")
            return

        def done(answer: str | None) -> None:
            if not answer:
                return
            try:
                number = self.book.start_cycle(self.group_id, start=date.fromisoformat(answer))
            except BookError as error:
                self.notify(problem_text(error.problem, self.state.country), severity="error")
                return
            self.notify(t(N_("Cycle {cycle} started"), cycle=number))
            self.app.pop_screen()

        self.app.push_screen(
            PromptScreen(
                t(N_("Start the next cycle")),
                t(N_("First day of the new cycle (YYYY-MM-DD); the constitution stays the same")),
                value=self.today.isoformat(),
                check=is_date,
            ),
            done,
        )

    def action_back(self) -> None:
        self.app.pop_screen()

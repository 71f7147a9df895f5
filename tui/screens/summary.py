"""After the closing: what the secretary reads aloud, member by member, and the receipts sent."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from ledger import N_
from tui.names import short_names
from tui.screens.base import BookScreen
from tui.text import backup_line, problem_text, right, show_amount, show_money, t
from tui.widgets.footer import KeysFooter
from vsla.book.errors import BookError
from vsla.book.session import BookSession
from vsla.domain.planner import MeetingOutcome

NAME_WIDTH = 24


class SummaryScreen(BookScreen):
    HELP = N_(
        "The meeting is closed and written to the book. The secretary reads each line aloud so "
        "every member hears what was recorded for her: shares bought today, her total shares, "
        "and what she still owes. Members with a phone get an SMS of what they paid or "
        "borrowed today (with their balances only if they agreed)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "done", N_("Done")),
        Binding("enter", "done", N_("Done"), show=False),
    ]

    def __init__(
        self, session: BookSession, group_id: str, outcome: MeetingOutcome, queued: int
    ) -> None:
        super().__init__(session)
        self.group_id = group_id
        self.outcome = outcome
        self.queued = queued
        self.state = self.reader.state(group_id)

    def compose(self) -> ComposeResult:
        code, country = self.state.currency.code, self.state.country
        counted = self.outcome.counted_closing
        yield Static(
            t(
                N_("Meeting {number} closed · {date}"),
                number=self.outcome.number,
                date=self.state.last_meeting.date.isoformat() if self.state.last_meeting else "",
            ),
            classes="title",
        )
        yield Static(
            t(
                N_("In the box: loan fund {loan_fund} · social fund {social_fund}"),
                loan_fund=show_money(counted.loan_fund_minor, code, country),
                social_fund=show_money(counted.social_fund_minor, code, country),
            ),
            classes="info",
        )
        yield Static(
            t(N_("SMS receipts queued: {count}"), count=self.queued), id="queued", classes="info"
        )
        yield Static(self._backup_text(), id="backup", classes="info")
        yield DataTable(id="summary", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t(N_("No.")), key="member")
        table.add_column(t(N_("Name")), key="name", width=NAME_WIDTH)
        table.add_column(t(N_("Bought")), key="bought")
        table.add_column(t(N_("Shares")), key="total")
        table.add_column(t(N_("Loan owed")), key="loan")
        table.add_column(t(N_("Fines owed")), key="fines")
        lines = sorted(self.outcome.lines.items())
        names = short_names(
            [m.name if (m := self.state.members.get(member_id)) else "" for member_id, _ in lines],
            NAME_WIDTH,
        )
        for (member_id, line), name in zip(lines, names, strict=True):
            table.add_row(
                member_id,
                name,
                right(str(line.shares_bought)),
                right(str(line.total_shares)),
                right(self._owed(line.loan_owed_minor)),
                right(self._owed(line.fines_owed_minor)),
                key=member_id,
            )
        table.focus()

    def _backup_text(self) -> str:
        """The copy made after this meeting, or why there is none: a failed backup must not
        go unnoticed until the day the phone is lost."""
        problem = self.book.backup_problem
        if problem is not None:
            detail = (
                problem_text(problem.problem) if isinstance(problem, BookError) else str(problem)
            )
            return "⚠ " + t(N_("No backup was made: {problem}"), problem=detail)
        return backup_line(self.session)

    def _owed(self, amount_minor: int) -> str:
        return (
            show_amount(amount_minor, self.state.currency, self.state.country)
            if amount_minor
            else ""
        )

    def action_done(self) -> None:
        self.app.pop_screen()

    def on_data_table_row_selected(self) -> None:
        self.action_done()

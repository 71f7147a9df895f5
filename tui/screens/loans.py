"""Every open loan: when it is due, whether it is late, what is still owed."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from ledger import N_
from tui.names import short_names
from tui.screens.base import GroupScreen
from tui.text import right, show_amount, show_money, t
from tui.widgets.footer import KeysFooter

MEMBER_WIDTH = 24


class LoansScreen(GroupScreen):
    HELP = N_(
        "Open loans, the soonest due first. Late: something is still owed after the due date. "
        "Portfolio at risk is what late loans still owe, out of everything owed."
    )
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", N_("Back"))]

    def compose(self) -> ComposeResult:
        yield Static("", id="loans-title", classes="title")
        yield Static("", id="loans-summary", classes="info")
        yield DataTable(id="loans", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        view = self.reader.loans(self.group_id, self.today)
        cur, code, country = self.state.currency, view.currency, view.country
        self.query_one("#loans-title", Static).update(
            t(N_("{group} · loans on {date}"), group=view.name, date=self.today.isoformat())
        )
        self.query_one("#loans-summary", Static).update(
            t(
                N_(
                    "{count} open, owing {owed} · {late} late, owing {late_owed} "
                    "({at_risk} at risk)"
                ),
                count=len(view.loans),
                owed=show_money(view.owed_minor, code, country),
                late=len(view.late),
                late_owed=show_money(view.late_owed_minor, code, country),
                at_risk=f"{view.at_risk_percent}%",
            )
        )
        table = self.query_one(DataTable)
        table.add_column(t(N_("Loan")), key="loan")
        table.add_column(t(N_("Member")), key="member", width=MEMBER_WIDTH)
        table.add_column(t(N_("Lent")), key="principal")
        table.add_column(t(N_("Owed")), key="owed")
        table.add_column(t(N_("Due")), key="due")
        table.add_column(t(N_("State")), key="state")
        # "M07 " and her name: the names cut so that two borrowers never look the same
        names = short_names([loan.name for loan in view.loans], MEMBER_WIDTH - 4)
        for loan, name in zip(view.loans, names, strict=True):
            if loan.late:
                status = t(N_("LATE"))
            elif loan.due_soon:
                status = t(N_("due soon"))
            else:
                status = ""
            table.add_row(
                f"L{loan.number}",
                f"{loan.member_id} {name}",
                right(show_amount(loan.principal_minor, cur, country)),
                right(show_amount(loan.owed_minor, cur, country)),
                loan.due_on.isoformat(),
                status,
                key=str(loan.number),
            )
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()

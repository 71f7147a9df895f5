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

DUE_SOON_DAYS = 14
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
        state = self.book.state(self.group_id)
        cur, code, country = state.currency, state.currency.code, state.country
        loans = sorted(state.open_loans(), key=lambda loan: (loan.due_on, loan.number))
        owed = {loan.number: state.loan_owed_minor(loan) for loan in loans}
        late = [loan for loan in loans if state.is_late(loan, self.today)]
        total = sum(owed.values())
        late_owed = sum(owed[loan.number] for loan in late)
        self.query_one("#loans-title", Static).update(
            t(N_("{group} · loans on {date}"), group=state.name, date=self.today.isoformat())
        )
        at_risk = f"{late_owed * 100 // total}%" if total else "0%"
        self.query_one("#loans-summary", Static).update(
            t(
                N_(
                    "{count} open, owing {owed} · {late} late, owing {late_owed} "
                    "({at_risk} at risk)"
                ),
                count=len(loans),
                owed=show_money(total, code, country),
                late=len(late),
                late_owed=show_money(late_owed, code, country),
                at_risk=at_risk,
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
        names = short_names(
            [m.name if (m := state.members.get(x.member_id)) else "" for x in loans],
            MEMBER_WIDTH - 4,
        )
        for loan, name in zip(loans, names, strict=True):
            if state.is_late(loan, self.today):
                status = t(N_("LATE"))
            elif (loan.due_on - self.today).days <= DUE_SOON_DAYS:
                status = t(N_("due soon"))
            else:
                status = ""
            table.add_row(
                f"L{loan.number}",
                f"{loan.member_id} {name}",
                right(show_amount(loan.principal_minor, cur, country)),
                right(show_amount(owed[loan.number], cur, country)),
                loan.due_on.isoformat(),
                status,
                key=str(loan.number),
            )
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()

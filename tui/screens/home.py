"""One group: where it stands, and what the facilitator can do next."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ledger import N_
from tui.screens.base import GroupScreen
from tui.text import READ_ONLY, backup_line, problem_text, show_money, sync_line, t
from tui.widgets.footer import KeysFooter
from vsla.book.errors import BookError
from vsla.book.views.groups import GroupOverview

MENU = (
    ("meeting", "m", N_("Meeting")),
    ("members", "b", N_("Members and statements")),
    ("loans", "l", N_("Loans: due, late, owed")),
    ("cycle", "c", N_("Cycle and share-out")),
    ("charts", "g", N_("Charts")),
    ("report", "p", N_("Programme report")),
    ("roles", "r", N_("Roles")),
    ("reopen", "o", N_("Reopen the last meeting")),
)


class GroupHomeScreen(GroupScreen):
    HELP = N_(
        "Choose what to do with the up and down arrows and Enter, or press the letter shown. "
        "A meeting in progress is kept on this device: Meeting continues it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Groups")),
        Binding("m", "open('meeting')", N_("Meeting")),
        Binding("b", "open('members')", N_("Members")),
        Binding("l", "open('loans')", N_("Loans")),
        Binding("c", "open('cycle')", N_("Cycle")),
        Binding("g", "open('charts')", N_("Charts")),
        Binding("p", "open('report')", N_("Report"), show=False),
        Binding("r", "open('roles')", N_("Roles"), show=False),
        Binding("o", "open('reopen')", N_("Reopen"), show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static("", id="home-title", classes="title")
        yield Static("", id="home-status", classes="status")
        yield OptionList(id="menu")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.refresh_status()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        view = self.reader.overview(self.group_id, self.today)
        code, country = view.currency, view.country
        self.query_one("#home-title", Static).update(
            t(
                N_("{name} · cycle {cycle} since {start}"),
                name=view.name,
                cycle=view.cycle,
                start=view.cycle_start.isoformat(),
            )
        )
        lines = [
            t(N_("Members: {count}"), count=view.members),
            self._meetings_line(view),
            t(
                N_("In the box: loan fund {loan_fund} · social fund {social_fund}"),
                loan_fund=show_money(view.loan_fund_cash_minor, code, country),
                social_fund=show_money(view.social_fund_cash_minor, code, country),
            ),
            t(
                N_("Loans: {count} open, {late} late, {owed} owed"),
                count=view.loans_open,
                late=view.loans_late,
                owed=show_money(view.loans_owed_minor, code, country),
            ),
        ]
        if view.cycle_status != "open":
            lines.append(
                t(N_("The cycle is shared out: start the next cycle (c) to hold meetings"))
            )
        if view.meeting_in_progress:
            lines.append(t(N_("A meeting is in progress on this device: m continues it")))
        lines.append(backup_line(self.session))
        synced = sync_line(self.session, self.group_id)
        if synced is not None:
            lines.append(synced)
        self.query_one("#home-status", Static).update("\n".join(lines))
        menu = self.query_one(OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options([Option(f"{key}  {t(label)}", id=action) for action, key, label in MENU])
        menu.highlighted = highlighted or 0

    @staticmethod
    def _meetings_line(view: GroupOverview) -> str:
        """This cycle's meetings, counted as the list of groups counts them, and the last one
        by its number in the book (which counts every cycle's) and its date."""
        if view.last_meeting is None or view.last_meeting_on is None:
            return t(N_("Meetings this cycle: {count}"), count=view.meetings_this_cycle)
        return t(
            N_("Meetings this cycle: {count} · the last: no. {number} in the book, {date}"),
            count=view.meetings_this_cycle,
            number=view.last_meeting,
            date=view.last_meeting_on.isoformat(),
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.action_open(event.option.id)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_open(self, what: str) -> None:
        session, group, today = self.session, self.group_id, self.today
        if what == "meeting":
            if session.read_only:
                self.notify(t(READ_ONLY), severity="error", timeout=10)
                return
            view = self.reader.overview(group, today)
            if view.cycle_status != "open" and not view.meeting_in_progress:
                self.notify(t(N_("Start the next cycle first (c)")), severity="warning")
                return
            from tui.screens.meeting import MeetingScreen

            self.app.push_screen(MeetingScreen(session, group, today))
        elif what == "members":
            from tui.screens.members import MembersScreen

            self.app.push_screen(MembersScreen(session, group, today))
        elif what == "loans":
            from tui.screens.loans import LoansScreen

            self.app.push_screen(LoansScreen(session, group, today))
        elif what == "cycle":
            from tui.screens.cycle import CycleScreen

            self.app.push_screen(CycleScreen(session, group, today))
        elif what == "charts":
            from tui.screens.charts import ChartsScreen

            self.app.push_screen(ChartsScreen(session, group))
        elif what == "report":
            from tui.screens.reports import ReportsScreen

            self.app.push_screen(ReportsScreen(session, group, today))
        elif what == "roles":
            from tui.screens.roles import RolesScreen

            self.app.push_screen(RolesScreen(session, group, today))
        elif what == "reopen":
            self._reopen()

    def _reopen(self) -> None:
        from tui.screens.prompt import PromptScreen

        last = self.reader.state(self.group_id).last_meeting
        if last is None:
            self.notify(t(N_("there is no meeting to reopen")), severity="warning")
            return

        def done(reason: str | None) -> None:
            if not reason:
                return
            try:
                self.book.reopen_last_meeting(self.group_id, reason=reason)
            except BookError as error:
                self.notify(problem_text(error.problem), severity="error")
                return
            self.notify(
                t(N_("Meeting {number} reopened: press m to add to it"), number=last.number)
            )
            self.refresh_status()

        self.app.push_screen(
            PromptScreen(
                t(
                    N_("Reopen meeting {number} of {date}?"),
                    number=last.number,
                    date=last.date.isoformat(),
                ),
                t(N_("Why is it reopened? The reason stays in the book for good.")),
            ),
            done,
        )

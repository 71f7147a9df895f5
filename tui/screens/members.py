"""The members of a group, and the statement of the one under the cursor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from ledger import N_
from tui.names import short_names
from tui.screens.base import GroupScreen
from tui.text import problem_text, right, show_amount, show_money, t
from tui.widgets.footer import KeysFooter
from vsla.book.errors import BookError
from vsla.domain.people import Member
from vsla.domain.words import ROLE_NAMES

NAME_WIDTH = 30


class MembersScreen(GroupScreen):
    HELP = N_(
        "Every member with her shares, savings and what she owes. The statement below is the "
        "one under the cursor: read it to her when she asks. a adds a member, e changes her "
        "name, phone or language, r sets the roles."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("a", "add", N_("Add member")),
        Binding("e", "edit", N_("Change")),
        Binding("r", "roles", N_("Roles")),
        Binding("k", "code", N_("Phone code")),
    ]

    def compose(self) -> ComposeResult:
        yield Static("", id="members-title", classes="title")
        yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
        yield Static("", id="statement", classes="statement")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t(N_("No.")), key="member")
        table.add_column(t(N_("Name")), key="name", width=NAME_WIDTH)
        table.add_column(t(N_("Shares")), key="shares")
        table.add_column(t(N_("Savings")), key="savings")
        table.add_column(t(N_("Owes")), key="owes")
        self.refresh_members()
        table.focus()

    def refresh_members(self, keep: str | None = None) -> None:
        self.state = self.reader.state(self.group_id)
        listed = self.reader.members(self.group_id)
        members = listed.active()
        self.query_one("#members-title", Static).update(
            t(N_("{group} · members ({count})"), group=listed.name, count=len(members))
        )
        table = self.query_one(DataTable)
        table.clear()
        cur, country = self.state.currency, listed.country
        man = t(N_("man"))
        names = short_names(
            [m.name + ("" if m.gender == "F" else f" ({man})") for m in members], NAME_WIDTH
        )
        for m, name in zip(members, names, strict=True):
            table.add_row(
                m.member_id,
                name,
                right(str(m.shares)),
                right(show_amount(m.savings_minor, cur, country)),
                right(show_amount(m.owed_minor, cur, country) if m.owed_minor else ""),
                key=m.member_id,
            )
        if keep is not None and any(m.member_id == keep for m in members):
            table.move_cursor(row=table.get_row_index(keep))
        self.show_statement()

    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

    def on_data_table_row_highlighted(self) -> None:
        self.show_statement()

    def show_statement(self) -> None:
        member_id = self.selected()
        panel = self.query_one("#statement", Static)
        if member_id is None:
            panel.update(t(N_("No member yet: press a to add one")))
            return
        state, code, country = self.state, self.state.currency.code, self.state.country
        member = state.members[member_id]
        s = self.reader.statement(self.group_id, member_id, self.today)
        roles = ", ".join(t(ROLE_NAMES.get(r, r)) for r in member.roles)
        no_phone = t(N_("no phone"))
        lines = [
            f"{member_id} {member.name} · {member.phone or no_phone}"
            + (f" · {roles}" if roles else ""),
            t(
                N_("Shares {shares} · savings {savings} · social fund paid {social}"),
                shares=s.shares,
                savings=show_money(s.savings_minor, code, country),
                social=show_money(s.social_fund_paid_minor, code, country),
            ),
        ]
        loan = s.loan
        if loan:
            lines.append(
                t(
                    N_("Loan owed {owed} (service charge {charges}) · due {due}"),
                    owed=show_money(loan.owed_minor, code, country),
                    charges=show_money(loan.charges_owed_minor, code, country),
                    due=loan.due_on.isoformat(),
                )
                + (" · " + t(N_("LATE")) if loan.late else "")
            )
        else:
            lines.append(t(N_("No loan")))
        if s.fines_owed_minor:
            lines.append(
                t(N_("Fines owed {owed}"), owed=show_money(s.fines_owed_minor, code, country))
            )
        panel.update("\n".join(lines))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_code(self) -> None:
        """A one-time activation code for the member's first USSD session, on a machine
        that is the hub (it has the hub's key): she types it on her phone, then her PIN."""
        from vsla.book.access import CODE_LIFETIME, MemberAccess, hub_pin_key

        member_id = self.selected()
        if member_id is None:
            return
        now = datetime.now(UTC)
        try:
            code = MemberAccess(self.book, hub_pin_key()).issue_code(self.group_id, member_id, now)
        except BookError as error:
            self.notify(problem_text(error.problem), severity="error", timeout=10)
            return
        from tui.screens.notice import NoticeScreen

        self.app.push_screen(
            NoticeScreen(
                t(N_("Phone code for {member}"), member=member_id),
                [
                    t(N_("Her code: {code}"), code=" ".join([code[:3], code[3:]])),
                    t(
                        N_(
                            "Give it to her in person. It works once, until {date}: she dials "
                            "the group's USSD code, chooses her language, types this code, "
                            "then chooses her PIN."
                        ),
                        date=(now + CODE_LIFETIME).date().isoformat(),
                    ),
                ],
            )
        )

    def action_add(self) -> None:
        state = self.state
        started = (
            state.last_meeting is not None
            and state.last_meeting.cycle_number == state.cycle_number
            and state.cycle_status == "open"
        )
        if not started:
            self._open_form(mid_cycle_agreed=False)
            return
        from tui.screens.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(
                t(N_("The cycle has started")),
                [t(N_("A member joins mid-cycle only if the group agrees. Does it?"))],
                yes=N_("The group agrees"),
            ),
            lambda agreed: self._open_form(mid_cycle_agreed=True) if agreed else None,
        )

    def _open_form(self, *, mid_cycle_agreed: bool) -> None:
        from tui.screens.member_form import MemberFormScreen

        def save(member: Member) -> str | None:
            try:
                self.book.add_member(
                    self.group_id, member, on=self.today, mid_cycle_agreed=mid_cycle_agreed
                )
            except BookError as error:
                return problem_text(error.problem)
            self.refresh_members(keep=member.member_id)
            return None

        self.app.push_screen(MemberFormScreen(self.state, None, save))

    def action_edit(self) -> None:
        from tui.screens.member_form import MemberFormScreen

        member_id = self.selected()
        if member_id is None:
            return
        before = self.state.members[member_id]

        def save(member: Member) -> str | None:
            try:
                self.book.update_member(
                    self.group_id,
                    member_id,
                    on=self.today,
                    name=member.name if member.name != before.name else None,
                    phone=(member.phone or "") if member.phone != before.phone else None,
                    language=member.language
                    if member.language and member.language != before.language
                    else None,
                )
            except BookError as error:
                return problem_text(error.problem)
            self.refresh_members(keep=member_id)
            return None

        self.app.push_screen(MemberFormScreen(self.state, before, save))

    def action_roles(self) -> None:
        from tui.screens.roles import RolesScreen

        self.app.push_screen(RolesScreen(self.session, self.group_id, self.today))

    def on_screen_resume(self) -> None:
        self.refresh_members(keep=self.selected())

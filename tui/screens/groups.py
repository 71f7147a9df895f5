"""The first screen: the groups kept on this device."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from ledger import N_
from tui.screens.base import BookScreen
from tui.text import READ_ONLY, backup_line, right, t
from tui.widgets.footer import KeysFooter
from vsla.book.session import BookSession


class GroupPickerScreen(BookScreen):
    HELP = N_(
        "The groups whose books are on this device. Choose one with the arrows and Enter. "
        "n creates a new group; s opens the settings (language, colours)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_group", N_("New group")),
        Binding("s", "settings", N_("Settings")),
        Binding("ctrl+q", "app.quit", N_("Quit")),
    ]

    def __init__(self, session: BookSession, today: date) -> None:
        super().__init__(session)
        self.today = today

    def compose(self) -> ComposeResult:
        yield Static(t(N_("VSLA books · groups on this device")), classes="title")
        yield Static("", id="groups-hint", classes="info")
        yield DataTable(id="groups", cursor_type="row", zebra_stripes=True, header_height=2)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t(N_("Group")), key="name", width=24)
        table.add_column(t(N_("Members")), key="members")
        table.add_column(t(N_("Cycle")), key="cycle")
        # Meetings of this cycle, as the group's screen counts them; the last one by its date
        # (its number counts every cycle's meetings: 47 for the 10th meeting of cycle 2).
        # Two lines of title keep the five columns within 80 in every language.
        meetings = t(N_("Meetings")) + "\n" + t(N_("this cycle"))
        table.add_column(meetings, key="meetings")
        table.add_column(t(N_("Last meeting")), key="last")
        self.refresh_groups()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_groups()

    def refresh_groups(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        found = self.reader.groups()
        for group in found:
            table.add_row(
                group.name,
                right(str(group.members)),
                right(str(group.cycle)),
                right(str(group.meetings_this_cycle)),
                "—" if group.last_meeting_on is None else group.last_meeting_on.isoformat(),
                key=group.group_id,
            )
        hint = (
            t(N_("Enter opens a group")) if found else t(N_("No group yet: press n to set one up"))
        )
        lines = [hint, backup_line(self.session)]
        if self.session.read_only:
            lines.insert(0, "⚠ " + t(READ_ONLY))
        self.query_one("#groups-hint", Static).update("\n".join(lines))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.open_group(event.row_key.value)

    def open_group(self, group_id: str) -> None:
        from tui.screens.home import GroupHomeScreen

        self.app.push_screen(GroupHomeScreen(self.session, group_id, self.today))

    def action_new_group(self) -> None:
        from tui.screens.setup import SetupScreen

        self.app.push_screen(SetupScreen(self.session, self.today))

    def action_settings(self) -> None:
        from tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen(self.session))

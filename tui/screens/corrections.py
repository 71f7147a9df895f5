"""Correcting an entry of an earlier meeting: it is never edited, it is reversed at this
meeting with the reason, in front of the group (domain.md: "reversal, not edit")."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ledger import N_
from tui.text import right, show_money, t
from vsla.book.session import BookSession
from vsla.book.views.meetings import CorrectableEntry
from vsla.domain.words import KIND_NAMES

Chosen = list[dict[str, str]]


class CorrectionsScreen(ModalScreen[Chosen | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "done", N_("Done")),
        Binding("delete", "take_back", N_("Take back")),
    ]

    def __init__(self, session: BookSession, group_id: str, chosen: Chosen, country: str) -> None:
        super().__init__()
        self.group_id = group_id
        self.chosen = [dict(item) for item in chosen]
        self.country = country
        self.code = session.reader.group(group_id).currency
        self.entries = session.reader.correctable(group_id)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(t(N_("Correct an entry of an earlier meeting")), classes="dialog-title")
            yield Static(
                t(
                    N_(
                        "Enter reverses the entry (you give the reason) · Del takes it back · "
                        "Escape: done"
                    )
                ),
                classes="dialog-hint",
            )
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static("", id="chosen", classes="dialog-line")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(t(N_("Date")), t(N_("member")), t(N_("entry")), t(N_("amount")), "")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        chosen = {item["id"] for item in self.chosen}
        for entry in self.entries:
            what = t(KIND_NAMES.get(entry.kind, entry.kind))
            if entry.shares:
                what += f" ×{entry.shares}"
            table.add_row(
                entry.on.isoformat(),
                entry.member_id or "-",
                what,
                right(show_money(entry.amount_minor, self.code, self.country)),
                "↩" if entry.entry_id in chosen else "",
                key=entry.entry_id,
            )
        self.query_one("#chosen", Static).update(
            t(N_("{count} to reverse at this meeting"), count=len(self.chosen))
            if self.chosen
            else ""
        )

    def _entry_under_cursor(self) -> CorrectableEntry | None:
        table = self.query_one(DataTable)
        if not self.entries or table.cursor_row >= len(self.entries):
            return None
        return self.entries[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        entry = self._entry_under_cursor()
        if entry is None or any(item["id"] == entry.entry_id for item in self.chosen):
            return
        from tui.screens.prompt import PromptScreen

        def done(reason: str | None) -> None:
            if reason:
                label = f"{entry.on.isoformat()} {entry.member_id or ''} " + t(
                    KIND_NAMES.get(entry.kind, entry.kind)
                )
                self.chosen.append(
                    {
                        "id": entry.entry_id,
                        "reason": reason,
                        "member": entry.member_id or "",
                        "label": label,
                    }
                )
                self._fill()

        self.app.push_screen(
            PromptScreen(t(N_("Reverse this entry")), t(N_("Why? (kept in the book)"))), done
        )

    def action_take_back(self) -> None:
        entry = self._entry_under_cursor()
        if entry is not None:
            self.chosen = [item for item in self.chosen if item["id"] != entry.entry_id]
            self._fill()

    def action_done(self) -> None:
        self.dismiss(self.chosen)

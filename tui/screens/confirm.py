"""A yes/no question before anything that cannot be undone (closing a meeting, a share-out)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ledger import N_
from tui.text import t


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True only when the facilitator chooses the first button."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Go back"))]

    def __init__(
        self, title: str, lines: Sequence[str | Text], *, yes: str, no: str = N_("Go back")
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = list(lines)
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            for line in self.lines:
                yield Static(line, classes="dialog-line")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(self.yes), variant="primary", id="yes")
                yield Button(t(self.no), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)

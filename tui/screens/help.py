"""Help for the screen the facilitator is on, and the keys that work everywhere."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from ledger import N_
from tui.text import t

GENERAL = N_(
    "**Keys everywhere**: F1 this help · Escape goes back · Ctrl+Q quits (a meeting in "
    "progress is kept on this device).\n\n"
    "Money is typed in whole units, with a dot for cents where the currency has them "
    "(5000, or 12.50); never a comma or a space."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
        Binding("f1", "close", N_("Close"), show=False),
        Binding("q", "close", N_("Close"), show=False),
    ]

    def __init__(self, topic: str) -> None:
        super().__init__()
        self.topic = topic

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(t(N_("Help")), classes="dialog-title")
            if self.topic:
                yield Markdown(t(self.topic))
            yield Markdown(t(GENERAL))
            yield Static(t(N_("Escape: close")), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)

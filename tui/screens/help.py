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
    "progress is kept on this device)."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Close")),
        Binding("f1", "close", N_("Close"), show=False),
        Binding("q", "close", N_("Close"), show=False),
    ]

    def __init__(self, topic: str, extra: str = "", money: str = "") -> None:
        """`topic`: the screen's help (a msgid); `extra`, `money`: more of it, already in the
        facilitator's language (what the columns mean; how amounts are typed)."""
        super().__init__()
        self.topic = topic
        self.extra = extra
        self.money = money

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(t(N_("Help")), classes="dialog-title")
            if self.topic:
                yield Markdown(t(self.topic))
            if self.extra:
                yield Markdown(self.extra)
            yield Markdown(t(GENERAL) + ("\n\n" + self.money if self.money else ""))
            yield Static(t(N_("Escape: close")), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)

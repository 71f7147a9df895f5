"""Ask for one value (a reason, a date), checked as it is typed; Escape gives up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ledger import N_
from tui.text import t

# Returns the reason the text is refused, or None when it is fine.
Check = Callable[[str], str | None]


def needs_text(text: str) -> str | None:
    return None if text.strip() else t(N_("write something: it is kept in the book"))


def is_date(text: str) -> str | None:
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return t(N_('"{value}" is not a date: write it as YYYY-MM-DD'), value=text)
    return None


class PromptScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Go back"))]

    def __init__(
        self, title: str, label: str, *, value: str = "", check: Check = needs_text
    ) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.value = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.label, classes="dialog-line")
            yield Input(self.value, id="answer")
            yield Static("", id="why", classes="problem")
            yield Static(t(N_("Enter: done · Escape: go back")), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._show(self.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, text: str) -> None:
        problem = self.check(text) if text else None
        self.query_one("#why", Static).update(problem or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.check(event.value)
        if problem is None:
            self.dismiss(event.value.strip())
        else:
            self.query_one("#why", Static).update(problem)

    def action_cancel(self) -> None:
        self.dismiss(None)

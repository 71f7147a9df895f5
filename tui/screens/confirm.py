"""A yes/no question before anything that cannot be undone (closing a meeting, a share-out)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from ledger import N_
from tui.text import t


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True only when the facilitator chooses the first button.

    `danger`: the first button loses something (a meeting typed, edits not saved): it is red,
    and the focus starts on the safe one, so an Enter pressed out of habit loses nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Go back"))]

    def __init__(
        self,
        title: str,
        lines: Sequence[str | Text],
        *,
        yes: str,
        no: str = N_("Go back"),
        danger: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = list(lines)
        self.yes = yes
        self.no = no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            for line in self.lines:
                yield Static(line, classes="dialog-line")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(self.yes), variant="error" if self.danger else "primary", id="yes")
                yield Button(t(self.no), variant="primary" if self.danger else "default", id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.danger else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


def leave_unsaved(screen: Screen[Any], changed: bool, leave: Callable[[], object]) -> None:
    """Escape on a form: leave at once when nothing was typed; otherwise ask first, the
    safe answer (keep editing) under the cursor."""
    if not changed:
        leave()
        return

    def answered(confirmed: bool | None) -> None:
        if confirmed:
            leave()

    screen.app.push_screen(
        ConfirmScreen(
            t(N_("Leave without saving?")),
            [t(N_("What was typed on this screen is lost; nothing of it is in the book."))],
            yes=N_("Leave without saving"),
            no=N_("Keep editing"),
            danger=True,
        ),
        answered,
    )

"""Device settings: the language the app speaks, and colours for bright or dim light."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ledger import N_
from tui.text import language, t
from vsla.book.session import BookSession
from vsla.i18n import LANGUAGE_NAMES, LANGUAGES

THEME_NAMES = {
    "textual-dark": N_("Dark (dim light)"),
    "textual-light": N_("Light (bright daylight)"),
}


class Choices(OptionList):
    """A short list that stops at its ends: Down on the last language stays there instead of
    coming round to the first, where a facilitator does not expect to land."""

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        # Every option of these lists can be chosen: the next one, or the same at an end.
        current = self.highlighted
        last = self.option_count - 1
        self.highlighted = 0 if current is None else min(max(current + direction, 0), last)


class SettingsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close"))]

    def __init__(self, session: BookSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t(N_("Settings")), classes="dialog-title")
            yield Static(t(N_("Language")), classes="dialog-line")
            yield Choices(
                *[Option(LANGUAGE_NAMES[code], id=f"language:{code}") for code in LANGUAGES],
                id="languages",
            )
            yield Static(t(N_("Colours")), classes="dialog-line")
            yield Choices(
                *[Option(t(name), id=f"theme:{theme}") for theme, name in THEME_NAMES.items()],
                id="themes",
            )
            yield Static(
                t(N_("Enter chooses · Tab next list · Escape closes")), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        languages = self.query_one("#languages", OptionList)
        languages.highlighted = LANGUAGES.index(language())
        # Each list starts on what is in use now: Down then means "the next one".
        themes = list(THEME_NAMES)
        current = self.app.theme
        self.query_one("#themes", OptionList).highlighted = (
            themes.index(current) if current in themes else 0
        )
        languages.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind, _, value = (event.option.id or "").partition(":")
        from tui.app import VslaApp

        app = self.app
        assert isinstance(app, VslaApp)
        if kind == "theme":
            app.choose_theme(value)
        elif kind == "language":
            app.choose_language(value)

    def action_close(self) -> None:
        self.dismiss(None)

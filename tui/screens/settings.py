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
from vsla.book.service import Book
from vsla.i18n import LANGUAGE_NAMES, LANGUAGES

THEME_NAMES = {
    "textual-dark": N_("Dark (dim light)"),
    "textual-light": N_("Light (bright daylight)"),
}


class SettingsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", N_("Close"))]

    def __init__(self, book: Book) -> None:
        super().__init__()
        self.book = book

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t(N_("Settings")), classes="dialog-title")
            yield Static(t(N_("Language")), classes="dialog-line")
            yield OptionList(
                *[Option(LANGUAGE_NAMES[code], id=f"language:{code}") for code in LANGUAGES],
                id="languages",
            )
            yield Static(t(N_("Colours")), classes="dialog-line")
            yield OptionList(
                *[Option(t(name), id=f"theme:{theme}") for theme, name in THEME_NAMES.items()],
                id="themes",
            )
            yield Static(
                t(N_("Enter chooses · Tab next list · Escape closes")), classes="dialog-hint"
            )

    def on_mount(self) -> None:
        languages = self.query_one("#languages", OptionList)
        languages.highlighted = LANGUAGES.index(language())
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

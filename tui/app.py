"""The facilitator's app: `create_app` builds it (tests reuse it), `run` opens it for `vsla`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from ledger import N_
from tui.text import set_language, t
from vsla.book.service import Book
from vsla.i18n import LANGUAGES, default_language

THEMES = ("textual-dark", "textual-light")


class VslaApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "VSLA books"
    # The command palette would add a second way to do everything; keys stay few and shown.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", N_("Help")),
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True),
    ]

    def __init__(
        self,
        book: Book,
        *,
        today: date | None = None,
        group: str | None = None,
        owns_book: bool = False,
    ) -> None:
        super().__init__()
        self.book = book
        self.today = today or date.today()
        self.start_group = group
        self.owns_book = owns_book
        self.language = book.setting("language") or default_language()
        set_language(self.language)
        theme = book.setting("theme")
        if theme in THEMES:
            self.theme = theme

    def on_mount(self) -> None:
        self.title = t(N_("VSLA books"))
        self.show_groups(self.start_group)

    def show_groups(self, group: str | None = None) -> None:
        from tui.screens.groups import GroupPickerScreen
        from tui.screens.home import GroupHomeScreen

        self.push_screen(GroupPickerScreen(self.book, self.today))
        if group is not None:
            self.push_screen(GroupHomeScreen(self.book, group, self.today))

    def choose_language(self, language: str) -> None:
        """Speak `language` from now on, on this device; the screens are rebuilt in it."""
        if language not in LANGUAGES:
            return
        self.book.set_setting("language", language)
        self.language = language
        set_language(language)
        # Not from inside a screen's handler: rebuilding pops that very screen.
        self.call_later(self._rebuild, self._current_group())

    async def _rebuild(self, group: str | None) -> None:
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        self.show_groups(group)

    def choose_theme(self, theme: str) -> None:
        if theme in THEMES:
            self.book.set_setting("theme", theme)
            self.theme = theme

    def _current_group(self) -> str | None:
        for screen in reversed(self.screen_stack):
            group = getattr(screen, "group_id", None)
            if isinstance(group, str):
                return group
        return None

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(getattr(self.screen, "HELP", "")))

    def on_unmount(self) -> None:
        if self.owns_book:
            self.book.close()


def create_app(
    book_or_path: Book | str | Path, *, today: date | None = None, group: str | None = None
) -> VslaApp:
    """The app on a book (or the book at a path, opened and closed by the app)."""
    if isinstance(book_or_path, Book):
        return VslaApp(book_or_path, today=today, group=group)
    return VslaApp(Book.open(book_or_path), today=today, group=group, owns_book=True)


def run(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    create_app(db_path).run()

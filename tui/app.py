"""The facilitator's app: `create_app` builds it (tests reuse it), `run` opens it for `vsla`."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from ledger import N_
from tui.text import problem_text, set_language, t, typing_help
from vsla.book.errors import BookDamaged, BookError, StoreError
from vsla.book.session import BookSession
from vsla.i18n import LANGUAGES, default_language, render_problem

if TYPE_CHECKING:
    from vsla.book.service import Book

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
        session: BookSession,
        *,
        today: date | None = None,
        group: str | None = None,
        owns_book: bool = False,
    ) -> None:
        super().__init__()
        self.session = session
        self.today = today or date.today()
        self.start_group = group
        self.owns_book = owns_book
        self.language = session.reader.setting("language") or default_language()
        set_language(self.language)
        theme = session.reader.setting("theme")
        if theme in THEMES:
            self.theme = theme

    def on_mount(self) -> None:
        self.title = t(N_("VSLA books"))
        self.show_groups(self.start_group)

    def show_groups(self, group: str | None = None) -> None:
        from tui.screens.groups import GroupPickerScreen
        from tui.screens.home import GroupHomeScreen

        self.push_screen(GroupPickerScreen(self.session, self.today))
        if group is not None:
            self.push_screen(GroupHomeScreen(self.session, group, self.today))

    def choose_language(self, language: str) -> None:
        """Speak `language` from now on, on this device; the screens are rebuilt in it."""
        if language not in LANGUAGES:
            return
        self._remember("language", language)
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
            self._remember("theme", theme)
            self.theme = theme

    def _remember(self, key: str, value: str) -> None:
        """A setting of this device; on a book that cannot be written it lasts this session."""
        if self.session.read_only:
            return
        try:
            self.session.book.set_setting(key, value)
        except BookError as error:
            self.notify(problem_text(error.problem), severity="warning")

    def _current_group(self) -> str | None:
        for screen in reversed(self.screen_stack):
            group = getattr(screen, "group_id", None)
            if isinstance(group, str):
                return group
        return None

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        # A screen may add help of its own, already in the facilitator's language.
        extra = getattr(screen, "help_extra", None)
        code, country = _currency_of(screen)
        self.push_screen(
            HelpScreen(
                getattr(screen, "HELP", ""),
                extra() if callable(extra) else "",
                typing_help(code, country),
            )
        )

    def on_unmount(self) -> None:
        if self.owns_book:
            self.session.close()


def _currency_of(screen: object) -> tuple[str, str | None]:
    """The currency amounts are typed in on `screen`: its group's, or any with cents before
    a group exists (the marks of the rule are the language's, whatever the currency)."""
    state = getattr(screen, "state", None)
    if state is not None:
        return str(state.currency.code), state.country
    cur = getattr(screen, "cur", None)
    if cur is not None:
        return str(cur.code), getattr(screen, "country", None)
    return "USD", None


def create_app(
    book: Book | BookSession | str | Path, *, today: date | None = None, group: str | None = None
) -> VslaApp:
    """The app on a book already open (the tests' way), or on the book at a path, which the
    app opens (see `BookSession.open`: backed up, read-only or refused when it must be) and
    closes."""
    if isinstance(book, str | Path):
        return VslaApp(BookSession.open(Path(book)), today=today, group=group, owns_book=True)
    session = book if isinstance(book, BookSession) else BookSession.of(book)
    return VslaApp(session, today=today, group=group)


def run(db_path: Path) -> int:
    """Open the app on the book at `db_path`; the exit status: 0, or 2 when the book cannot
    be opened (said on stderr, with the latest backup when it is damaged)."""
    from vsla.book.backups import damage_advice

    try:
        app = create_app(db_path)
    except StoreError as error:
        advice = damage_advice(db_path, damaged=isinstance(error, BookDamaged))
        print(render_problem(error.problem), advice, sep="\n", file=sys.stderr)
        return 2
    app.run()
    code = app.return_code or 0
    if code and db_path.exists():
        print(damage_advice(db_path), file=sys.stderr)
    return code

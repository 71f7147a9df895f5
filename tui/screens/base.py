"""What the screens about one group share: the book, the group and the day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.screen import Screen

from vsla.book.session import BookSession

if TYPE_CHECKING:
    from vsla.book.reader import Reader
    from vsla.book.service import Book


class BookScreen(Screen[None]):
    """A screen that reads the book (`reader`) and may record in it (`book`)."""

    def __init__(self, session: BookSession) -> None:
        super().__init__()
        self.session = session

    @property
    def reader(self) -> Reader:
        return self.session.reader

    @property
    def book(self) -> Book:
        """The services: loaded the first time something is recorded or previewed."""
        return self.session.book


class GroupScreen(BookScreen):
    def __init__(self, session: BookSession, group_id: str, today: date) -> None:
        super().__init__(session)
        self.group_id = group_id
        self.today = today
        self.state = self.reader.state(group_id)

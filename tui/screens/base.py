"""What the screens about one group share: the book, the group and the day."""

from __future__ import annotations

from datetime import date

from textual.screen import Screen

from vsla.book.service import Book


class GroupScreen(Screen[None]):
    def __init__(self, book: Book, group_id: str, today: date) -> None:
        super().__init__()
        self.book = book
        self.group_id = group_id
        self.today = today
        self.state = book.state(group_id)

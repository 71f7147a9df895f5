"""The meeting grid: one row per member, one column per phase of the meeting, keyboard first.

Typing a number replaces the cell; Enter confirms it and goes to the next member (at the foot
of a column, to the top of the next phase); Tab and the arrows move freely. Every change is
written into the sheet at once and announced with `Edited`, so the screen checks the rules and
saves the draft on each key. The reason for a refused value is shown on a line under the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ledger import N_, Currency, LedgerError, parse_amount
from tui.sheet import AMOUNT_COLUMNS, ATTENDANCE, COLUMNS, COUNT_COLUMNS, PAYING, Place, Sheet
from tui.text import show_amount, t, typed_amount
from vsla.domain.words import ATTENDANCE_NAMES

TITLES = {
    "attendance": N_("Here"),
    "social_fund": N_("Social"),
    "shares": N_("Shr"),
    "repay": N_("Repay"),
    "fine": N_("Fine"),
    "loan": N_("Loan"),
    "term": N_("Mo"),
}
STEPS = {
    "attendance": N_("1 Attendance: Space changes, or p present, e excused, a absent, x proxy"),
    "social_fund": N_("3 Social fund: Enter confirms, a number replaces, Del clears"),
    "shares": N_("4 Shares: type how many she buys; Enter: next member"),
    "repay": N_("5 Repayments: type the amount, = repays all she owes"),
    "fine": N_("6 Fines: Space or first letter chooses, * paid/owed, Del removes"),
    "loan": N_("7 New loans: type the amount; the term is next to it"),
    "term": N_("7 Loan term in months (a month is 28 days)"),
}
ATTENDANCE_WORDS = ATTENDANCE_NAMES
ATTENDANCE_KEYS = {"p": "present", "e": "excused", "a": "absent", "x": "proxy"}
WIDTHS = {
    "no": 3,
    "attendance": 7,
    "social_fund": 6,
    "shares": 3,
    "repay": 9,
    "fine": 7,
    "loan": 9,
    "term": 2,
    "owes": 10,
}
NAME_MIN = 8
TYPED_MARKS = frozenset(".,'")

CURSOR = Style(reverse=True, bold=True)
REFUSED = Style(color="bright_white", bgcolor="red", bold=True)
PREFILLED = Style(dim=True)
HEADER = Style(bold=True, underline=True)
CURRENT_HEADER = Style(bold=True, reverse=True)
REASON = Style(color="red", bold=True)
LATE = Style(color="red", bold=True)
HINT = Style(italic=True)


@dataclass(slots=True)
class GridView:
    """What the rules said about the sheet, to show next to the cells."""

    problems: dict[Place, list[str]] = field(default_factory=dict)
    owes_minor: dict[str, int] = field(default_factory=dict)
    late: set[str] = field(default_factory=set)
    due_minor: dict[str, int] = field(default_factory=dict)  # before repaying, after charges
    fines_owed_minor: dict[str, int] = field(default_factory=dict)  # after this meeting


class MeetingGrid(Widget, can_focus=True):
    DEFAULT_CSS = """
    MeetingGrid { height: 1fr; width: 1fr; }
    MeetingGrid:focus { background-tint: $foreground 3%; }
    """

    class Edited(Message):
        """The sheet changed: check the rules again and save the draft."""

        def __init__(self, member_id: str, column: str) -> None:
            super().__init__()
            self.member_id = member_id
            self.column = column

    class Moved(Message):
        """The cursor moved (kept in the draft, so a resumed meeting opens where it was)."""

    class Leave(Message):
        """Tab past the last column (forward) or Shift+Tab before the first."""

        def __init__(self, forward: bool) -> None:
            super().__init__()
            self.forward = forward

    class ColumnDone(Message):
        """Enter at the foot of a column: that phase of the meeting is done."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    cursor = reactive((0, 0), always_update=True)

    def __init__(self, sheet: Sheet, cur: Currency, country: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sheet = sheet
        self.cur = cur
        self.country = country
        self.view = GridView()
        self.editing = False
        self._before = ""
        self._top = 0
        self.set_reactive(MeetingGrid.cursor, sheet.cursor)

    # -- what the screen tells it ----------------------------------------------------------

    def show(self, view: GridView) -> None:
        self.view = view
        self.refresh()

    @property
    def row(self) -> int:
        return self.cursor[0]

    @property
    def column(self) -> str:
        return COLUMNS[self.cursor[1]]

    def current_problems(self) -> list[str]:
        if not self.sheet.rows:
            return []
        member = self.sheet.rows[self.row].member_id
        return self.view.problems.get((member, self.column), [])

    def move_to(self, row: int, col: int) -> None:
        self._commit()
        rows = max(len(self.sheet.rows), 1)
        self.cursor = (min(max(row, 0), rows - 1), min(max(col, 0), len(COLUMNS) - 1))
        self.sheet.cursor = self.cursor
        self.post_message(self.Moved())

    # -- keys ------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        if not self.sheet.rows:
            return
        if self._key(event.key, event.character):
            event.stop()
            event.prevent_default()

    def _key(self, key: str, char: str | None) -> bool:
        row, col = self.cursor
        last_row, last_col = len(self.sheet.rows) - 1, len(COLUMNS) - 1
        moves = {
            "up": (row - 1, col),
            "down": (row + 1, col),
            "left": (row, col - 1),
            "right": (row, col + 1),
            "home": (0, col),
            "end": (last_row, col),
            "pageup": (row - max(self._body_height() // 2, 1), col),
            "pagedown": (row + max(self._body_height() // 2, 1), col),
        }
        if key in moves:
            self.move_to(*moves[key])
            return True
        if key == "enter":
            self._commit()
            self.sheet.confirm(row, self.column)
            self._edited()
            if row < last_row:
                self.move_to(row + 1, col)
            else:
                self.post_message(self.ColumnDone(COLUMNS[col]))
            return True
        if key == "tab":
            if col < last_col:
                self.move_to(row, col + 1)
            else:
                self._commit()
                self.post_message(self.Leave(True))
            return True
        if key == "shift+tab":
            if col > 0:
                self.move_to(row, col - 1)
            else:
                self._commit()
                self.post_message(self.Leave(False))
            return True
        if key == "escape" and self.editing:
            self._set(self._before)
            self.editing = False
            return True
        if key == "delete" or (key == "backspace" and not self.editing and self.column == "fine"):
            self._set("")
            self.editing = False
            return True
        column = self.column
        if column == "attendance":
            return self._attendance_key(key, char)
        if column == "fine":
            return self._fine_key(key, char)
        return self._text_key(key, char)

    def _attendance_key(self, key: str, char: str | None) -> bool:
        current = self.sheet.rows[self.row].attendance
        if key == "space":
            self._set(ATTENDANCE[(ATTENDANCE.index(current) + 1) % len(ATTENDANCE)])
            return True
        if char and char.lower() in ATTENDANCE_KEYS:
            self._set(ATTENDANCE_KEYS[char.lower()])
            return True
        return False

    def _fine_key(self, key: str, char: str | None) -> bool:
        fines = self.sheet.defaults.fines
        row = self.sheet.rows[self.row]
        current = row.cells.get("fine", "")
        if not fines:
            return False
        if key == "space":
            choices = ("", *fines)
            index = choices.index(current) if current in choices else 0
            self._set(choices[(index + 1) % len(choices)])
            return True
        if char == "*" and current:
            row.fine_owed = not row.fine_owed
            self._edited()
            return True
        if char and char.isalpha():
            starting = [f for f in fines if f.lower().startswith(char.lower())]
            if starting:
                after = starting.index(current) + 1 if current in starting else 0
                self._set(starting[after % len(starting)])
            return True
        return False

    def _text_key(self, key: str, char: str | None) -> bool:
        text = self.sheet.rows[self.row].cell(self.column)
        if key == "backspace":
            if not self.editing:
                self._start_editing(text)
                self._set("")
            else:
                self._set(text[:-1])
            return True
        if char == "=" and self.column == "repay":
            due = self.view.due_minor.get(self.sheet.rows[self.row].member_id, 0)
            if due:
                self._set(typed_amount(due, self.cur))
                self.editing = False
            return True
        # Separators are let in so that "1,000" is refused with its reason, not silently read.
        if char is not None and (char.isdigit() or char in TYPED_MARKS):
            if not self.editing:
                self._start_editing(text)
                text = ""
            if len(text) < 15:
                self._set(text + char)
            return True
        return False

    def _start_editing(self, before: str) -> None:
        self.editing = True
        self._before = before

    def _commit(self) -> None:
        if self.editing:
            self.editing = False
            self.sheet.confirm(self.row, self.column)
            self.refresh()

    def _set(self, text: str) -> None:
        self.sheet.set_cell(self.row, self.column, text)
        self._edited()

    def _edited(self) -> None:
        self.refresh()
        self.post_message(self.Edited(self.sheet.rows[self.row].member_id, self.column))

    # -- mouse (a phone's touch screen sends clicks) ---------------------------------------

    def on_click(self, event: events.Click) -> None:
        line = event.y - 1 + self._top
        for index, first_line in enumerate(self._row_lines()):
            if first_line == line:
                col = self._column_at(event.x)
                self.move_to(index, self.cursor[1] if col is None else col)
                return

    def _column_at(self, x: int) -> int | None:
        position = 1 + WIDTHS["no"] + 1 + self._name_width() + 1
        for index, column in enumerate(COLUMNS):
            if position <= x < position + WIDTHS[column]:
                return index
            position += WIDTHS[column] + 1
        return None

    # -- drawing ---------------------------------------------------------------------------

    def _name_width(self) -> int:
        fixed = sum(WIDTHS.values()) + len(WIDTHS) + 1
        return max(self.size.width - fixed - 1, NAME_MIN)

    def _body_height(self) -> int:
        return max(self.size.height - 2, 1)

    def _row_lines(self) -> list[int]:
        """The first body line of each row (rows with a problem take a second line)."""
        lines, position = [], 0
        for row in self.sheet.rows:
            lines.append(position)
            position += 2 if self._row_problems(row.member_id) else 1
        return lines

    def _row_problems(self, member_id: str) -> list[tuple[str, str]]:
        found = []
        for column in (*COLUMNS, "row"):
            for message in self.view.problems.get((member_id, column), []):
                found.append((column, message))
        return found

    def render(self) -> Text:
        width = self.size.width
        body: list[Text] = []
        first_lines = self._row_lines()
        for index, row in enumerate(self.sheet.rows):
            body.append(self._render_row(index))
            problems = self._row_problems(row.member_id)
            if problems:
                column, message = problems[0]
                label = t(TITLES[column]) if column in TITLES else ""
                more = f" (+{len(problems) - 1})" if len(problems) > 1 else ""
                reason = Text("    ↳ ", style=REASON)
                reason.append(f"{label}: {message}{more}" if label else message + more, REASON)
                reason.truncate(width, overflow="ellipsis")
                body.append(reason)
        height = self._body_height()
        if first_lines:
            cursor_line = first_lines[self.row]
            cursor_end = cursor_line + (
                1 if self._row_problems(self.sheet.rows[self.row].member_id) else 0
            )
            if cursor_line < self._top:
                self._top = cursor_line
            elif cursor_end >= self._top + height:
                self._top = cursor_end - height + 1
            self._top = max(0, min(self._top, max(len(body) - height, 0)))
        visible = body[self._top : self._top + height]
        lines = [self._render_header(), *visible]
        lines += [Text("")] * (height - len(visible))
        lines.append(self._render_hint(width))
        return Text("\n").join(lines)

    def _render_header(self) -> Text:
        text = Text(" ")
        text.append(_fit(t(N_("No.")), WIDTHS["no"]), HEADER)
        text.append(" ")
        text.append(_fit(t(N_("Name")), self._name_width()), HEADER)
        for index, column in enumerate(COLUMNS):
            text.append(" ")
            style = CURRENT_HEADER if index == self.cursor[1] else HEADER
            text.append(
                _fit(t(TITLES[column]), WIDTHS[column], right=column != "attendance"), style
            )
        text.append(" ")
        text.append(_fit(t(N_("Owes")), WIDTHS["owes"], right=True), HEADER)
        return text

    def _render_row(self, index: int) -> Text:
        row = self.sheet.rows[index]
        here = row.attendance in PAYING
        mark = "▶" if index == self.row else " "
        text = Text(mark)
        text.append(_fit(row.member_id, WIDTHS["no"]), Style(bold=here, dim=not here))
        text.append(" ")
        extra = "+" if row.grant or row.fines_paid else ""
        text.append(_fit(row.name + extra, self._name_width()), Style(dim=not here))
        for col_index, column in enumerate(COLUMNS):
            text.append(" ")
            shown, refused = self._cell_text(row.member_id, column, index)
            style = Style()
            if refused:
                style = REFUSED
            elif column != "attendance" and column not in row.confirmed and shown.strip():
                style = PREFILLED
            if index == self.row and col_index == self.cursor[1] and self.has_focus:
                style = style + CURSOR
            text.append(_fit(shown, WIDTHS[column], right=column != "attendance"), style)
        text.append(" ")
        owes = self.view.owes_minor.get(row.member_id, 0)
        late = row.member_id in self.view.late
        owes_text = ("!" if late else "") + (
            show_amount(owes, self.cur, self.country) if owes else ""
        )
        text.append(_fit(owes_text, WIDTHS["owes"], right=True), LATE if late else Style())
        return text

    def _cell_text(self, member_id: str, column: str, index: int) -> tuple[str, bool]:
        row = self.sheet.rows[index]
        refused = bool(self.view.problems.get((member_id, column)))
        if column == "attendance":
            return t(ATTENDANCE_WORDS[row.attendance]), refused
        raw = row.cells.get(column, "")
        editing = self.editing and index == self.row and column == self.column
        if column == "fine":
            if not raw:
                return ("·" if self.sheet.defaults.fines else ""), refused
            return raw.replace("_", " ") + ("*" if row.fine_owed else ""), refused
        if editing:
            return raw + "▏", refused
        if not raw:
            return ("·" if row.attendance in PAYING else ""), refused
        if column in AMOUNT_COLUMNS:
            try:
                return show_amount(parse_amount(raw, self.cur), self.cur, self.country), refused
            except LedgerError:
                return raw, True
        if column in COUNT_COLUMNS:
            return raw, refused
        return raw, refused

    def _render_hint(self, width: int) -> Text:
        problems = self.current_problems()
        if problems and self.has_focus:
            text = Text("⚠ " + problems[0], REASON)
        else:
            text = Text(t(STEPS[self.column]), HINT)
            member = self.sheet.rows[self.row].member_id if self.sheet.rows else ""
            owed = self.view.fines_owed_minor.get(member, 0)
            if self.column == "fine" and owed:
                amount = show_amount(owed, self.cur, self.country)
                text = Text(t(N_("She owes fines: {amount}. Ctrl+D to pay them"), amount=amount))
        text.truncate(width, overflow="ellipsis")
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self._commit()
        self.refresh()


def _fit(text: str, width: int, *, right: bool = False) -> str:
    if len(text) > width:
        return text[: max(width - 1, 0)] + "…" if width > 1 else text[:width]
    return text.rjust(width) if right else text.ljust(width)

"""The meeting grid: one row per member, one column per phase of the meeting, keyboard first.

Typing a number replaces the cell; Enter confirms it and goes to the next member who can take
a value in that column (absent and excused members pay nothing in; at the foot of a column,
to the top of the next phase); Tab and the arrows move freely. Every change is written into
the sheet at once and announced with `Edited`, so the screen checks the rules and saves the
draft on each key. The reason for a refused value is shown on a line under the row; a refused
key (a letter in an amount) is never dropped silently: the hint line says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ledger import N_, Currency
from tui.names import fit_name, short_names
from tui.sheet import ABSENT_FINE, AMOUNT_COLUMNS, ATTENDANCE, COLUMNS, PAYING, Place, Sheet
from tui.text import language, parse_typed, show_amount, t, typed_amount
from vsla.book.errors import BookError
from vsla.display import typing_examples
from vsla.domain.words import ATTENDANCE_NAMES

# Whole words: each column widens to its title in the facilitator's language.
TITLES = {
    "attendance": N_("Here"),
    "social_fund": N_("Social"),
    "shares": N_("Shares"),
    "repay": N_("Repay"),
    "fine": N_("Fines"),
    "loan": N_("Loan"),
    "term": N_("Mo"),
}
OWES_TITLE = N_("Owes")
# What each title means, for the help (F1): the titles are short, the help is not.
MEANINGS = {
    "attendance": N_("present, excused, absent, or represented by a proxy"),
    "social_fund": N_("social fund paid today"),
    "shares": N_("shares bought today"),
    "repay": N_("loan repaid today (= fills in all she owes)"),
    "fine": N_("fine given today; * after it: owed, not paid"),
    "loan": N_("new loan given today"),
    "term": N_("the new loan's term, in months"),
}
OWES_MEANING = N_("her loan still owed after this meeting; ! before it: the loan is late")
MORE_MEANING = N_("A + after a name: more for her today (Ctrl+D)")
GREY_MEANING = N_("Grey amounts were filled in by the app and are not confirmed yet.")
STEPS = {
    "attendance": N_("1 Attendance: Space changes, or p present, e excused, a absent, x proxy"),
    "social_fund": N_("3 Social fund: Enter confirms, a number replaces, Del clears"),
    "shares": N_("4 Shares: type how many she buys; Enter: next member"),
    "repay": N_("5 Repayments: type the amount, = repays all she owes"),
    "fine": N_("6 Fines: Space or first letter chooses, * paid/owed, Del removes"),
    "loan": N_("7 New loans: type the amount; the term is next to it"),
    "term": N_("7 Loan term in months (a month is 28 days)"),
}
# The steps typed outside the grid, shown on its hint line while the counts have the focus.
COUNT_STEPS = {
    "opening": N_("2 Opening count: count both bowls, type each amount, then Enter"),
    "closing": N_("8 Closing count: count both bowls, type each amount, then Enter"),
}
NOT_HERE = N_("{name} is {attendance} today: nothing is typed for her in this column")
KEY_IN_AMOUNT = N_('"{key}" cannot be typed in an amount: use the digits 0-9, like {grouped}')
KEY_IN_COUNT = N_('"{key}" cannot be typed here: type a whole number with the digits 0-9')
KEY_IN_ATTENDANCE = N_('"{key}": Space, or p present, e excused, a absent, x proxy')
KEY_IN_FINES = N_('No fine starts with "{key}": Space goes through them ({fines})')
ABSENCE_FINE_ONLY = N_("The absence fine is only for a member marked absent")
STAR_FIRST = N_("Choose a fine first; * then switches it between paid and owed")
NO_FINES = N_("This group's constitution has no fines")
NOTHING_DUE = N_("She owes nothing on a loan today")
TOO_LONG = N_("An amount has at most 15 characters")
ATTENDANCE_WORDS = ATTENDANCE_NAMES
ATTENDANCE_KEYS = {"p": "present", "e": "excused", "a": "absent", "x": "proxy"}
# The fewest characters each column needs for what it holds (CDF 1.500.000 is 9).
MIN_WIDTHS = {
    "no": 3,
    "attendance": 5,
    "social_fund": 5,
    "shares": 2,
    "repay": 9,
    "fine": 7,
    "loan": 9,
    "term": 2,
    "owes": 9,
}
NAME_MIN = 10
NAME_MAX = 30
MAX_TYPED = 15
TYPED_MARKS = frozenset(".,' ")

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


@dataclass(frozen=True, slots=True)
class Layout:
    """Column widths for one screen width and language; `names` as shown, row by row."""

    widths: dict[str, int]
    name: int
    names: list[str]


def legend() -> str:
    """The grid's titles and marks explained (Markdown, in the current language), built from
    the same titles the grid shows."""
    heading = t(N_("Columns"))  # not inside the f-string: the extractor would not see it
    lines = [f"**{heading}**", ""]
    for column in COLUMNS:
        lines.append(f"- **{t(TITLES[column])}**: {t(MEANINGS[column])}")
    lines.append(f"- **{t(OWES_TITLE)}**: {t(OWES_MEANING)}")
    lines += ["", t(MORE_MEANING) + ". " + t(GREY_MEANING)]
    return "\n".join(lines)


def layout(width: int, names: list[str]) -> Layout:
    """Each column as wide as its title or its content; the name column takes what is left,
    but no more than the longest name: at 120 columns the numbers stay next to the names."""
    words = [t(word) for word in ATTENDANCE_WORDS.values()]
    widths = dict(MIN_WIDTHS)
    widths["attendance"] = max(widths["attendance"], *(min(len(w), 8) for w in words))
    for column, title in (*TITLES.items(), ("owes", OWES_TITLE)):
        widths[column] = max(widths[column], len(t(title)))
    fixed = 1 + widths["no"] + 1 + sum(widths[c] + 1 for c in COLUMNS) + 1 + widths["owes"]
    # A title longer than its column needs gives way before the names do.
    while width - fixed < NAME_MIN:
        column = max(widths, key=lambda c: widths[c] - MIN_WIDTHS[c])
        if widths[column] <= MIN_WIDTHS[column]:
            break
        widths[column] -= 1
        fixed -= 1
    longest = max((len(name) for name in names), default=NAME_MIN)
    name = min(max(width - fixed, NAME_MIN), max(longest, NAME_MIN), NAME_MAX)
    return Layout(widths, name, short_names(names, name))


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
        self._before_term: str | None = None
        self._top = 0
        # Why the last key was refused, shown on the hint line until the next key.
        self.refusal: str | None = None
        # The count being typed outside the grid ("opening", "closing"), for the hint line.
        self.outside: str | None = None
        self.set_reactive(MeetingGrid.cursor, sheet.cursor)

    # -- what the screen tells it ----------------------------------------------------------

    def show(self, view: GridView) -> None:
        self.view = view
        self.refresh()

    def show_outside(self, step: str | None) -> None:
        if step != self.outside:
            self.outside = step
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
        self.refusal = None
        rows = max(len(self.sheet.rows), 1)
        self.cursor = (min(max(row, 0), rows - 1), min(max(col, 0), len(COLUMNS) - 1))
        self.sheet.cursor = self.cursor
        self.post_message(self.Moved())

    def move_to_top(self, column: str) -> None:
        """The first member who can take a value in `column` (the start of a phase)."""
        first = 0 if self.sheet.takes(0, column) else self.sheet.next_taking(0, column)
        self.move_to(first or 0, COLUMNS.index(column))

    # -- keys ------------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        if not self.sheet.rows:
            return
        if self._key(event.key, event.character):
            event.stop()
            event.prevent_default()

    def refuse(self, reason: str) -> bool:
        """Say why the key did nothing (on the hint line, with the terminal's bell). It stays
        there until the cursor leaves the cell: typing on after a refused letter must not
        hide that the letter is not in the amount."""
        self.refusal = reason
        self.app.bell()
        self.refresh()
        return True

    def _key(self, key: str, char: str | None) -> bool:
        row, col = self.cursor
        if self._move_key(key):
            return True
        if key == "enter":
            self._commit()
            self.sheet.confirm(row, self.column)
            self._edited()
            following = self.sheet.next_taking(row, self.column)
            if following is not None:
                self.move_to(following, col)
            else:
                self.post_message(self.ColumnDone(COLUMNS[col]))
            return True
        if key in ("tab", "shift+tab"):
            forward = key == "tab"
            if 0 <= col + (1 if forward else -1) < len(COLUMNS):
                self.move_to(row, col + (1 if forward else -1))
            else:
                self._commit()
                self.post_message(self.Leave(forward))
            return True
        if key == "escape" and self.editing:
            self._undo_typing()
            self.refusal = None
            return True
        if key == "delete" or (key == "backspace" and not self.editing and self.column == "fine"):
            self._set("")
            self.editing = False
            return True
        return self._cell_key(key, char)

    def _move_key(self, key: str) -> bool:
        row, col = self.cursor
        page = max(self._body_height() // 2, 1)
        moves = {
            "up": (row - 1, col),
            "down": (row + 1, col),
            "left": (row, col - 1),
            "right": (row, col + 1),
            "home": (0, col),
            "end": (len(self.sheet.rows) - 1, col),
            "pageup": (row - page, col),
            "pagedown": (row + page, col),
        }
        if key not in moves:
            return False
        self.move_to(*moves[key])
        return True

    def _cell_key(self, key: str, char: str | None) -> bool:
        column = self.column
        typed = char is not None and char.isprintable()
        if column == "attendance":
            return self._attendance_key(key, char) or (typed and self._refuse_key(char))
        if typed and not self.sheet.takes(self.row, column):
            row = self.sheet.rows[self.row]
            return self.refuse(
                t(NOT_HERE, name=row.name, attendance=t(ATTENDANCE_WORDS[row.attendance]))
            )
        if column == "fine":
            return self._fine_key(key, char)
        return self._text_key(key, char)

    def _refuse_key(self, char: str | None) -> bool:
        """A printable key the cell has no use for: refused with its reason, never dropped."""
        shown = char or ""
        if self.column == "attendance":
            return self.refuse(t(KEY_IN_ATTENDANCE, key=shown))
        if self.column in AMOUNT_COLUMNS:
            examples = typing_examples(self.cur.code, language(), self.country)
            return self.refuse(t(KEY_IN_AMOUNT, key=shown, grouped=examples["grouped"]))
        return self.refuse(t(KEY_IN_COUNT, key=shown))

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
        fines = self.sheet.fines_for(self.row)
        row = self.sheet.rows[self.row]
        current = row.cells.get("fine", "")
        if char == "*":
            if not current:
                return self.refuse(t(STAR_FIRST))
            row.fine_owed = not row.fine_owed
            self._edited()
            return True
        if key == "space" or (char and char.isalpha()):
            if not self.sheet.defaults.fines:
                return self.refuse(t(NO_FINES))
            letter = "" if key == "space" else (char or "").lower()
            choices = [f for f in fines if f.lower().startswith(letter)]
            if not choices:
                return self._refuse_fine(letter)
            cycle = ["", *choices] if key == "space" else choices
            after = cycle.index(current) + 1 if current in cycle else 0
            self._set(cycle[after % len(cycle)])
            return True
        if char is not None and char.isprintable():
            return self._refuse_fine(char)
        return False

    def _refuse_fine(self, letter: str) -> bool:
        if ABSENT_FINE in self.sheet.defaults.fines and ABSENT_FINE.startswith(letter):
            return self.refuse(t(ABSENCE_FINE_ONLY))
        names = ", ".join(self.sheet.fines_for(self.row))
        return self.refuse(t(KEY_IN_FINES, key=letter, fines=names))

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
            if not due:
                return self.refuse(t(NOTHING_DUE))
            self._set(typed_amount(due, self.cur, self.country))
            self.editing = False
            return True
        # Separators are let in so that "1.000" is refused with its reason, not silently read.
        if char is not None and (char.isdigit() or char in TYPED_MARKS):
            if not self.editing:
                self._start_editing(text)
                text = ""
            if len(text) >= MAX_TYPED:
                return self.refuse(t(TOO_LONG))
            self._set(text + char)
            return True
        if char is not None and char.isprintable():
            return self._refuse_key(char)
        return False

    def _start_editing(self, before: str) -> None:
        self.editing = True
        self._before = before
        self._before_term = self.sheet.rows[self.row].cells.get("term")

    def _undo_typing(self) -> None:
        """Escape: the cell as it was before the typing, the loan's term with it."""
        self._set(self._before)
        if self.column == "loan" and self._before_term is not None:
            self.sheet.rows[self.row].cells["term"] = self._before_term
        self.editing = False

    def _commit(self) -> None:
        if self.editing:
            self.editing = False
            self.sheet.confirm(self.row, self.column)
            self.refresh()

    def _set(self, text: str) -> None:
        self.sheet.set_cell(self.row, self.column, text)
        term = self._before_term
        if self.editing and self.column == "loan" and text and term is not None:
            # Retyping a loan's amount keeps the term she chose for it.
            self.sheet.rows[self.row].cells["term"] = term
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
        shape = self._layout()
        position = 1 + shape.widths["no"] + 1 + shape.name + 1
        for index, column in enumerate(COLUMNS):
            if position <= x < position + shape.widths[column]:
                return index
            position += shape.widths[column] + 1
        return None

    # -- drawing ---------------------------------------------------------------------------

    def _layout(self) -> Layout:
        names = [row.name + ("+" if row.grant or row.fines_paid else "") for row in self.sheet.rows]
        return layout(self.size.width, names)

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
        shape = self._layout()
        body: list[Text] = []
        first_lines = self._row_lines()
        for index, row in enumerate(self.sheet.rows):
            body.append(self._render_row(index, shape))
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
            self._scroll_to_cursor(first_lines, height, len(body))
        visible = body[self._top : self._top + height]
        lines = [self._render_header(shape), *visible]
        lines += [Text("")] * (height - len(visible))
        lines.append(self._render_hint(width))
        return Text("\n").join(lines)

    def _scroll_to_cursor(self, first_lines: list[int], height: int, body_lines: int) -> None:
        cursor_line = first_lines[self.row]
        cursor_end = cursor_line + (
            1 if self._row_problems(self.sheet.rows[self.row].member_id) else 0
        )
        if cursor_line < self._top:
            self._top = cursor_line
        elif cursor_end >= self._top + height:
            self._top = cursor_end - height + 1
        self._top = max(0, min(self._top, max(body_lines - height, 0)))

    def _render_header(self, shape: Layout) -> Text:
        widths = shape.widths
        text = Text(" ")
        text.append(_fit(t(N_("No.")), widths["no"]), HEADER)
        text.append(" ")
        text.append(_fit(t(N_("Name")), shape.name), HEADER)
        for index, column in enumerate(COLUMNS):
            text.append(" ")
            style = CURRENT_HEADER if index == self.cursor[1] else HEADER
            text.append(
                _fit(t(TITLES[column]), widths[column], right=column != "attendance"), style
            )
        text.append(" ")
        text.append(_fit(t(OWES_TITLE), widths["owes"], right=True), HEADER)
        return text

    def _render_row(self, index: int, shape: Layout) -> Text:
        row = self.sheet.rows[index]
        here = row.attendance in PAYING
        mark = "▶" if index == self.row else " "
        text = Text(mark)
        text.append(_fit(row.member_id, shape.widths["no"]), Style(bold=here, dim=not here))
        text.append(" ")
        text.append(_fit(shape.names[index], shape.name), Style(dim=not here))
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
            right = column != "attendance"
            text.append(_fit(shown, shape.widths[column], right=right), style)
        text.append(" ")
        text.append(*self._owes_cell(row.member_id, shape.widths["owes"]))
        return text

    def _owes_cell(self, member_id: str, width: int) -> tuple[str, Style]:
        owes = self.view.owes_minor.get(member_id, 0)
        late = member_id in self.view.late
        amount = show_amount(owes, self.cur, self.country) if owes else ""
        # The "!" gives way to the amount when both do not fit: the red still says late.
        shown = "!" + amount if late and len(amount) < width else amount
        return _fit(shown, width, right=True), LATE if late else Style()

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
                value = parse_typed(raw, self.cur, self.country)
            except BookError:
                return raw, True
            return show_amount(value, self.cur, self.country), refused
        return raw, refused

    def _render_hint(self, width: int) -> Text:
        text = self._hint()
        text.truncate(width, overflow="ellipsis")
        return text

    def _hint(self) -> Text:
        problems = self.current_problems()
        if self.refusal:
            return Text("⚠ " + self.refusal, REASON)
        if problems and self.has_focus:
            return Text("⚠ " + problems[0], REASON)
        if not self.has_focus and self.outside in COUNT_STEPS:
            return Text(t(COUNT_STEPS[self.outside]), HINT)
        if self.sheet.rows and not self.sheet.takes(self.row, self.column):
            row = self.sheet.rows[self.row]
            words = t(ATTENDANCE_WORDS[row.attendance])
            return Text(t(NOT_HERE, name=row.name, attendance=words), HINT)
        member = self.sheet.rows[self.row].member_id if self.sheet.rows else ""
        owed = self.view.fines_owed_minor.get(member, 0)
        if self.column == "fine" and owed:
            amount = show_amount(owed, self.cur, self.country)
            return Text(t(N_("She owes fines: {amount}. Ctrl+D to pay them"), amount=amount))
        return Text(t(STEPS[self.column]), HINT)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self._commit()
        self.refusal = None
        self.refresh()


def _fit(text: str, width: int, *, right: bool = False) -> str:
    if len(text) > width:
        return fit_name(text, width)
    return text.rjust(width) if right else text.ljust(width)

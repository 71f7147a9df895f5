"""The weekly meeting, in the order of the methodology: attendance, opening count, social fund,
shares, repayments, fines, new loans, closing count.

Every key is checked against the rules (`Book.preview_meeting`, which writes nothing) and kept
in the device's draft, so a closed app or a power cut resumes here with nothing lost. The
journal is written once, when the facilitator confirms the closing count.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, date, datetime
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from ledger import N_
from tui.screens.base import GroupScreen
from tui.sheet import COLUMNS, Built, Defaults, Place, Sheet, missing_counts
from tui.text import language, problem_text, show_money, t, typed_amount
from tui.widgets.footer import KeysFooter
from tui.widgets.grid import GridView, MeetingGrid, legend
from vsla.book.errors import BookError, MeetingRefused
from vsla.book.session import BookSession
from vsla.domain.entries import Bowls
from vsla.domain.planner import MeetingOutcome

COUNT_INPUTS = {
    "open-loan_fund": ("opening", "loan_fund"),
    "open-social_fund": ("opening", "social_fund"),
    "close-loan_fund": ("closing", "loan_fund"),
    "close-social_fund": ("closing", "social_fund"),
}
# A draft this version cannot read is kept under this setting (and its time), never lost.
UNREADABLE_DRAFT = "unreadable_draft:{group}:{time}"
KEPT_ASIDE = N_(
    "The meeting kept on this device could not be read (typed with another version of the "
    "app?). It is kept aside, untouched, as {key}; a new meeting sheet starts."
)
FOCUS_ORDER = (
    "open-loan_fund",
    "open-social_fund",
    "open-reason",
    "close-loan_fund",
    "close-social_fund",
    "close-reason",
)


class MeetingScreen(GroupScreen):
    HELP = N_(
        "Go down each column in turn, as the meeting goes round the circle.\n\n"
        "- Typing a number replaces the cell; Enter confirms it and goes to the next member "
        "who can take a value there (absent and excused members pay nothing in: Enter passes "
        "them; a proxy pays for the member). A key that cannot go in a cell is refused, and "
        "the line under the grid says why.\n"
        "- At the foot of a column, Enter goes to the next step (after attendance: the opening "
        "count of the box).\n"
        "- Tab and Shift+Tab move between columns, the arrows anywhere; Home and End go to the "
        "first and last member.\n"
        "- Social fund and shares are filled in as she usually pays: confirm with Enter or type "
        "what she pays today. Grey values are not confirmed yet.\n"
        "- Attendance: Space, or p present, e excused, a absent, x proxy. An absent member gets "
        "the absence fine, recorded as owed.\n"
        "- Fines: Space or the first letter chooses the fine, * switches paid and owed.\n"
        "- Repayments: = fills in everything she owes.\n"
        "- Ctrl+D: more for the member under the cursor: a grant from the social fund, fines "
        "she owes paid now, a write-off the group decided, leaving the group.\n"
        "- Ctrl+R: correct an entry of an earlier meeting: it is reversed at this meeting, "
        "with the reason, and the right entry is typed again in the grid.\n"
        "- A reason in red under a member means a rule is broken: the meeting cannot close "
        "until it is put right.\n"
        "- Nothing is written to the book until you confirm the closing count. Everything you "
        "type is kept on this device: if the app closes, open the meeting again to continue. "
        "Ctrl+X throws away what was typed (after a question; Enter keeps it). What the "
        "titles of the columns mean is below."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", N_("Leave")),
        # Priority: the count inputs would otherwise take these keys (Ctrl+E: end of line).
        Binding("ctrl+o", "opening", N_("Opening"), priority=True),
        Binding("ctrl+e", "closing", N_("Closing count"), priority=True),
        Binding("ctrl+d", "more", N_("More"), priority=True),
        Binding("ctrl+r", "corrections", N_("Correct"), priority=True),
        Binding("ctrl+t", "date", N_("Date"), priority=True),
        Binding("ctrl+x", "discard", N_("Throw away"), show=False, priority=True),
    ]

    def __init__(self, session: BookSession, group_id: str, today: date) -> None:
        super().__init__(session, group_id, today)
        self.cur = self.state.currency
        self.code = self.cur.code
        self.country = self.state.country
        self.resumed = False
        self.dropped: list[str] = []
        self.saved_at = ""
        self.unreadable: str | None = None  # a draft that could not be read, not yet kept aside
        self.kept_aside = ""  # the setting it was kept under
        self.sheet = self._load_sheet()
        self.outcome: MeetingOutcome | None = None
        self.built = self._build()
        self.problems: dict[Place, list[str]] = {}
        self.due_minor: dict[str, int] = {}
        self._shown: dict[str, str] = {}
        self.kept = self.resumed  # a draft exists on the device
        self.unsaved = False  # the last save of the draft failed (another program writing)

    # -- the sheet: resumed from the draft, or new -----------------------------------------

    def _defaults(self) -> Defaults:
        rules = self.state.constitution
        return Defaults(
            social_fund_text=typed_amount(rules.social_fund_minor, self.cur, self.country)
            if rules.social_fund_minor
            else "",
            shares_min=rules.shares_min,
            term_max_months=rules.loan_term_max_months,
            usual_shares=self.reader.usual_shares(self.group_id),
            fines=tuple(sorted(rules.fines_minor)),
        )

    def _load_sheet(self) -> Sheet:
        defaults = self._defaults()
        draft = self.reader.draft(self.group_id)
        if draft is not None:
            try:
                sheet, self.dropped = Sheet.from_json(draft, self.state, defaults)
            except (ValueError, KeyError, TypeError, AttributeError):
                # Typed by another version of the app, perhaps: a new sheet starts, and the
                # draft is kept aside before the first key can overwrite it.
                self.unreadable = draft
            else:
                self.resumed = True
                return sheet
        held = self.reader.next_meeting(self.group_id, self.today)
        sheet = Sheet.new(self.state, held.on, defaults, reopened=held.reopened)
        sheet.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        return sheet

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> Built:
        return self.sheet.build(self.cur, language=language(), country=self.country)

    def keep_aside(self) -> bool:
        """Keep the unreadable draft under a setting of its own; False while it cannot be
        written (another program writing the book): then nothing may overwrite it."""
        draft = self.unreadable
        if draft is None:
            return True
        key = self._aside_key()
        try:
            self.book.set_setting(key, draft)
        except BookError as error:
            if not self.unsaved:  # said once, not at every key
                self.notify(problem_text(error.problem), severity="warning", timeout=10)
            return False
        self.unreadable, self.kept_aside = None, key
        # Its copy is safe: no "meeting in progress" that no version of the app can resume.
        with suppress(BookError):
            self.book.discard_draft(self.group_id)
        self.notify(t(KEPT_ASIDE, key=key), severity="warning", timeout=30)
        return True

    def _aside_key(self) -> str:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        key = UNREADABLE_DRAFT.format(group=self.group_id, time=stamp)
        while self.reader.setting(key) is not None:  # never over an earlier one
            key += "+"
        return key

    def compose(self) -> ComposeResult:
        yield Static("", id="meeting-title", classes="title")
        with Horizontal(classes="count-row", id="opening-row"):
            yield Label(t(N_("Opening count")), classes="count-label")
            yield from self._count_inputs("open", self.sheet.opening, self.sheet.opening_reason)
        yield Static("", id="opening-info", classes="info")
        yield MeetingGrid(self.sheet, self.cur, self.country, id="grid")
        yield Static("", id="totals", classes="totals")
        with Horizontal(classes="count-row", id="closing-row"):
            yield Label(t(N_("Closing count")), classes="count-label")
            yield from self._count_inputs("close", self.sheet.closing, self.sheet.closing_reason)
        yield Static("", id="closing-info", classes="info")
        yield KeysFooter()

    def _count_inputs(self, prefix: str, typed: dict[str, str], reason: str) -> ComposeResult:
        yield Label(t(N_("loan fund")), classes="bowl-label")
        yield Input(typed["loan_fund"], id=f"{prefix}-loan_fund", compact=True, classes="amount")
        yield Label(t(N_("social fund")), classes="bowl-label")
        yield Input(
            typed["social_fund"], id=f"{prefix}-social_fund", compact=True, classes="amount"
        )
        yield Label(t(N_("why")), classes="bowl-label")
        yield Input(reason, id=f"{prefix}-reason", compact=True, classes="reason")

    @property
    def grid(self) -> MeetingGrid:
        return self.query_one(MeetingGrid)

    def on_mount(self) -> None:
        self.keep_aside()
        self._due_amounts()
        self.refresh_outcome(save=False)
        if self.resumed:
            self.notify(
                t(
                    N_("Meeting of {date} resumed where it stopped"),
                    date=self.sheet.date.isoformat(),
                )
            )
        if self.dropped:
            self.notify(
                t(N_("No longer members, left out: {members}"), members=", ".join(self.dropped)),
                severity="warning",
            )
        self._focus(self.sheet.focus)

    def help_extra(self) -> str:
        """F1 adds what the grid's titles mean."""
        return legend()

    def _focus(self, name: str) -> None:
        if name in FOCUS_ORDER:
            self.query_one(f"#{name}", Input).focus()
        else:
            self.grid.focus()

    # -- the rules, on every key -----------------------------------------------------------

    def _due_amounts(self) -> None:
        """What each borrower owes today before repaying (service charges due today added)."""
        self.due_minor = self.book.amounts_due(self.group_id, self.sheet.date)

    def refresh_outcome(self, *, save: bool = True) -> None:
        built = self.built = self._build()
        outcome = self.book.preview_meeting(self.group_id, built.plan)
        problems: dict[Place, list[str]] = {}
        for found in built.problems:
            problems.setdefault(found.place, []).append(problem_text(found.problem, self.country))
        for engine in outcome.problems:
            problems.setdefault(built.place_of(engine), []).append(
                problem_text(engine.problem, self.country)
            )
        self.outcome, self.problems = outcome, problems
        after = outcome.state_after
        late = set()
        if after is not None:
            late = {
                loan.member_id
                for loan in after.open_loans()
                if after.is_late(loan, self.sheet.date)
            }
        owes = {m: line.loan_owed_minor for m, line in outcome.lines.items()}
        fines = {m: line.fines_owed_minor for m, line in outcome.lines.items()}
        self.grid.show(GridView(problems, owes, late, self.due_minor, fines))
        self._show_totals(outcome)
        self._show_counts(outcome)
        if save:
            self.save_draft()
        self._show_title(outcome)

    def save_draft(self) -> None:
        if not self.keep_aside():
            self.unsaved = True  # the unreadable draft first: until then, nothing replaces it
            return
        self.kept = True
        try:
            self.book.save_draft(
                self.group_id,
                self.sheet.to_json(),
                now=datetime.now(UTC).isoformat(timespec="seconds"),
            )
        except BookError as error:
            # What was typed stays on screen and is saved at the next key; say it once.
            if not self.unsaved:
                self.notify(problem_text(error.problem), severity="warning", timeout=10)
            self.unsaved = True
            return
        self.unsaved = False
        self.saved_at = datetime.now().strftime("%H:%M:%S")

    def _money(self, amount_minor: int) -> str:
        return show_money(amount_minor, self.code, self.country)

    def _put(self, selector: str, text: str) -> None:
        """Update a line only when it changed: every key would otherwise redraw them all."""
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector, Static).update(text)

    def _show_title(self, outcome: MeetingOutcome) -> None:
        title = t(
            N_("{group} · meeting {number} · {date}"),
            group=self.state.name,
            number=outcome.number,
            date=self.sheet.date.isoformat(),
        )
        if self.sheet.reopened:
            title += " · " + t(N_("reopened"))
        date_problems = self.problems.get((None, "date"), [])
        if date_problems:
            title += "  ⚠ " + date_problems[0]
        elif self.unsaved:
            title += "  ⚠ " + t(N_("(not kept yet: the book is busy)"))
        elif self.saved_at:
            title += "  " + t(N_("(kept {time})"), time=self.saved_at)
        self._put("#meeting-title", title)

    def _show_totals(self, outcome: MeetingOutcome) -> None:
        totals = outcome.totals_minor
        expected = outcome.expected_closing
        sentences = [
            t(
                N_("In: social {social} · shares {shares} · repaid {repaid} · fines {fines}"),
                social=self._money(totals.get("social_fund", 0)),
                shares=self._money(totals.get("shares", 0)),
                repaid=self._money(totals.get("repayments", 0)),
                fines=self._money(totals.get("fines", 0)),
            ),
            t(
                N_("Out: loans {loans} · grants {grants}"),
                loans=self._money(totals.get("loans", 0)),
                grants=self._money(totals.get("grants", 0)),
            ),
            t(
                N_("Expected in the box: loan fund {loan_fund} · social fund {social_fund}"),
                loan_fund=self._money(expected.loan_fund_minor),
                social_fund=self._money(expected.social_fund_minor),
            ),
        ]
        # Each sentence wraps between its parts, never inside an amount: however large the
        # fines grow, the line of what the box should hold stays on screen.
        self._put("#totals", "\n".join(self._wrapped(sentence) for sentence in sentences))

    def _wrapped(self, sentence: str) -> str:
        return "\n".join(wrap_parts(sentence, max(self.size.width - 2, 20)))

    def on_resize(self) -> None:
        if self.outcome is not None:
            self._shown.clear()
            self._show_totals(self.outcome)
            self._show_counts(self.outcome)

    def _count_problems(self, when: str) -> list[str]:
        found = []
        for place in (f"{when}_loan_fund", f"{when}_social_fund"):
            found += self.problems.get((None, place), [])
        if when == "closing":
            found += self.problems.get((None, "meeting"), [])
        return found

    def _show_counts(self, outcome: MeetingOutcome) -> None:
        opening = self.query_one("#opening-info", Static)
        book_says = outcome.opening_ledger
        last_close = t(
            N_("Last close: loan fund {loan_fund} · social fund {social_fund}"),
            loan_fund=self._money(book_says.loan_fund_minor),
            social_fund=self._money(book_says.social_fund_minor),
        )
        problems = self._count_problems("opening")
        if self.sheet.reopened:
            line = t(N_("Reopened meeting: no opening count"))
        elif problems:
            line = "⚠ " + problems[0]
        elif not self.sheet.counted("opening"):
            line = last_close + " · " + t(N_("count both bowls"))
        elif self._counted_and_book("opening")[2]:
            line = self._difference_text("opening")
        else:
            line = "✓ " + last_close
        self._put("#opening-info", self._wrapped(line))
        opening.set_class(bool(problems), "problem")
        closing = self.query_one("#closing-info", Static)
        problems = self._count_problems("closing")
        if problems:
            text = "⚠ " + problems[0]
        elif not self.sheet.counted("closing"):
            text = t(N_("Count both bowls at the end, type the amounts, then Enter"))
        else:
            text = self._difference_text("closing") + " · " + t(N_("Enter: close the meeting"))
        self._put("#closing-info", self._wrapped(text))
        closing.set_class(bool(problems), "problem")

    def _difference_text(self, when: str) -> str:
        counted, book_says, differs = self._counted_and_book(when)
        if counted is None:
            return ""
        if not differs:
            return t(N_("matches the book"))
        difference = counted.minus(book_says)
        return t(
            N_("counted − book: loan fund {loan_fund} · social fund {social_fund}"),
            loan_fund=self._money(difference.loan_fund_minor),
            social_fund=self._money(difference.social_fund_minor),
        )

    # -- events from the grid and the counts -----------------------------------------------

    def on_meeting_grid_edited(self, event: MeetingGrid.Edited) -> None:
        event.stop()
        self.refresh_outcome()

    def on_meeting_grid_moved(self, event: MeetingGrid.Moved) -> None:
        event.stop()
        if self.kept:
            self.save_draft()  # where the cursor is, once there is something to keep

    def on_meeting_grid_column_done(self, event: MeetingGrid.ColumnDone) -> None:
        event.stop()
        if event.column == "attendance" and not self.sheet.reopened:
            self._focus("open-loan_fund")
        elif event.column in ("loan", "term"):
            self._focus("close-loan_fund")
        else:
            self.grid.move_to_top(COLUMNS[COLUMNS.index(event.column) + 1])

    def on_meeting_grid_leave(self, event: MeetingGrid.Leave) -> None:
        event.stop()
        self._focus("close-loan_fund" if event.forward else "open-reason")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # The widget the event is about: by the time it is handled, focus may have moved on.
        focused = event.widget
        name = "grid" if isinstance(focused, MeetingGrid) else focused.id
        if name and name != self.sheet.focus and (name == "grid" or name in FOCUS_ORDER):
            self.sheet.focus = name
        # The grid's hint line names the step being typed, the counts included.
        step = {"open": "opening", "close": "closing"}.get((name or "").partition("-")[0])
        self.grid.show_outside(step)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        name = event.input.id or ""
        if event.value == self._typed(name):
            return  # Inputs announce their first value when mounted: nothing was typed
        if name in COUNT_INPUTS:
            when, bowl = COUNT_INPUTS[name]
            (self.sheet.opening if when == "opening" else self.sheet.closing)[bowl] = event.value
        elif name == "open-reason":
            self.sheet.opening_reason = event.value
        elif name == "close-reason":
            self.sheet.closing_reason = event.value
        else:
            return
        if self.outcome is not None:
            self.refresh_outcome()

    def _typed(self, name: str) -> str | None:
        if name in COUNT_INPUTS:
            when, bowl = COUNT_INPUTS[name]
            return (self.sheet.opening if when == "opening" else self.sheet.closing)[bowl]
        if name == "open-reason":
            return self.sheet.opening_reason
        if name == "close-reason":
            return self.sheet.closing_reason
        return None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.input.id or ""
        if name == "open-loan_fund":
            self._focus("open-social_fund")
        elif name in ("open-social_fund", "open-reason"):
            if name == "open-social_fund" and self._needs_reason("opening"):
                self._focus("open-reason")
            else:
                self.grid.move_to_top("social_fund")
                self.grid.focus()
        elif name == "close-loan_fund":
            self._focus("close-social_fund")
        elif name == "close-social_fund" and self._needs_reason("closing"):
            self._focus("close-reason")
        else:
            self.try_close()

    def _needs_reason(self, when: str) -> bool:
        reason = self.sheet.opening_reason if when == "opening" else self.sheet.closing_reason
        return self._counted_and_book(when)[2] and not reason.strip()

    def _counted_and_book(self, when: str) -> tuple[Bowls | None, Bowls, bool]:
        """(counted, what the book says, whether they differ) for the opening or closing."""
        plan, outcome = self.built.plan, self.outcome
        assert outcome is not None
        if when == "opening":
            counted, book_says = plan.opening_counted, outcome.opening_ledger
        else:
            counted, book_says = plan.closing_counted, outcome.expected_closing
        return counted, book_says, counted is not None and counted != book_says

    # -- closing ---------------------------------------------------------------------------

    def all_problems(self) -> list[tuple[Place, str]]:
        found = [
            (place, message) for place, messages in self.problems.items() for message in messages
        ]
        for missing in missing_counts(self.sheet, closing=True):
            found.append((missing.place, problem_text(missing.problem)))
        return found

    def try_close(self) -> None:
        problems = self.all_problems()
        if problems:
            place, message = problems[0]
            self.notify(
                t(
                    N_("The meeting cannot close yet ({count} to put right): {first}"),
                    count=len(problems),
                    first=message,
                ),
                severity="error",
                timeout=8,
            )
            self.go_to(place)
            return
        outcome = self.outcome
        assert outcome is not None
        counted = outcome.counted_closing
        expected = outcome.expected_closing
        lines = [
            t(
                N_("Expected: loan fund {loan_fund} · social fund {social_fund}"),
                loan_fund=self._money(expected.loan_fund_minor),
                social_fund=self._money(expected.social_fund_minor),
            ),
            t(
                N_("Counted: loan fund {loan_fund} · social fund {social_fund}"),
                loan_fund=self._money(counted.loan_fund_minor),
                social_fund=self._money(counted.social_fund_minor),
            ),
        ]
        if self._counted_and_book("closing")[2]:
            lines.append(self._difference_text("closing") + " — " + self.sheet.closing_reason)
        for row in self.sheet.rows:
            if row.leaves:
                lines.append(
                    t(
                        N_("{member} {name} leaves the group today"),
                        member=row.member_id,
                        name=row.name,
                    )
                )
            if row.write_off.strip():
                lines.append(
                    t(
                        N_("{member}'s loan is written off: {reason}"),
                        member=row.member_id,
                        reason=row.write_off.strip(),
                    )
                )
        unconfirmed = self.sheet.unconfirmed()
        if unconfirmed:
            # Pre-filled amounts save keys, but a payment nobody confirmed must not slip into
            # the book unseen: say how many, and whose, before it becomes history.
            members = sorted({member for member, _column in unconfirmed})
            lines.append(
                t(
                    N_(
                        "{count} amounts were filled in by the app and not confirmed one by "
                        "one (grey), for {members}: make sure each was paid"
                    ),
                    count=len(unconfirmed),
                    members=", ".join(members[:8]) + (" …" if len(members) > 8 else ""),
                )
            )
        lines.append(
            t(
                N_(
                    "The meeting is written to the book for good; mistakes are corrected "
                    "later by reversal."
                )
            )
        )
        from tui.screens.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(
                t(N_("Close meeting {number}?"), number=outcome.number),
                lines,
                yes=N_("Close the meeting"),
            ),
            self._close_confirmed,
        )

    def _close_confirmed(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        plan = self.built.plan
        try:
            outcome = self.book.record_meeting(self.group_id, plan)
        except MeetingRefused as refused:
            first = refused.problems[0]
            self.notify(problem_text(first.problem, self.country), severity="error")
            self.refresh_outcome()
            return
        except BookError as error:
            # A broken rule, or the file: another program writing it (the typing is kept;
            # Enter tries again), read-only, damaged.
            self.notify(problem_text(error.problem, self.country), severity="error", timeout=10)
            return
        queued = outcome.receipts_queued
        from tui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(self.session, self.group_id, outcome, queued))

    def go_to(self, place: Place) -> None:
        member, where = place
        if member is not None:
            index = next((i for i, r in enumerate(self.sheet.rows) if r.member_id == member), 0)
            column = COLUMNS.index(where) if where in COLUMNS else self.grid.cursor[1]
            self.grid.move_to(index, column)
            self.grid.focus()
        elif where.startswith("opening"):
            self._focus("open-reason" if self.sheet.counted("opening") else "open-loan_fund")
        elif where.startswith("closing"):
            self._focus("close-reason" if self.sheet.counted("closing") else "close-loan_fund")
        elif where == "date":
            self.action_date()
        else:
            self._focus("close-loan_fund")

    # -- actions ---------------------------------------------------------------------------

    def action_leave(self) -> None:
        if self.reader.draft(self.group_id) is not None:
            self.notify(t(N_("The meeting is kept on this device: open it again to continue")))
        self.app.pop_screen()

    def action_discard(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        def done(confirmed: bool | None) -> None:
            if confirmed:
                self.book.discard_draft(self.group_id)
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen(
                t(N_("Throw away this meeting?")),
                [t(N_("Everything typed for it is lost. Nothing of it was written to the book."))],
                yes=N_("Throw it away"),
                no=N_("Keep the meeting"),
                danger=True,
            ),
            done,
        )

    def action_opening(self) -> None:
        self._focus("open-loan_fund")

    def action_closing(self) -> None:
        self._focus("close-loan_fund")

    def action_more(self) -> None:
        from tui.screens.extras import Extras, ExtrasScreen

        if not self.sheet.rows:
            return
        index = self.grid.row
        row = self.sheet.rows[index]
        owed = self.state.fines_owed_minor(row.member_id)
        loan_owed = self.state.member_loan_owed_minor(row.member_id)

        def done(result: Extras | None) -> None:
            if result is None:
                return
            row.grant, row.grant_reason = result.grant, result.grant_reason
            row.fines_paid, row.write_off, row.leaves = (
                result.fines_paid,
                result.write_off,
                result.leaves,
            )
            self.refresh_outcome()

        self.app.push_screen(
            ExtrasScreen(row, owed, self.cur, self.country, loan_owed_minor=loan_owed), done
        )

    def action_corrections(self) -> None:
        from tui.screens.corrections import CorrectionsScreen

        def done(chosen: list[dict[str, str]] | None) -> None:
            if chosen is not None:
                self.sheet.reversals = chosen
                self.refresh_outcome()

        self.app.push_screen(
            CorrectionsScreen(self.session, self.group_id, self.sheet.reversals, self.country), done
        )

    def action_date(self) -> None:
        from tui.screens.prompt import PromptScreen, is_date

        def done(answer: str | None) -> None:
            if answer:
                self.sheet.date = date.fromisoformat(answer)
                self._due_amounts()
                self.refresh_outcome()

        self.app.push_screen(
            PromptScreen(
                t(N_("Meeting date")),
                t(N_("The date of this meeting (YYYY-MM-DD)")),
                value=self.sheet.date.isoformat(),
                check=is_date,
            ),
            done,
        )


def wrap_parts(sentence: str, width: int, sep: str = " · ") -> list[str]:
    """`sentence` on lines of at most `width`, broken only between its " · " parts (the next
    lines indented); a part longer than a line has a line of its own."""
    lines: list[str] = []
    for part in sentence.split(sep):
        if lines and len(lines[-1]) + len(sep) + len(part) <= width:
            lines[-1] += sep + part
        else:
            lines.append(("  " if lines else "") + part)
    return lines

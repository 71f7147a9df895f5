"""The rarer things a member does at a meeting: a grant from the social fund (funeral, illness),
paying fines she owes from earlier meetings, a write-off the group decides, leaving the group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from ledger import N_, Currency
from tui.sheet import Row
from tui.text import parse_typed, problem_text, show_money, t
from vsla.book.errors import BookError


@dataclass(frozen=True, slots=True)
class Extras:
    """What was typed, as typed (amounts are checked again when the meeting is built)."""

    grant: str
    grant_reason: str
    fines_paid: str
    write_off: str  # the group's reason; empty: no write-off
    leaves: bool


class ExtrasScreen(ModalScreen[Extras | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Go back"))]

    def __init__(
        self,
        row: Row,
        fines_owed_minor: int,
        cur: Currency,
        country: str,
        *,
        loan_owed_minor: int = 0,
    ) -> None:
        super().__init__()
        self.row = row
        self.loan_owed_minor = loan_owed_minor
        self.fines_owed_minor = fines_owed_minor
        self.cur = cur
        self.country = country

    def compose(self) -> ComposeResult:
        code = self.cur.code
        with Vertical(classes="dialog"):
            yield Static(
                t(
                    N_("{member} {name}: more entries"),
                    member=self.row.member_id,
                    name=self.row.name,
                ),
                classes="dialog-title",
            )
            yield Static(
                t(
                    N_("Fines she owes from earlier meetings: {owed}"),
                    owed=show_money(self.fines_owed_minor, code, self.country),
                ),
                classes="dialog-line",
            )
            with Horizontal(classes="form-row"):
                yield Label(t(N_("Fines paid now")), classes="form-label")
                yield Input(self.row.fines_paid, id="fines_paid", compact=True)
            with Horizontal(classes="form-row"):
                yield Label(t(N_("Grant from the social fund")), classes="form-label")
                yield Input(self.row.grant, id="grant", compact=True)
            with Horizontal(classes="form-row"):
                yield Label(t(N_("What the grant is for")), classes="form-label")
                yield Input(self.row.grant_reason, id="grant_reason", compact=True)
            if self.loan_owed_minor:
                # A write-off is the group's decision, never the facilitator's alone: the
                # reason is what the group decided, and it stays in the book.
                yield Static(
                    t(
                        N_("Her loan: {owed} owed"),
                        owed=show_money(self.loan_owed_minor, code, self.country),
                    ),
                    classes="dialog-line",
                )
                with Horizontal(classes="form-row"):
                    yield Label(t(N_("Write off: group's reason")), classes="form-label")
                    yield Input(self.row.write_off, id="write_off", compact=True)
            yield Checkbox(
                t(N_("She leaves the group today (savings paid back, less what she owes)")),
                self.row.leaves,
                id="leaves",
                compact=True,
            )
            yield Static("", id="why", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(N_("Keep")), variant="primary", id="keep")
                yield Button(t(N_("Go back")), id="cancel")

    def on_mount(self) -> None:
        self.typed = self._typed()
        self.query_one("#fines_paid", Input).focus()

    def _typed(self) -> tuple[object, ...]:
        inputs = tuple(i.value for i in self.query(Input))
        return (*inputs, self.query_one("#leaves", Checkbox).value)

    def _problem(self) -> str | None:
        for name in ("fines_paid", "grant"):
            text = self.query_one(f"#{name}", Input).value
            if text.strip():
                try:
                    parse_typed(text, self.cur, self.country)
                except BookError as error:
                    return problem_text(error.problem)
        grant = self.query_one("#grant", Input).value.strip()
        if grant and not self.query_one("#grant_reason", Input).value.strip():
            return t(N_("say what the grant is for (funeral, illness…)"))
        return None

    def on_input_changed(self) -> None:
        self.query_one("#why", Static).update(self._problem() or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        # Enter walks the fields a meeting often needs, then goes to Keep: it never lands on
        # "she leaves the group", which only a deliberate Tab and Space can tick.
        if event.input.id in ("grant_reason", "write_off"):
            self.query_one("#keep", Button).focus()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id != "keep":
            self.action_cancel()
        elif self._problem() is None:
            write_off = self.query(Input).filter("#write_off")
            self.dismiss(
                Extras(
                    grant=self.query_one("#grant", Input).value.strip(),
                    grant_reason=self.query_one("#grant_reason", Input).value.strip(),
                    fines_paid=self.query_one("#fines_paid", Input).value.strip(),
                    write_off=write_off.first().value.strip() if write_off else "",
                    leaves=self.query_one("#leaves", Checkbox).value,
                )
            )

    def action_cancel(self) -> None:
        from tui.screens.confirm import leave_unsaved

        leave_unsaved(self, self._typed() != self.typed, lambda: self.dismiss(None))

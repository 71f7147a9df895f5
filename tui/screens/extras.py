"""The rarer things a member does at a meeting: a grant from the social fund (funeral, illness),
paying fines she owes from earlier meetings."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ledger import N_, Currency, LedgerError, parse_amount
from tui.sheet import Row
from tui.text import problem_text, show_money, t

Extras = tuple[str, str, str]  # grant amount, grant reason, fines paid (as typed)


class ExtrasScreen(ModalScreen[Extras | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", N_("Go back"))]

    def __init__(self, row: Row, fines_owed_minor: int, cur: Currency, country: str) -> None:
        super().__init__()
        self.row = row
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
            yield Static("", id="why", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(N_("Keep")), variant="primary", id="keep")
                yield Button(t(N_("Go back")), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#fines_paid", Input).focus()

    def _problem(self) -> str | None:
        for name in ("fines_paid", "grant"):
            text = self.query_one(f"#{name}", Input).value
            if text.strip():
                try:
                    parse_amount(text, self.cur)
                except LedgerError as error:
                    return problem_text(error.problem)
        grant = self.query_one("#grant", Input).value.strip()
        if grant and not self.query_one("#grant_reason", Input).value.strip():
            return t(N_("say what the grant is for (funeral, illness…)"))
        return None

    def on_input_changed(self) -> None:
        self.query_one("#why", Static).update(self._problem() or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id != "keep":
            self.dismiss(None)
        elif self._problem() is None:
            self.dismiss(
                (
                    self.query_one("#grant", Input).value.strip(),
                    self.query_one("#grant_reason", Input).value.strip(),
                    self.query_one("#fines_paid", Input).value.strip(),
                )
            )

    def action_cancel(self) -> None:
        self.dismiss(None)

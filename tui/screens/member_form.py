"""Add a member, or change her name, phone or language; each value checked as it is typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ledger import N_
from tui.text import problem_text, t
from tui.widgets.field import Check, Field, focus_after
from vsla.book.errors import BookError
from vsla.domain.people import (
    Member,
    check_gender,
    check_language,
    check_member_id,
    check_name,
    normalise_phone,
)
from vsla.domain.state import GroupState, MemberState

# Saves the member; returns why the book refused her, or None once she is saved.
Save = Callable[[Member], str | None]


def refusal(check: Callable[[str], object]) -> Check:
    def checked(text: str) -> str | None:
        try:
            check(text)
        except BookError as error:
            return problem_text(error.problem)
        return None

    return checked


def optional(check: Check) -> Check:
    return lambda text: None if not text.strip() else check(text.strip())


def next_member_id(state: GroupState) -> str:
    numbers = [
        int(m[1:]) for m in state.members if m[:1] == "M" and m[1:].isdigit() and len(m) <= 6
    ]
    return f"M{max(numbers, default=0) + 1:02d}"


class MemberFormScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", N_("Go back")),
        Binding("ctrl+s", "save", N_("Save")),
    ]

    def __init__(self, state: GroupState, member: MemberState | None, save: Save) -> None:
        super().__init__()
        self.state = state
        self.member = member
        self.save = save

    def _unique_id(self, text: str) -> str | None:
        problem = refusal(check_member_id)(text)
        if problem is None and self.member is None and text in self.state.members:
            return t(N_("member number {member} is used twice"), member=text)
        return problem

    def compose(self) -> ComposeResult:
        m = self.member
        country = self.state.country
        title = (
            t(N_("New member of {group}"), group=self.state.name)
            if m is None
            else t(N_("{member} {name}"), member=m.member_id, name=m.name)
        )
        with VerticalScroll(classes="dialog"):
            yield Static(title, classes="dialog-title")
            yield Field(
                "member_id",
                t(N_("Member number")),
                value=next_member_id(self.state) if m is None else m.member_id,
                check=self._unique_id,
                disabled=m is not None,
            )
            yield Field("name", t(N_("Name")), value=m.name if m else "", check=refusal(check_name))
            yield Field(
                "gender",
                t(N_("Gender (F or M)")),
                value=m.gender if m else "F",
                check=refusal(lambda text: check_gender(text.strip().upper())),
                disabled=m is not None,
            )
            yield Field(
                "phone",
                t(N_("Phone (may be empty)")),
                value=(m.phone or "") if m else "",
                check=optional(refusal(lambda text: normalise_phone(text, country))),
            )
            yield Field(
                "language",
                t(N_("Language: en, fr, sw, ln")),
                value=(m.language or "") if m else "",
                check=optional(refusal(check_language)),
                placeholder=self.state.language,
            )
            yield Static("", id="refused", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(N_("Save")), variant="primary", id="save")
                yield Button(t(N_("Go back")), id="cancel")

    def on_mount(self) -> None:
        self.typed = self._values()
        first = "#input-name" if self.member is not None else "#input-member_id"
        self.query_one(first).focus()

    def on_field_submitted(self, event: Field.Submitted) -> None:
        event.stop()
        if not focus_after([f for f in self.query(Field) if not f.input.disabled], event.field):
            self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        fields = {f.key: f for f in self.query(Field)}
        refused = [f for f in fields.values() if f.validate_now() is not None]
        if refused:
            refused[0].input.focus()
            return
        member = Member(
            member_id=fields["member_id"].value.strip(),
            name=fields["name"].value.strip(),
            gender=fields["gender"].value.strip().upper(),
            phone=fields["phone"].value.strip() or None,
            language=fields["language"].value.strip() or None,
        )
        problem = self.save(member)
        if problem is None:
            self.dismiss(True)
        else:
            self.query_one("#refused", Static).update(problem)

    def _values(self) -> dict[str, str]:
        return {f.key: f.value for f in self.query(Field)}

    def action_cancel(self) -> None:
        from tui.screens.confirm import leave_unsaved

        leave_unsaved(self, self._values() != self.typed, lambda: self.dismiss(False))

"""Add a member, or change her name, phone or language, and what she said about SMS receipts;
each value checked as it is typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

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

if TYPE_CHECKING:
    from vsla.book.session import BookSession
    from vsla.book.sms import SmsChoices

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
        self.saved: Member | None = None

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
            yield from self._sms_choices()
            yield Static("", id="refused", classes="problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t(N_("Save")), variant="primary", id="save")
                yield Button(t(N_("Go back")), id="cancel")

    def _sms_choices(self) -> ComposeResult:
        """Two ticks, each her own decision, said at a meeting: no receipts at all, or
        receipts that also show her balances (on a shared or watched phone, others read
        them). Enter never lands on them: only Tab and Space tick them."""
        self.choices = self._choices_now()
        if self.choices is None:
            return
        yield Checkbox(
            t(N_("No SMS receipts (she asked)")),
            self.choices.opted_out,
            id="sms_opt_out",
            compact=True,
        )
        yield Checkbox(
            t(N_("SMS receipts with her balances (she agreed)")),
            self.choices.balances,
            id="sms_balances",
            compact=True,
        )

    def _book(self) -> tuple[BookSession, date] | None:
        from tui.app import VslaApp

        app = self.app
        return (app.session, app.today) if isinstance(app, VslaApp) else None

    def _choices_now(self) -> SmsChoices | None:
        """What she said so far (nothing yet for a new member); None outside the app."""
        from vsla.book.sms import SmsChoices, member_sms_choices

        found = self._book()
        if found is None:
            return None
        if self.member is None:
            return SmsChoices(opted_out=False, balances=False)
        try:
            return member_sms_choices(found[0].reader, self.state.group_id, self.member.member_id)
        except BookError:
            return None

    def _save_choices(self, member_id: str) -> str | None:
        """Record the ticks that changed; why the book refused them, or None."""
        found = self._book()
        if found is None or self.choices is None:
            return None
        session, today = found
        opted_out = self.query_one("#sms_opt_out", Checkbox).value
        balances = self.query_one("#sms_balances", Checkbox).value
        if (opted_out, balances) == (self.choices.opted_out, self.choices.balances):
            return None
        try:
            session.book.update_member(
                self.state.group_id,
                member_id,
                on=today,
                sms_opt_out=opted_out if opted_out != self.choices.opted_out else None,
                sms_balances=balances if balances != self.choices.balances else None,
            )
        except BookError as error:
            return problem_text(error.problem)
        return None

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
        # Saved once already when only her SMS choices were refused (the book was busy):
        # saving a new member again would find her number taken.
        problem = None if member == self.saved else self.save(member)
        if problem is None:
            self.saved = member
            problem = self._save_choices(member.member_id)
        if problem is None:
            self.dismiss(True)
        else:
            self.query_one("#refused", Static).update(problem)

    def _values(self) -> dict[str, object]:
        typed: dict[str, object] = {f.key: f.value for f in self.query(Field)}
        return typed | {str(c.id): c.value for c in self.query(Checkbox)}

    def action_cancel(self) -> None:
        from tui.screens.confirm import leave_unsaved

        leave_unsaved(self, self._values() != self.typed, lambda: self.dismiss(False))

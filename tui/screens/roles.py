"""The group's roles (domain.md, People): committee of five, and three key holders who may not
sit on it. Typed as member numbers; the methodology's limits are checked as they are typed."""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ledger import N_
from tui.screens.base import GroupScreen
from tui.text import problem_text, t
from tui.widgets.field import Check, Field, focus_after
from tui.widgets.footer import KeysFooter
from vsla.book.errors import BookError
from vsla.domain.people import ROLE_LIMITS, role_problems

ROLE_LABELS = {
    "chair": N_("Chair"),
    "secretary": N_("Secretary"),
    "box_keeper": N_("Box keeper"),
    "money_counter": N_("Money counters (2)"),
    "key_holder": N_("Key holders (3)"),
}


def member_numbers(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text.strip()) if part]


class RolesScreen(GroupScreen):
    HELP = N_(
        "Type the member numbers for each role, separated by spaces (for the key holders: "
        "M06 M07 M08). Key holders may not be on the committee. Ctrl+S saves."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("ctrl+s", "save", N_("Save")),
    ]

    def compose(self) -> ComposeResult:
        yield Static(t(N_("{group} · roles"), group=self.state.name), classes="title")
        holders: dict[str, list[str]] = {role: [] for role in ROLE_LIMITS}
        for member in self.state.active_members():
            for role in member.roles:
                holders.setdefault(role, []).append(member.member_id)
        with VerticalScroll():
            for role in ROLE_LIMITS:
                yield Field(
                    role,
                    t(ROLE_LABELS[role]),
                    value=" ".join(holders.get(role, [])),
                    check=self._role_check(role),
                )
            yield Static("", id="roles-problems", classes="problem")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.saved = self.roles()
        self.query(Field).first().input.focus()

    def roles(self) -> dict[str, list[str]]:
        return {f.key: member_numbers(f.value) for f in self.query(Field)}

    def problems(self) -> list[BookError]:
        return role_problems(self.roles(), [m.member_id for m in self.state.active_members()])

    def _role_check(self, role: str) -> Check:
        return lambda _text: self._role_problem(role)

    def _role_problem(self, role: str) -> str | None:
        for error in self.problems():
            params = error.problem.params
            if params.get("role") == role or (
                role == "key_holder" and error.problem.code == "roles.key_holder_on_committee"
            ):
                return problem_text(error.problem)
        return None

    def on_field_submitted(self, event: Field.Submitted) -> None:
        event.stop()
        if not focus_after(list(self.query(Field)), event.field):
            self.action_save()

    def action_save(self) -> None:
        problems = self.problems()
        if problems:
            for f in self.query(Field):
                f.validate_now()
            self.query_one("#roles-problems", Static).update(problem_text(problems[0].problem))
            return
        try:
            self.book.assign_roles(self.group_id, self.roles(), on=self.today)
        except BookError as error:
            self.query_one("#roles-problems", Static).update(problem_text(error.problem))
            return
        self.notify(t(N_("Roles saved")))
        self.app.pop_screen()

    def action_back(self) -> None:
        from tui.screens.confirm import leave_unsaved

        leave_unsaved(self, self.roles() != self.saved, self.app.pop_screen)

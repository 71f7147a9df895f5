"""A form field that says what is wrong with its value while it is being typed."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

# Returns why the text is refused, or None when it is fine.
Check = Callable[[str], str | None]


def no_check(_text: str) -> str | None:
    return None


class Field(Vertical):
    DEFAULT_CSS = """
    Field { height: auto; }
    Field > .form-problem { display: none; }
    Field.-refused > .form-problem { display: block; }
    """

    class Submitted(Message):
        def __init__(self, field: Field) -> None:
            super().__init__()
            self.field = field

    def __init__(
        self,
        key: str,
        label: str,
        *,
        value: str = "",
        check: Check = no_check,
        placeholder: str = "",
        disabled: bool = False,
    ) -> None:
        super().__init__(id=f"field-{key}")
        self.key = key
        self.label = label
        self.initial = value
        self.check = check
        self.placeholder = placeholder
        self.input_disabled = disabled
        self._shown: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(self.label, classes="form-label")
            yield Input(
                self.initial,
                placeholder=self.placeholder,
                compact=True,
                disabled=self.input_disabled,
                id=f"input-{self.key}",
            )
        yield Static("", classes="form-problem")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    def validate_now(self) -> str | None:
        """Check the value now; show and return why it is refused (None: fine)."""
        problem = self.check(self.value)
        if problem != self._shown:  # redrawing an unchanged line would re-lay the whole form
            self._shown = problem
            self.query_one(".form-problem", Static).update(problem or "")
            self.set_class(problem is not None, "-refused")
        return problem

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value or self.has_class("-refused"):
            self.validate_now()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.validate_now() is None:
            self.post_message(self.Submitted(self))


def focus_after(fields: list[Field], submitted: Field) -> bool:
    """Enter in a form: focus the field after `submitted`; False when it was the last one
    (the form is then saved)."""
    index = fields.index(submitted)
    if index + 1 < len(fields):
        fields[index + 1].input.focus()
        return True
    return False

"""The recipes of docs/tui.md run as written, with the project's own venv not on PATH."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def browser_recipe() -> str:
    text = (ROOT / "docs" / "tui.md").read_text(encoding="utf-8")
    section = text.split("## In a browser", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None, "docs/tui.md has no serve.py any more"
    return found.group(1)


def test_the_browser_recipe_starts_a_vsla_that_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    """textual-serve is not a dependency: a stand-in records the command it would run for
    each browser tab, and that command must start the app's program from an empty PATH."""
    started: list[str] = []

    class Server:
        def __init__(self, command: str, **_options: Any) -> None:
            started.append(command)

        def serve(self) -> None:
            pass

    module = types.ModuleType("textual_serve.server")
    module.Server = Server  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "textual_serve", types.ModuleType("textual_serve"))
    monkeypatch.setitem(sys.modules, "textual_serve.server", module)
    exec(compile(browser_recipe(), "serve.py", "exec"), {})
    (command,) = started
    program, *arguments = shlex.split(command)
    assert arguments == ["demo"]
    done = subprocess.run(
        [program, "--help"], capture_output=True, text=True, env={"PATH": ""}, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "demo" in done.stdout

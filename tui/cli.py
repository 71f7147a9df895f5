"""The `vsla.frontends` entry point: how `vsla`, `vsla tui` and `vsla demo` open the app."""

from __future__ import annotations

from pathlib import Path


def register(db_path: Path) -> None:
    from tui.app import run

    code = run(db_path)
    if code:
        raise SystemExit(code)

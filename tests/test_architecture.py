"""The dependency direction of architecture.md, enforced: front ends → vsla → ledger.

Checked twice: statically (every import statement, including ones inside functions) and at run
time (what importing a layer actually loads, in a fresh interpreter).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STDLIB = set(sys.stdlib_module_names)
IO_MODULES = {
    "sqlite3",
    "socket",
    "http",
    "urllib",
    "subprocess",
    "asyncio",
    "shutil",
    "tempfile",
    "pathlib",
    "io",
    "logging",
    "os",
    "ssl",
    "select",
    "selectors",
}
ALLOWED = {
    "ledger": (STDLIB - IO_MODULES) | {"ledger", "pydantic", "__future__"},
    "vsla": None,  # anything but the front ends
}
FORBIDDEN = {
    "ledger": {"vsla", "tui", "ussd", "sqlite_utils", "textual", "rich"},
    "vsla": {"tui", "ussd", "textual", "textual_plotext"},
    "tui": {"ussd"},
    "ussd": {"tui", "textual", "textual_plotext"},
}


def imports_of(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_against_the_direction(package: str) -> None:
    offending = {
        module: sorted(names & FORBIDDEN[package])
        for module, names in imports_of(package).items()
        if names & FORBIDDEN[package]
    }
    assert offending == {}


def test_ledger_imports_only_the_standard_library_and_pydantic_and_no_io() -> None:
    allowed = ALLOWED["ledger"]
    assert allowed is not None
    offending = {
        module: sorted(names - allowed)
        for module, names in imports_of("ledger").items()
        if names - allowed
    }
    assert offending == {}


def loaded_by(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return {name.split(".")[0] for name in result.stdout.split()}


def test_importing_the_kernel_loads_no_storage_or_network() -> None:
    loaded = loaded_by("import ledger")
    assert not loaded & {"sqlite3", "sqlite_utils", "socket", "vsla", "textual", "http"}


def test_the_command_line_does_not_load_the_app_or_the_hub() -> None:
    loaded = loaded_by("import vsla.cli, vsla.book.service")
    assert not loaded & {"tui", "ussd", "textual"}


def test_every_package_says_what_it_holds_and_may_import() -> None:
    for package in ("ledger", "vsla", "tui", "ussd"):
        module = ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))
        docstring = ast.get_docstring(module) or ""
        assert "import" in docstring.lower(), package


def vsla_imports_of(folder: str) -> dict[str, set[str]]:
    """The `vsla.<part>` each module under vsla/<folder> imports (top level or in a function)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "vsla" / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            names.update(m.split(".")[1] for m in modules if m.startswith("vsla."))
        found[str(path.relative_to(ROOT))] = names
    return found


# Inside vsla, the same direction: the store knows nothing of the rules or the use cases, the
# rules nothing of storage, the use cases nothing of the command line. `i18n` (messages in the
# reader's language) is below them all.
INSIDE_VSLA = {
    "store": {"store", "i18n"},
    "domain": {"domain"},
    "sms": {"sms", "domain", "i18n", "display"},
    "book": {"book", "domain", "store", "sms", "i18n"},
    "bookfile": {"bookfile", "book", "domain", "store", "i18n"},
}


@pytest.mark.parametrize("folder", sorted(INSIDE_VSLA))
def test_inside_vsla_each_layer_imports_only_those_below_it(folder: str) -> None:
    allowed = INSIDE_VSLA[folder]
    offending = {
        module: sorted(names - allowed)
        for module, names in vsla_imports_of(folder).items()
        if names - allowed
    }
    assert offending == {}

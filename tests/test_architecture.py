"""The dependency direction of architecture.md, enforced: front ends → vsla → ledger.

Checked twice: statically (every import statement, including ones inside functions) and at run
time (what importing a layer actually loads, in a fresh interpreter).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Callable
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


# Front ends (the app, the command line, the hub's USSD and HTTP services) read through the
# book's read models and record through its services: no storage of their own, no SQL, no
# reaching into the book's database or journal, and only the book's errors caught.
FRONT_ENDS = ("tui", "vsla/cli", "ussd")
SQL = re.compile(
    r"\b(SELECT\s|INSERT\s+INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|INDEX|"
    r"TRIGGER)\s|PRAGMA\s|BEGIN(\s+IMMEDIATE)?\b|COMMIT\b|ROLLBACK\b)"
)
BOOK_INSIDES = {"db", "journal", "conn"}
FOREIGN_ERRORS = {"LedgerError", "Error", "OperationalError", "DatabaseError"}  # BookError instead


def front_end_modules() -> list[tuple[str, ast.Module]]:
    found = []
    for folder in FRONT_ENDS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            found.append((str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8"))))
    return found


def storage_imports(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [
            n
            for n in names
            if n.split(".")[0] in ("sqlite3", "sqlite_utils") or n.startswith("vsla.store")
        ]
    return found


def sql_strings(tree: ast.Module) -> list[str]:
    return [
        node.value[:60]
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]


def book_insides(tree: ast.Module) -> list[str]:
    return [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in BOOK_INSIDES
    ]


def foreign_catches(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            for name in ast.walk(node.type):
                label = name.attr if isinstance(name, ast.Attribute) else getattr(name, "id", "")
                if label in FOREIGN_ERRORS:
                    found.append(f"line {node.lineno}: except {label}")
    return found


@pytest.mark.parametrize(
    "rule", [storage_imports, sql_strings, book_insides, foreign_catches], ids=lambda r: r.__name__
)
def test_front_ends_use_only_the_books_read_models_services_and_errors(
    rule: Callable[[ast.Module], list[str]],
) -> None:
    offending = {name: rule(tree) for name, tree in front_end_modules() if rule(tree)}
    assert offending == {}


@pytest.mark.parametrize(
    "source",
    [
        "import sqlite3\nconn = sqlite3.connect('x')",
        "from vsla.store.journal import Journal",
        "rows = book.db.execute('SELECT 1 FROM members')",
        "try:\n    pass\nexcept LedgerError:\n    pass",
    ],
)
def test_the_front_end_rules_catch_what_they_are_for(source: str) -> None:
    tree = ast.parse(source)
    assert any(rule(tree) for rule in (storage_imports, sql_strings, book_insides, foreign_catches))


def test_the_app_and_the_quick_commands_start_without_the_heavy_layers() -> None:
    """What a cheap phone pays for at every start: the app's first screen and `vsla groups`
    need neither the rules' models (pydantic) nor sqlite-utils, nor Babel (bench/tui.py
    measures the time; this keeps the imports from creeping back)."""
    heavy = {"pydantic", "sqlite_utils", "babel", "phonenumbers", "openpyxl"}
    assert not loaded_by("import tui.app, tui.screens.groups") & heavy
    assert not loaded_by("import vsla.cli") & (heavy | {"rich"})

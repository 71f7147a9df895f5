"""Shared fixtures: books in temporary files, the worked examples, the hledger binary."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from vsla.book.service import Book

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"
DEMO_TODAY = date(2026, 11, 22)


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    opened = Book.open(tmp_path / "book.sqlite")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo book, made once per test session; copy it before changing it."""
    from vsla.demo import ensure_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    ensure_demo(path, today=DEMO_TODAY)
    return path


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_db, target)
    return target


@pytest.fixture(scope="session")
def hledger() -> str:
    found = shutil.which("hledger")
    if found is None:
        if os.environ.get("VSLA_REQUIRE_HLEDGER") == "1":
            pytest.fail("hledger is required (VSLA_REQUIRE_HLEDGER=1) but not installed")
        pytest.skip("hledger is not installed (apt-get install hledger)")
    return found

"""`vsla hub …`: settings checked before the server starts, codes given and PINs reset by an
officer, and the server itself started as a person would start it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vsla.book.access import Check, MemberAccess
from vsla.book.service import Book
from vsla.cli import app as cli

from .conftest import CODE, KEY, NOW, TOKEN, free_port, hub_book

VSLA = str(Path(sys.executable).with_name("vsla"))


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VSLA_HUB_")}
    env.update(extra)
    return env


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [VSLA, *args], capture_output=True, text=True, env=clean_env(**env), timeout=60, check=False
    )


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    path = tmp_path / "hub.sqlite"
    hub_book(path)
    return path


def test_missing_settings_stop_the_hub_naming_each(book_path: Path) -> None:
    done = run("hub", "serve", "--db", str(book_path))
    assert done.returncode == 2
    for name in ("VSLA_HUB_PATH_TOKEN", "VSLA_HUB_PIN_KEY", "VSLA_HUB_SERVICE_CODES"):
        assert f"{name}: missing" in done.stderr


def test_a_short_token_and_a_bad_code_are_named(book_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "hub.toml"
    config.write_text(f'pin_key = "{KEY.decode()}"\nservice_codes = ["*384*123#", "384abc"]\n')
    done = run(
        "hub", "serve", "--db", str(book_path), "--config", str(config),
        VSLA_HUB_PATH_TOKEN="short",
    )  # fmt: skip
    assert done.returncode == 2
    assert "VSLA_HUB_PATH_TOKEN: must be at least 16 characters" in done.stderr
    assert "VSLA_HUB_SERVICE_CODES" in done.stderr and "384abc" in done.stderr
    assert KEY.decode() not in done.stderr + done.stdout  # a secret is never printed


def test_the_hub_serves_once_its_settings_are_right(book_path: Path, tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "hub.toml"
    config.write_text(f'path_token = "{TOKEN}"\npin_key = "{KEY.decode()}"\n')
    server = subprocess.Popen(
        [
            VSLA,
            "hub",
            "serve",
            "--db",
            str(book_path),
            "--port",
            str(port),
            "--config",
            str(config),
        ],
        env=clean_env(VSLA_HUB_SERVICE_CODES=json.dumps([CODE])),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                    assert json.loads(answer.read()) == {"status": "ok", "groups": 1}
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_an_officer_gives_a_code_and_resets_a_pin(book_path: Path) -> None:
    env = {"VSLA_HUB_PIN_KEY": KEY.decode()}
    given = CliRunner().invoke(
        cli, ["hub", "activation-code", "umoja", "M03", "--json", "--db", str(book_path)], env=env
    )
    assert given.exit_code == 0, given.output
    code = json.loads(given.stdout)["code"]
    assert len(code) == 6 and code.isdigit()
    book = Book.open(book_path)
    access = MemberAccess(book, KEY)
    assert access.check_code("umoja", "M03", code, NOW).check is Check.OK
    access.activate("umoja", "M03", "4821", NOW)
    book.close()
    reset = CliRunner().invoke(
        cli, ["hub", "pin-reset", "umoja", "M03", "--db", str(book_path)], env=env
    )
    assert reset.exit_code == 0 and "new activation code" in reset.output
    again = CliRunner().invoke(
        cli, ["hub", "pin-reset", "umoja", "M03", "--json", "--db", str(book_path)], env=env
    )
    assert again.exit_code == 0, again.output
    new_code = json.loads(again.stdout)["code"]
    book = Book.open(book_path)
    access = MemberAccess(book, KEY)
    assert access.check_pin("umoja", "M03", "4821", NOW).check is Check.VOID
    assert access.check_code("umoja", "M03", new_code, NOW).check is Check.OK
    book.close()
    without = CliRunner().invoke(
        cli,
        ["hub", "activation-code", "umoja", "M03", "--db", str(book_path)],
        env={"VSLA_HUB_PIN_KEY": ""},
    )
    assert without.exit_code == 2 and "VSLA_HUB_PIN_KEY" in without.output

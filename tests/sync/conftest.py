"""A hub process started by the test (`vsla hub serve` on 127.0.0.1), an empty hub book with
two devices, and device books to push from."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vsla.book.service import Book
from vsla.cli import app

from ..hub.conftest import free_port


def vsla(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    return result.exit_code, result.stdout, result.stderr


@dataclass
class HubProcess:
    url: str
    db: Path
    tokens: dict[str, str]


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    with hub_process(tmp_path) as running:
        yield running


@contextmanager
def hub_process(tmp_path: Path, **settings: str) -> Iterator[HubProcess]:
    """`vsla hub serve` over a new hub book with devices phone-a and phone-b, until the block
    ends; `settings`: more VSLA_HUB_… variables."""
    db = tmp_path / "hub.sqlite"
    Book.open(db).close()
    tokens = {}
    for name in ("phone-a", "phone-b"):
        code, out, err = vsla("hub", "device", "add", name, "--json", db=db)
        assert code == 0, err
        tokens[name] = json.loads(out)["token"]
    port = free_port()
    env = {
        **os.environ,
        "VSLA_HUB_PATH_TOKEN": "sync-tests-path-token-0123",
        "VSLA_HUB_PIN_KEY": "sync-tests-pin-key-0123456",
        "VSLA_HUB_SERVICE_CODES": '["*384*123#"]',
        **settings,
    }
    vsla_bin = str(Path(sys.executable).with_name("vsla"))
    command = [vsla_bin, "hub", "serve", "--db", str(db), "--port", str(port)]
    log = tmp_path / "hub.log"  # a file, not a pipe: a full pipe would stop the hub
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"), text=True
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/health", timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the hub did not start: {log.read_text()}") from None
            time.sleep(0.05)
    try:
        yield HubProcess(url, db, tokens)
    finally:
        process.terminate()
        process.wait(timeout=30)

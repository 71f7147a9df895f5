"""`vsla ussd simulate`: a phone's USSD session in the terminal.

Against a hub (`--hub URL`, its Africa's Talking callback), over HTTP exactly as the
gateway sends it; or, without one, against the book on this machine through the same menu.
Facilitators use it to show members what they will see; support staff to follow a call.
"""

from __future__ import annotations

import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ledger import N_
from ussd.menu import UssdRequest, handle
from ussd.port import HubBook
from vsla.book.access import MemberAccess, hub_pin_key
from vsla.book.errors import BookError
from vsla.book.session import BookSession
from vsla.book.sessions import SessionLog
from vsla.i18n import render_problem, tr

Hop = Callable[[str], tuple[str, bool]]  # the text so far → (screen, whether it ends)


def over_http(url: str, phone: str, service_code: str) -> Hop:
    session_id = "SIM_" + secrets.token_hex(16)

    def hop(text: str) -> tuple[str, bool]:
        form = urllib.parse.urlencode(
            {
                "sessionId": session_id,
                "serviceCode": service_code,
                "phoneNumber": phone,
                "networkCode": "99999",
                "text": text,
            }
        ).encode()
        with urllib.request.urlopen(url, data=form, timeout=15) as answer:
            body = answer.read().decode("utf-8")
        return body[4:], body.startswith("END ")

    return hop


def on_this_machine(db: Path, phone: str, service_code: str, config: Path | None) -> Hop:
    session = BookSession.open(db)
    key = hub_pin_key(config)
    access, log = MemberAccess(session.book, key), SessionLog(session.book)
    session_id = "SIM_" + secrets.token_hex(16)
    now = datetime.now(UTC)
    log.begin(session_id, phone, service_code, 0, now)

    def hop(text: str) -> tuple[str, bool]:
        inputs = tuple(text.split("*")) if text else ()
        request = UssdRequest(session_id, phone, service_code, inputs, 0, datetime.now(UTC))
        reply = handle(request, HubBook(access, log, session.reader, session_id, request.now))
        return reply.text, reply.ends

    return hop


def run(*, phone: str, hub: str | None, service_code: str, config: Path | None, db: Path) -> None:
    try:
        hop = (
            over_http(hub, phone, service_code)
            if hub
            else on_this_machine(db, phone, service_code, config)
        )
        inputs: list[str] = []
        while True:
            screen, ends = hop("*".join(inputs))
            print("\n" + screen)
            if ends:
                return
            try:
                inputs.append(input("> ").strip())
            except EOFError:
                return
    except BookError as error:
        said = render_problem(error.problem)
        print(tr(N_("error: {message}"), message=said), file=sys.stderr)
        raise SystemExit(2) from error
    except (urllib.error.URLError, OSError) as error:
        said = tr(N_("the hub did not answer: {reason}"), reason=str(error))
        print(tr(N_("error: {message}"), message=said), file=sys.stderr)
        raise SystemExit(2) from error

"""The hub's SMS sender: beside the requests, a thread sends the outbox every few seconds.

Never inside a USSD hop or a meeting's save: the provider may take seconds. Receipts were
queued in the meeting's own transaction; each is sent once (see `vsla.book.sms`), and a
failure to reach the provider is retried later, never a reason to stop the hub.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ussd.app import Hub
from vsla.book.errors import BookError
from vsla.book.session import BookSession
from vsla.book.sessions import SessionLog
from vsla.book.sms import flush_outbox
from vsla.sms.africastalking import AfricasTalkingSender

log = logging.getLogger("vsla.hub.sms")


def sender_loop(hub: Hub) -> Callable[[], None]:
    """Start sending; the function returned stops it (at the end of the hub's life)."""
    settings = hub.settings
    assert settings.at_username is not None and settings.at_api_key is not None
    sender = AfricasTalkingSender(
        settings.at_username,
        settings.at_api_key.get_secret_value(),
        sender_id=settings.at_sender_id,
        api_host=settings.at_api_host,
    )
    stop = threading.Event()

    def run() -> None:
        session = BookSession.open(hub.db_path)  # its own connection, like every thread
        try:
            while not stop.wait(settings.sms_every_seconds):
                try:
                    report = flush_outbox(session.book, sender, now=hub.clock())
                    if report.messages:
                        log.info("SMS: %s", report.to_json())
                    SessionLog(session.book).forget_before(hub.clock())
                except BookError:
                    log.exception("the outbox could not be sent this time")
        finally:
            session.close()

    thread = threading.Thread(target=run, name="sms-sender", daemon=True)
    thread.start()

    def halt() -> None:
        stop.set()
        thread.join(timeout=30)

    return halt

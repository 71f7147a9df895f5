"""A fake Africa's Talking SMS API on 127.0.0.1, for the real SDK to talk to over real HTTP.

It answers `POST /version1/messaging` the way Africa's Talking does (201, a JSON body with a
status per recipient) unless told otherwise: each `Reply` queued with `answer` is used once,
in order, then the default (success). Every request is recorded as it arrived.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

COST = "UGX 0.8000"


@dataclass(frozen=True)
class Reply:
    """One answer. `recipient`: (statusCode, status) of the recipient in a 201 body; `http`:
    another HTTP status, with `text` as its body; `delay`: seconds to wait before answering;
    `content_type`: the header as sent (the SDK reads JSON only if it is exactly
    application/json)."""

    recipient: tuple[int, str] = (101, "Success")
    cost: str = COST
    http: int = 201
    text: str | None = None
    delay: float = 0.0
    content_type: str = "application/json"


@dataclass(frozen=True)
class Received:
    path: str
    api_key: str | None
    accept: str | None
    form: dict[str, str]
    answered: str  # the recipient's status, or the HTTP status when not 201
    message_id: str | None


@dataclass
class FakeAfricasTalking:
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def successes(self, to: str | None = None) -> int:
        """Requests answered with a recipient's `Success` (to `to`, when given)."""
        return sum(
            1
            for r in self.requests
            if r.answered == "Success" and (to is None or r.form.get("to") == to)
        )

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(handler.rfile.read(length).decode()).items()}
        with self._lock:
            reply = self.replies.popleft() if self.replies else Reply()
            number = len(self.requests) + 1
            message_id = f"ATXid_{number:04d}" if reply.recipient[1] == "Success" else None
            answered = reply.recipient[1] if reply.http == 201 else str(reply.http)
            self.requests.append(
                Received(
                    handler.path,
                    handler.headers.get("apiKey"),
                    handler.headers.get("Accept"),
                    form,
                    answered,
                    message_id if reply.http == 201 else None,
                )
            )
        body = reply.text if reply.text is not None else _body(reply, form, message_id)
        time.sleep(reply.delay)
        try:
            handler.send_response(reply.http)
            handler.send_header("Content-Type", reply.content_type)
            handler.send_header("Content-Length", str(len(body.encode())))
            handler.end_headers()
            handler.wfile.write(body.encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting


def _body(reply: Reply, form: dict[str, str], message_id: str | None) -> str:
    code, status = reply.recipient
    success = status == "Success"
    recipient = {
        "statusCode": code,
        "number": form.get("to", ""),
        "status": status,
        "cost": reply.cost if success else "0",
        "messageId": message_id or "None",
    }
    total = reply.cost if success else "0"
    return json.dumps(
        {
            "SMSMessageData": {
                "Message": f"Sent to {int(success)}/1 Total Cost: {total}",
                "Recipients": [recipient],
            }
        }
    )

"""The hub's sync API: devices push their groups' journal entries, authenticated per device.

`GET /sync/{group}`: the hub's head of the group and its writer. `POST /sync/{group}` with
`{"entries": [...]}` (entries as `ledger.wire` writes them): 200 with the new head, stored
and already-held counts. Every refusal is JSON `{"error": {"code", "message", "params"}}`,
whose message is a catalogue msgid the device shows in its own language: 401 an unknown or
revoked token, 413 a body too large, 400 a body that is not JSON, 422 a malformed or
tampered entry, 409 a fork, another device's group or a gap, 429 the hub's book busy. A
refused push is kept whole in quarantine (`"quarantined"`: its number). Never a 5xx.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ledger import N_, Problem
from vsla.book.errors import BookBusy, BookError
from vsla.book.sync import SyncHub, SyncRefused

if TYPE_CHECKING:
    from ussd.app import Hub

log = logging.getLogger("vsla.hub.sync")
MAX_SYNC_BODY = 16 * 2**20  # a push of 1,000 entries is about 1 MB
CONFLICTS = {"sync.fork", "sync.not_the_writer", "sync.gap"}


class SyncApi:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    async def head(self, request: Request) -> Response:
        group_id = request.path_params["group"]
        if self._device(request) is None:
            return _error(401, _unknown_token())

        def read() -> dict[str, Any]:
            sync = SyncHub(self.hub.here().session.book)
            head = sync.head(group_id)
            return {
                "group": group_id,
                "head": None if head is None else {"seq": head.seq, "hash": head.hash},
                "writer": sync.writer(group_id),
            }

        try:
            return JSONResponse(await self.hub.in_thread(read))
        except BookError as error:
            return _error(_status(error), error.problem)

    async def entries(self, request: Request) -> Response:
        """`GET /sync/{group}/entries?after=N`: up to 1,000 entries after N (a device
        restoring the group), for any registered device."""
        group_id = request.path_params["group"]
        if self._device(request) is None:
            return _error(401, _unknown_token())
        after_text = request.query_params.get("after", "0")
        if not after_text.isascii() or not after_text.isdigit() or len(after_text) > 15:
            return _error(400, Problem("sync.bad_after", N_("after must be an entry number")))

        def read() -> dict[str, Any]:
            sync = SyncHub(self.hub.here().session.book)
            return {"group": group_id, "entries": sync.entries(group_id, int(after_text))}

        try:
            return JSONResponse(await self.hub.in_thread(read))
        except BookError as error:
            return _error(_status(error), error.problem)

    async def push(self, request: Request) -> Response:
        group_id = request.path_params["group"]
        device = self._device(request)
        if device is None:
            return _error(401, _unknown_token())
        declared = request.headers.get("content-length", "")
        if declared and (not declared.isdigit() or int(declared) > MAX_SYNC_BODY):
            return _error(413, _too_large())
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_SYNC_BODY:
                return _error(413, _too_large())
        try:
            data = json.loads(body)
            entries = data["entries"]
            if not isinstance(entries, list):
                raise TypeError
        except (ValueError, TypeError, KeyError, RecursionError):
            problem = Problem("sync.not_json", N_('a push is JSON: {"entries": [...]}'))
            return _error(400, problem)

        def store() -> dict[str, Any]:
            sync = SyncHub(self.hub.here().session.book)
            ack = sync.receive(device, group_id, entries, self.hub.clock())
            return {
                "group": group_id,
                "head": {"seq": ack.head.seq, "hash": ack.head.hash},
                "stored": ack.stored,
                "already": ack.already,
            }

        try:
            return JSONResponse(await self.hub.in_thread(store))
        except SyncRefused as refused:
            status = 409 if refused.problem.code in CONFLICTS else 422
            log.warning("push of %s by %s refused: %s", group_id, device, refused.problem.code)
            return _error(status, refused.problem, quarantined=refused.quarantined)
        except BookError as error:
            return _error(_status(error), error.problem)
        except Exception:
            log.exception("push of %s by %s failed", group_id, device)
            return _error(422, Problem("sync.failed", N_("the hub could not take the push")))

    def _device(self, request: Request) -> str | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if not hmac.compare_digest(scheme.lower(), "bearer") or not token:
            return None
        return SyncHub(self.hub.here().session.book).device_for(token.strip())


def _status(error: BookError) -> int:
    """The hub's book busy: 429, try again; anything else it cannot do: 422. Never a 5xx:
    the device shows the message and keeps everything."""
    return 429 if isinstance(error, BookBusy) else 422


def _unknown_token() -> Problem:
    return Problem(
        "sync.unknown_token",
        N_("the hub does not know this device's token, or it was revoked"),
    )


def _too_large() -> Problem:
    return Problem(
        "sync.too_large",
        N_("the push is larger than the hub takes ({most} MB)"),
        {"most": MAX_SYNC_BODY // 2**20},
    )


def _error(status: int, problem: Problem, **extra: Any) -> JSONResponse:
    error = {"code": problem.code, "message": problem.message, "params": problem.params}
    return JSONResponse({"error": error, **extra}, status)

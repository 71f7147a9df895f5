"""The hub's HTTP services (Starlette): the USSD callbacks of the aggregators, their end-of-
session reports, SMS delivery reports, and a health check.

Thin shells around the menu (`ussd.menu.handle`): each adapter turns its aggregator's request
into the session's inputs and the reply into its format. A callback from the aggregator is
always answered 200 with a screen (`CON`/`END` for Africa's Talking), an internal failure
with an apology in the member's language, never a 5xx; what is not the aggregator's (a wrong
path token: 404; a service code or source address not allowed: 403; a body too large, not
UTF-8 or missing a field: 4xx) is refused before anything is read from the book.

The book is read and written through one connection per worker thread, so a request never
waits on another's; the book may be written meanwhile by another program (the app on the
same machine, later sync): every read is one snapshot.
"""

from __future__ import annotations

import gc
import hmac
import json
import logging
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ussd import texts as x
from ussd.figures import FiguresCache, NotKept
from ussd.menu import UssdReply, UssdRequest, handle
from ussd.port import HubBook
from ussd.settings import HubSettings
from ussd.sync_routes import SyncApi
from vsla.book.access import MemberAccess
from vsla.book.errors import BookBusy, BookError
from vsla.book.session import BookSession
from vsla.book.sessions import SessionLog

log = logging.getLogger("vsla.hub")
MAX_BODY = 4096  # a whole session's inputs are a few dozen characters
Clock = Callable[[], datetime]
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


class Refused(Exception):
    """A request that is not the aggregator's to make: answered with `status`, nothing read."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass
class _PerThread:
    session: BookSession
    access: MemberAccess
    log: SessionLog


class Hub:
    def __init__(self, settings: HubSettings, db_path: Path, clock: Clock = utc_now) -> None:
        self.settings = settings
        self.db_path = db_path
        self.clock = clock
        self.key = settings.pin_key.get_secret_value().encode()
        self.token = settings.path_token.get_secret_value()
        self._local = threading.local()
        self._opened: list[BookSession] = []
        self._lock = threading.Lock()
        self._opening = threading.Lock()
        self.book_checked = False  # SQLite's quick check of the file was done in this process
        self._hops: dict[str, deque[float]] = {}
        self._limiter: anyio.CapacityLimiter | None = None
        self.figures = FiguresCache()  # members' figures, shared by the worker threads
        self._inputs: dict[str, tuple[float, list[str]]] = {}  # Hubtel sessions: see hubtel()
        self._sequences: dict[str, str] = {}  # the last hop of each of them

    # -- the book, one connection per thread -------------------------------------------------

    async def in_thread(self, work: Callable[..., T], *args: Any) -> T:
        """`work` on a worker thread, at most `book_threads` at once. The work is Python and
        SQLite under one GIL: more threads than cores only make them wait for each other
        and for the thread that reads the requests (measured: bench/ussd.py)."""
        if self._limiter is None:  # made on the event loop, the first time it is needed
            self._limiter = anyio.CapacityLimiter(self.settings.book_threads)
        return await anyio.to_thread.run_sync(partial(work, *args), limiter=self._limiter)

    def here(self) -> _PerThread:
        found: _PerThread | None = getattr(self._local, "book", None)
        if found is None:
            # The first connection checks the file (all of it: minutes on a big hub); the
            # other threads' connections wait for that check and trust it.
            with self._opening:
                session = BookSession.open(self.db_path, quick_check=not self.book_checked)
                self.book_checked = True
            found = _PerThread(
                session,
                MemberAccess(session.book, self.key),
                SessionLog(session.book),
            )
            self._local.book = found
            with self._lock:
                self._opened.append(session)
        return found

    def close(self) -> None:
        with self._lock:
            for session in self._opened:
                session.close()
            self._opened.clear()

    # -- guards ------------------------------------------------------------------------------

    def check(self, request: Request, service_code: str | None = None) -> None:
        if not hmac.compare_digest(request.path_params.get("token", ""), self.token):
            raise Refused(404, "Not Found")
        client = request.client.host if request.client else None
        if not self.settings.source_allowed(client):
            raise Refused(403, "source not allowed")
        if service_code is not None and service_code not in self.settings.service_codes:
            raise Refused(403, "unknown service code")

    def too_many(self, phone: str) -> bool:
        """More hops from this phone in the last minute than the setting allows: every
        request comes from the aggregator's servers, so the phone is what is limited."""
        now = self.clock().timestamp()
        with self._lock:
            hops = self._hops.setdefault(phone, deque())
            while hops and hops[0] <= now - 60:
                hops.popleft()
            if len(hops) >= self.settings.hops_per_minute:
                return True
            hops.append(now)
            if len(self._hops) > 100_000:  # phones that stopped calling
                for old in [p for p, h in self._hops.items() if not h or h[-1] <= now - 60]:
                    del self._hops[old]
            return False

    # -- the menu, once per request ------------------------------------------------------------

    async def hop(
        self, session_id: str, phone: str, code: str, inputs: list[str], first: bool
    ) -> UssdReply:
        """The reply to one hop. Worked out on the event loop: a hop is a fraction of a
        millisecond of Python and SQLite, less than handing it to a thread costs under load
        (bench/ussd.py measures both). Only when the book's write lock is held elsewhere (the
        app or a sync writing) does the hop go to a worker thread, which may wait for it:
        the loop never waits. So do a group's figures that must be worked out (a few
        milliseconds, once per group and meeting). Doing a hop again is safe: each effect
        is once per input."""
        args = (session_id, phone, code, inputs, first)
        try:
            return self.screen(*args, waiting=False)
        except (BookBusy, NotKept):
            return await self.in_thread(self.screen, *args)

    def screen(self, session_id: str, phone: str, code: str, inputs: list[str], first: bool,
               *, waiting: bool = True) -> UssdReply:  # fmt: skip
        """The reply to one hop; a repeated hop is worked out again and finds its effects
        done, so it gets the same screen. Never an exception, except
        `BookBusy` and `NotKept` when not `waiting` (the event loop's first try)."""
        now = self.clock()
        try:
            here = self.here()
            with nullcontext() if waiting else here.session.without_waiting():
                return self._screen(
                    here, session_id, phone, code, inputs, first, now, inline=not waiting
                )
        except (Refused, NotKept):
            raise
        except BookBusy:
            if waiting:
                log.exception("USSD hop waited too long for the book (session %s)", session_id)
                return UssdReply(x.say(x.SORRY, self._language_of(phone)), ends=True)
            raise
        except Exception:
            # Never the request: its text holds the PIN.
            log.exception("USSD hop failed (session %s)", session_id)
            return UssdReply(x.say(x.SORRY, self._language_of(phone)), ends=True)

    def _screen(self, here: _PerThread, session_id: str, phone: str, code: str,
                inputs: list[str], first: bool, now: datetime, *,
                inline: bool) -> UssdReply:  # fmt: skip
        opened = here.log.opened(session_id)
        if opened is not None and opened.phone != phone:
            raise Refused(400, "the session belongs to another phone")
        ahead = (
            opened.dialled_ahead
            if opened is not None
            else here.log.begin(session_id, phone, code, len(inputs) if first else 0, now)
        )
        book = HubBook(
            here.access, here.log, here.session.reader, session_id, now, self.figures, inline=inline
        )
        reply = handle(
            UssdRequest(session_id, phone, code, tuple(inputs), ahead, now),
            book,
            self.settings.default_language,
        )
        return reply

    def _language_of(self, phone: str) -> str:
        try:
            callers = self.here().access.callers(phone, self.clock())
        except BookError:
            callers = ()
        return callers[0].language if callers else self.settings.default_language

    # -- Africa's Talking ------------------------------------------------------------------

    async def africastalking(self, request: Request) -> Response:
        try:
            fields = await _form(request)
            self.check(request, _required(fields, "serviceCode"))
            session_id = _required(fields, "sessionId")
            phone = _e164(_required(fields, "phoneNumber"))
            text = _required(fields, "text", allow_empty=True)
        except Refused as refused:
            return PlainTextResponse(refused.reason, refused.status)
        if phone is None:
            return _at(UssdReply(x.say(x.UNKNOWN_NUMBER, self.settings.default_language), True))
        if self.too_many(phone):
            return _at(UssdReply(x.say(x.TOO_MANY, self.settings.default_language), True))
        # Every input of the session so far, joined by "*"; the first hop may carry those
        # typed with the code (*384*123*1#).
        inputs = text.split("*") if text else []
        try:
            reply = await self.hop(session_id, phone, fields["serviceCode"], inputs, True)
        except Refused as refused:
            return PlainTextResponse(refused.reason, refused.status)
        return _at(reply)

    async def events(self, request: Request) -> Response:
        """End-of-session reports, for drop-off figures. Their `input` (every input of the
        session, PIN included) is never kept."""
        try:
            fields = await _form(request)
            self.check(request, fields.get("serviceCode"))
            session_id = _required(fields, "sessionId")
            status = _required(fields, "status")
        except Refused as refused:
            return PlainTextResponse(refused.reason, refused.status)

        def keep() -> None:
            self.here().log.ended(
                session_id,
                status=status[:40],
                service_code=fields.get("serviceCode"),
                network_code=fields.get("networkCode"),
                cost=(fields.get("cost") or None),
                duration_ms=_int(fields.get("durationInMillis")),
                hops=_int(fields.get("hopsCount")),
                error=(fields.get("errorMessage") or None),
                now=self.clock(),
            )

        try:
            await self.in_thread(keep)
        except BookError:
            log.exception("could not keep the end of session %s", session_id)
        return PlainTextResponse("OK")

    # -- a Hubtel-style aggregator: JSON, one input at a time ---------------------------------

    async def hubtel(self, request: Request) -> Response:
        """Hubtel's programmable services send JSON with the latest input only (`Message`),
        `Type` Initiation / Response / Release / Timeout and a `Sequence` per hop. The inputs
        of a session are kept in this process's memory for a few minutes, never on disk
        (they hold the PIN): a hub restarted mid-session makes the member dial again."""
        try:
            body = await _body(request)
            data = json.loads(body.decode("utf-8"))
            if not isinstance(data, dict):
                raise Refused(400, "expected a JSON object")
            code = str(data.get("ServiceCode") or "")
            self.check(request, _service_code(code))
            kind = str(data.get("Type") or "").lower()
            session_id = str(data.get("SessionId") or "")
            phone = _e164("+" + str(data.get("Mobile") or "").lstrip("+"))
            message = str(data.get("Message") or "")
            sequence = str(data.get("Sequence") or "")
            if not session_id or kind not in ("initiation", "response", "release", "timeout"):
                raise Refused(400, "missing SessionId or Type")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return PlainTextResponse("not a UTF-8 JSON object", 400)
        except Refused as refused:
            return PlainTextResponse(refused.reason, refused.status)
        if kind in ("release", "timeout"):
            self._inputs.pop(session_id, None)
            return _hubtel(session_id, UssdReply("", ends=True))
        if phone is None:
            return _hubtel(session_id, UssdReply(x.say(x.UNKNOWN_NUMBER, "en"), True))
        if self.too_many(phone):
            return _hubtel(session_id, UssdReply(x.say(x.TOO_MANY, "en"), True))
        first = kind == "initiation"
        inputs = self._hubtel_inputs(session_id, message, code, first, sequence)
        try:
            reply = await self.hop(session_id, phone, _service_code(code), inputs, first)
        except Refused as refused:
            return PlainTextResponse(refused.reason, refused.status)
        if reply.ends:
            self._inputs.pop(session_id, None)
        return _hubtel(session_id, reply)

    def _hubtel_inputs(
        self, session_id: str, message: str, code: str, first: bool, sequence: str
    ) -> list[str]:
        now = self.clock().timestamp()
        with self._lock:
            for old in [s for s, (at, _i) in self._inputs.items() if at < now - 300]:
                del self._inputs[old]
                self._sequences.pop(old, None)
            _at_time, inputs = self._inputs.get(session_id, (now, []))
            if first:
                # The dialled string: what follows the service code was typed ahead.
                inputs = _dialled_ahead(message, _service_code(code))
            elif not sequence or sequence != self._sequences.get(session_id):
                inputs = [*inputs, message]  # a repeated Sequence is the same hop again
            self._sequences[session_id] = sequence
            self._inputs[session_id] = (now, inputs)
            return list(inputs)

    # -- the rest ------------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        def probe() -> dict[str, Any]:
            groups = self.here().session.reader.groups()
            return {"status": "ok", "groups": len(groups)}

        try:
            return JSONResponse(await self.in_thread(probe))
        except BookError as error:
            return JSONResponse({"status": "unavailable", "problem": error.problem.code}, 503)

    async def delivery(self, request: Request) -> Response:
        """Africa's Talking's SMS delivery reports, answered 200 at once (it retries for
        about ten minutes otherwise); the same report twice is kept once."""
        try:
            fields = await _form(request)
            self.check(request)
            message_id = _required(fields, "id")
            status = _required(fields, "status")
        except Refused as refused:
            return PlainTextResponse(refused.reason, refused.status)
        from vsla.book.sms import record_delivery_report

        def keep() -> None:
            record_delivery_report(
                self.here().session.book,
                message_id,
                status[:40],
                (fields.get("failureReason") or None),
                now=self.clock(),
            )

        try:
            await self.in_thread(keep)
        except BookError:
            log.exception("could not keep a delivery report")
        return PlainTextResponse("OK")


def freeze_start_up() -> None:
    """Everything made so far (modules, catalogues, templates, locale data) lives as long
    as the hub: kept out of the garbage collector's walks from now on. A push of 500
    entries makes some 50,000 short-lived objects, and the full collections they set off
    walked all of it again each time (3 to 4% of a large push's time)."""
    gc.collect()
    gc.freeze()


def create_hub(
    settings: HubSettings,
    db_path: Path,
    *,
    clock: Clock = utc_now,
    background: Callable[[Hub], Callable[[], None]] | None = None,
    book_checked: bool = False,
) -> Starlette:
    """The hub's app; `background`, given the hub, starts its work beside the requests (the
    SMS sender) and returns how to stop it. `book_checked`: the caller has just checked the
    book's file (`vsla hub serve` does before it listens)."""
    hub = Hub(settings, db_path, clock)
    hub.book_checked = book_checked
    sync = SyncApi(hub)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = background(hub) if background is not None else None
        try:
            yield
        finally:
            if stop is not None:
                stop()
            hub.close()

    from starlette.middleware import Middleware
    from starlette.middleware.sessions import SessionMiddleware

    from ussd.staff.auth import COOKIE, SESSION_HOURS, session_key
    from ussd.staff.pages import StaffPages

    staff = StaffPages(hub)
    app = Starlette(
        middleware=[
            # Signed (not encrypted: it holds the email and a CSRF token), HttpOnly, SameSite
            # lax, and Secure unless the hub is told it has no TLS; only the staff pages set it.
            Middleware(
                SessionMiddleware,
                secret_key=session_key(hub.key),
                session_cookie=COOKIE,
                max_age=SESSION_HOURS * 3600,
                path="/staff",
                same_site="lax",
                https_only=settings.staff_https,
            )
        ],
        routes=[
            *staff.routes(),
            Route("/health", hub.health, methods=["GET"]),
            Route("/ussd/{token}/africastalking", hub.africastalking, methods=["POST"]),
            Route("/ussd/{token}/africastalking/events", hub.events, methods=["POST"]),
            Route("/ussd/{token}/hubtel", hub.hubtel, methods=["POST"]),
            Route("/sms/{token}/delivery", hub.delivery, methods=["POST"]),
            Route("/sync/{group}", sync.head, methods=["GET"]),
            Route("/sync/{group}", sync.push, methods=["POST"]),
            Route("/sync/{group}/entries", sync.entries, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.hub = hub
    return app


# -- helpers -----------------------------------------------------------------------------------


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise Refused(413, "request too large")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refused(413, "request too large")
    return body


async def _form(request: Request) -> dict[str, str]:
    body = await _body(request)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(400, "the request is not UTF-8") from error
    parsed = parse_qs(text, keep_blank_values=True)
    return {key: values[-1] for key, values in parsed.items()}


def _required(fields: dict[str, str], name: str, *, allow_empty: bool = False) -> str:
    value = fields.get(name)
    if value is None or (not value and not allow_empty):
        raise Refused(400, f"missing {name}")
    return value


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 12 else None


@lru_cache(maxsize=100_000)  # members call again and again: parse each number once
def _e164(phone: str) -> str | None:
    """The number as the book keeps it (E.164), or None when it is not a phone number."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _service_code(code: str) -> str:
    """Hubtel writes the code without its stars and hash (`713`); the settings, as dialled."""
    code = code.strip()
    return code if code.startswith("*") else f"*{code.strip('#')}#"


def _dialled_ahead(message: str, code: str) -> list[str]:
    """`*713*1*2#` dialled for the code `*713#`: the inputs 1 and 2."""
    dialled = message.strip().strip("#").lstrip("*").split("*") if message.strip() else []
    own = code.strip("#").lstrip("*").split("*")
    return dialled[len(own) :] if dialled[: len(own)] == own else []


def _at(reply: UssdReply) -> Response:
    return PlainTextResponse(("END " if reply.ends else "CON ") + reply.text)


def _hubtel(session_id: str, reply: UssdReply) -> Response:
    return JSONResponse(
        {
            "SessionId": session_id,
            "Type": "release" if reply.ends else "response",
            "Message": reply.text,
            "Label": "VSLA",
            "DataType": "display" if reply.ends else "input",
            "FieldType": "number" if reply.secret else "text",
        }
    )

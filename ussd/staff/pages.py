"""The staff pages' routes: log in and out, the programme, the groups, one group, downloads,
and the admins' member actions. Every figure comes from the report engine (`Reader.savix`),
never worked out a second way; every book read or write runs on the hub's worker threads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ledger import N_
from ussd.staff import views
from ussd.staff.auth import SESSION_HOURS, ClientLimiter, csrf_ok, csrf_token
from ussd.staff.cache import Kept
from vsla.book.errors import BookError
from vsla.book.staff import LoginLocked, StaffAccounts, StaffMember, StaffRefused
from vsla.i18n import LANGUAGE_NAMES, LANGUAGES, tr

if TYPE_CHECKING:
    from ussd.app import Hub
    from vsla.book.views.report import SavixReport

log = logging.getLogger("vsla.hub.staff")
HERE = Path(__file__).resolve().parent
Handler = Callable[[Request, StaffMember], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Page:
    """What every page is drawn with: who reads, in which language, on which day."""

    staff: StaffMember | None
    language: str
    today: date
    csrf: str


class StaffPages:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.templates = Jinja2Templates(directory=HERE / "templates")
        # A report over thousands of groups is tens of MB: a few are kept (today's, and the
        # month ends of the charts); charts are small; downloads a few MB each.
        self.reports = Kept(12)
        self.charts = Kept(256)
        self.files = Kept(8)
        self.details = Kept(64)  # one group's members, late loans, meetings, refused pushes
        self.clients = ClientLimiter()

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/staff", self.to_overview, methods=["GET"]),
            Route("/staff/login", self.login_page, methods=["GET"]),
            Route("/staff/login", self.login, methods=["POST"]),
            Route("/staff/logout", self.logout, methods=["POST"]),
            Route("/staff/language", self.language, methods=["POST"]),
            Route("/staff/", self.signed_in(self.overview), methods=["GET"]),
            Route("/staff/groups", self.signed_in(self.groups), methods=["GET"]),
            Route("/staff/groups/{group}", self.signed_in(self.group), methods=["GET"]),
            Route(
                "/staff/groups/{group}/members/{member}/{action}",
                self.signed_in(self.member_action, admin=True),
                methods=["POST"],
            ),
            Route("/staff/charts/{code}/{name}.svg", self.signed_in(self.chart), methods=["GET"]),
            Route("/staff/downloads", self.signed_in(self.downloads), methods=["GET"]),
            Route("/staff/downloads/{name}", self.signed_in(self.download), methods=["GET"]),
            Route("/staff/log", self.signed_in(self.audit, admin=True), methods=["GET"]),
            Mount("/staff/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]

    # -- who is asking ---------------------------------------------------------------------

    def signed_in(self, handler: Handler, *, admin: bool = False) -> Callable[..., Any]:
        """`handler` for a signed-in staff member (the login page otherwise); for an admin
        only when `admin`; a POST only with the session's CSRF token."""

        async def endpoint(request: Request) -> Response:
            try:
                staff = await self._staff(request)
                if staff is None:
                    target = request.url.path + (
                        f"?{request.url.query}" if request.url.query else ""
                    )
                    return RedirectResponse(f"/staff/login?next={quote(target)}", 303)
                if request.method == "POST":
                    form = await request.form()
                    if not csrf_ok(request, form.get("csrf")):
                        await self._log(staff.email, "refused_csrf", request.url.path, request)
                        return self._problem(
                            request,
                            staff,
                            403,
                            N_("This form has expired. Go back, reload the page and try again."),
                        )
                if admin and not staff.is_admin:
                    await self._log(staff.email, "refused_admin", request.url.path, request)
                    return self._problem(request, staff, 403, N_("Only an admin may do this."))
                return await handler(request, staff)
            except BookError as error:
                log.warning("staff page %s: %s", request.url.path, error.problem.code)
                return self._problem(
                    request,
                    None,
                    503,
                    N_("The hub's book cannot be read just now. Try again in a minute."),
                )

        return endpoint

    async def _staff(self, request: Request) -> StaffMember | None:
        email = request.session.get("staff")
        started = request.session.get("since", 0)
        if not isinstance(email, str) or time.time() - float(started) > SESSION_HOURS * 3600:
            return None

        def read() -> StaffMember | None:
            return StaffAccounts(self.hub.here().session.book).member(email)

        found = await self.hub.in_thread(read)
        if found is None or found.disabled_at is not None:
            request.session.clear()
            return None
        return found

    def page(self, request: Request, staff: StaffMember | None) -> Page:
        language = staff.language if staff and staff.language else request.session.get("lang")
        if language not in LANGUAGES:
            language = self.hub.settings.default_language
        return Page(staff, str(language), self.hub.clock().date(), csrf_token(request))

    def render(
        self, request: Request, name: str, page: Page, status: int = 200, **context: Any
    ) -> HTMLResponse:
        helpers = views.helpers(page.language)
        response = self.templates.TemplateResponse(
            request,
            name,
            {"page": page, "languages": LANGUAGE_NAMES, **helpers, **context},
            status_code=status,
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'"
        )
        return response

    def _problem(
        self, request: Request, staff: StaffMember | None, status: int, message: str
    ) -> HTMLResponse:
        page = self.page(request, staff)
        return self.render(request, "problem.html", page, status, message=message)

    async def _log(self, email: str, action: str, detail: str, request: Request) -> None:
        client = request.client.host if request.client else None

        def write() -> None:
            StaffAccounts(self.hub.here().session.book).log(
                email, action, detail, self.hub.clock(), client
            )

        try:
            await self.hub.in_thread(write)
        except BookError:
            log.exception("could not log %s of %s", action, email)

    # -- logging in and out ------------------------------------------------------------------

    async def to_overview(self, request: Request) -> Response:
        return RedirectResponse("/staff/", 303)

    async def login_page(self, request: Request) -> Response:
        wanted = request.query_params.get("lang")
        if wanted in LANGUAGES:
            request.session["lang"] = wanted
        page = self.page(request, None)
        return self.render(
            request, "login.html", page, next=_next(request.query_params.get("next"))
        )

    async def login(self, request: Request) -> Response:
        form = await request.form()
        client = request.client.host if request.client else "?"
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        target = _next(str(form.get("next", "")))
        page = self.page(request, None)

        def again(status: int, message: str, **params: Any) -> Response:
            error = tr(message, page.language, **params)
            return self.render(
                request, "login.html", page, status, error=error, email=email, next=target
            )

        if not csrf_ok(request, form.get("csrf")):
            return again(403, N_("This form has expired. Go back, reload the page and try again."))
        if self.clients.blocked(client):
            return again(429, N_("Too many failed logins from here. Try again in 15 minutes."))

        def check() -> StaffMember | None:
            staff = StaffAccounts(self.hub.here().session.book)
            return staff.log_in(email, password, self.hub.clock(), client)

        try:
            staff = await self.hub.in_thread(check)
        except LoginLocked as locked:
            return again(
                429,
                N_("Too many failed logins for this account. Try again after {time}."),
                time=locked.until.strftime("%H:%M UTC"),
            )
        except StaffRefused:
            staff = None
        if staff is None:
            self.clients.failed(client)
            return again(401, N_("Wrong email or password."))
        chosen = request.session.get("lang")
        request.session.clear()  # a new session: nothing of the one before the login is kept
        request.session.update({"staff": staff.email, "since": time.time()})
        if staff.language:
            request.session["lang"] = staff.language
        elif chosen in LANGUAGES:  # chosen on the login page: kept, and remembered
            request.session["lang"] = chosen
            member, now = staff, self.hub.clock()

            def remember() -> None:
                accounts = StaffAccounts(self.hub.here().session.book)
                accounts.set_language(member.email, str(chosen), now)

            await self.hub.in_thread(remember)
        return RedirectResponse(target, 303)

    async def logout(self, request: Request) -> Response:
        form = await request.form()
        email = request.session.get("staff")
        if isinstance(email, str) and not csrf_ok(request, form.get("csrf")):
            return RedirectResponse("/staff/", 303)  # still logged in, and it shows
        if isinstance(email, str):
            await self._log(email, "logout", "", request)
        request.session.clear()
        return RedirectResponse("/staff/login", 303)

    async def language(self, request: Request) -> Response:
        form = await request.form()
        wanted = str(form.get("language", ""))
        back = _next(str(form.get("next", "")))
        if wanted not in LANGUAGES or not csrf_ok(request, form.get("csrf")):
            return RedirectResponse(back, 303)
        request.session["lang"] = wanted
        staff = await self._staff(request)
        if staff is not None:
            now = self.hub.clock()

            def remember() -> None:
                StaffAccounts(self.hub.here().session.book).set_language(staff.email, wanted, now)

            await self.hub.in_thread(remember)
        return RedirectResponse(back, 303)

    # -- the report, kept --------------------------------------------------------------------

    async def report(self, day: date) -> SavixReport:
        def read() -> SavixReport:
            reader = self.hub.here().session.reader
            mark = reader.book_mark()
            return self.reports.get(("report", day, mark), lambda: reader.savix(day))

        return await self.hub.in_thread(read)

    # -- pages -------------------------------------------------------------------------------

    async def overview(self, request: Request, staff: StaffMember) -> Response:
        page = self.page(request, staff)
        report = await self.report(page.today)
        return self.render(
            request,
            "overview.html",
            page,
            report=report,
            sections=views.currency_sections(report),
            charts=views.WEB_CHARTS,
        )

    async def groups(self, request: Request, staff: StaffMember) -> Response:
        page = self.page(request, staff)
        report = await self.report(page.today)
        chosen = views.GroupChoice.of(dict(request.query_params))
        rows, total = views.group_rows(report, chosen)
        return self.render(
            request,
            "groups.html",
            page,
            report=report,
            rows=rows,
            total=total,
            chosen=chosen,
            link=lambda **change: "?" + urlencode(chosen.changed(**change)),
        )

    async def group(self, request: Request, staff: StaffMember) -> Response:
        page = self.page(request, staff)
        group_id = request.path_params["group"]
        report = await self.report(page.today)
        found = [g for g in report.groups if g.group_id == group_id]
        if not found:
            return self._problem(request, staff, 404, N_("There is no such group on this hub."))

        def read() -> views.GroupDetail:
            book = self.hub.here().session.book
            key = ("group", group_id, page.today, book.reader.book_mark())
            kept = self.details.get(key, lambda: views.group_detail(book, group_id, page.today))
            # Refused pushes add no entry (the mark stays): read each time, one indexed read.
            return views.with_quarantine(kept, book, group_id)

        detail = await self.hub.in_thread(read)
        response = self.render(
            request,
            "group.html",
            page,
            group=found[0],
            detail=detail,
            code=request.session.pop("code", None),
            lines_of=lambda g: views.figure_lines(g.items),
        )
        # Logged once the page is sent: the reader does not wait on the book's write lock.
        response.background = BackgroundTask(
            self._log, staff.email, "view_group", group_id, request
        )
        return response

    async def member_action(self, request: Request, staff: StaffMember) -> Response:
        group_id, member_id = request.path_params["group"], request.path_params["member"]
        action = request.path_params["action"]
        if action not in ("code", "reset"):
            return self._problem(request, staff, 404, N_("There is no such page."))
        now = self.hub.clock()

        def act() -> str:
            access = self.hub.here().access
            if action == "reset":
                return access.reset(group_id, member_id, now)
            return access.issue_code(group_id, member_id, now)

        try:
            code = await self.hub.in_thread(act)
        except BookError as error:
            page = self.page(request, staff)
            return self.render(
                request,
                "problem.html",
                page,
                400,
                message=error.problem.message,
                params=error.problem.params,
            )
        await self._log(
            staff.email,
            "pin_reset" if action == "reset" else "activation_code",
            f"{group_id}/{member_id}",
            request,
        )
        request.session["code"] = {"member": member_id, "code": code, "reset": action == "reset"}
        return RedirectResponse(f"/staff/groups/{quote(group_id)}#members", 303)

    async def chart(self, request: Request, staff: StaffMember) -> Response:
        code, name = request.path_params["code"], request.path_params["name"]
        page = self.page(request, staff)
        if name not in views.WEB_CHARTS:
            return self._problem(request, staff, 404, N_("There is no such page."))

        def draw() -> str:
            reader = self.hub.here().session.reader
            mark = reader.book_mark()
            days = views.chart_days(page.today) if name in views.OVER_TIME else (page.today,)
            reports = tuple(
                self.reports.get(("report", day, mark), partial(reader.savix, day)) for day in days
            )
            if code not in reports[-1].totals:
                return ""
            key = ("chart", page.today, mark, code, name, page.language)
            return self.charts.get(key, lambda: views.chart(reports, code, name, page.language))

        svg = await self.hub.in_thread(draw)
        if not svg:
            return self._problem(request, staff, 404, N_("There is no such page."))
        return Response(
            svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=300"}
        )

    async def downloads(self, request: Request, staff: StaffMember) -> Response:
        page = self.page(request, staff)
        return self.render(request, "downloads.html", page, files=views.DOWNLOADS)

    async def download(self, request: Request, staff: StaffMember) -> Response:
        name = request.path_params["name"]
        page = self.page(request, staff)
        if name not in views.DOWNLOADS:
            return self._problem(request, staff, 404, N_("There is no such page."))
        report = await self.report(page.today)

        def make() -> bytes:
            reader = self.hub.here().session.reader
            key = ("download", page.today, reader.book_mark(), name, page.language)
            return self.files.get(
                key, lambda: views.download(report, reader.cycle_outcomes(), name, page.language)
            )

        data = await self.hub.in_thread(make)
        await self._log(staff.email, "download", name, request)
        filename = f"savix-{page.today.isoformat()}.{name.rsplit('.', 1)[-1]}"
        return Response(
            data,
            media_type=views.DOWNLOADS[name],
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    async def audit(self, request: Request, staff: StaffMember) -> Response:
        page = self.page(request, staff)

        def read() -> list[Any]:
            return list(StaffAccounts(self.hub.here().session.book).actions(200))

        return self.render(request, "log.html", page, actions=await self.hub.in_thread(read))


def _next(target: str | None) -> str:
    """Where to go after logging in: a page of the staff pages, never another site."""
    if target and target.startswith("/staff/") and not target.startswith("//"):
        return target
    return "/staff/"

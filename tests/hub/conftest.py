"""A hub on 127.0.0.1, started by the tests, over a small book whose members have phones.

Group "umoja", CDF (francs with centimes, the longest amounts), three members with phones:
M01 and M02 share one; M03 has her own. Meeting 1 (2026-01-05): M01 buys 5 shares, M02 3,
M03 4, each pays CDF 500 to the social fund; meeting 2 (2026-01-12): M03 borrows
CDF 10,000.50 for 2 months. A share is CDF 1,000.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import uvicorn

from ussd.app import create_hub
from ussd.settings import HubSettings
from vsla.book.access import MemberAccess
from vsla.book.service import Book
from vsla.domain.constitution import Constitution
from vsla.domain.entries import MeetingPlan, NewLoan, Shares, SocialFund
from vsla.domain.people import Member

TOKEN = "t0k3n-that-nobody-guesses-1234"
KEY = b"a-secret-key-of-the-hub-0123456789"
CODE = "*384*123#"
SHARED_PHONE = "+243970000001"
OWN_PHONE = "+243970000003"
NOW = datetime(2026, 1, 14, 9, 0, tzinfo=UTC)
LONG_NAME = "Marie-Claire Mwamba wa Kalala Tshibangu"


def hub_book(path: Path) -> None:
    book = Book.open(path)
    book.create_group(
        group_id="umoja",
        name="Umoja wa Mama Kolwezi na Bukavu",
        constitution=Constitution.from_json(
            {
                "currency": "CDF",
                "share_value_minor": 100_000,
                "shares_min": 1,
                "shares_max": 5,
                "social_fund_minor": 50_000,
                "loan_multiple": 3,
                "loan_term_max_months": 3,
                "service_charge": "declining",
                "service_charge_rate_bp": 1000,
                "fines_minor": {"late": 50_000},
            }
        ),
        members=[
            Member("M01", "Aida Nsimba", "F", SHARED_PHONE, shared_phone=True),
            Member("M02", "Bahati Kalume", "F", SHARED_PHONE, shared_phone=True),
            Member("M03", LONG_NAME, "F", OWN_PHONE, language="ln"),
        ],
        cycle_start=date(2026, 1, 5),
        language="fr",
    )
    book.record_meeting(
        "umoja",
        MeetingPlan(
            date=date(2026, 1, 5),
            entries=(
                Shares("M01", 5),
                Shares("M02", 3),
                Shares("M03", 4),
                SocialFund("M01", 50_000),
                SocialFund("M02", 50_000),
                SocialFund("M03", 50_000),
            ),
        ),
    )
    book.record_meeting(
        "umoja", MeetingPlan(date=date(2026, 1, 12), entries=(NewLoan("M03", 1_000_050, 2),))
    )
    book.close()


def settings(**overrides: object) -> HubSettings:
    values: dict[str, object] = {
        "path_token": TOKEN,
        "pin_key": KEY.decode(),
        "service_codes": [CODE],
        "hops_per_minute": 1000,
    }
    values.update(overrides)
    return HubSettings(**values)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningHub:
    url: str
    db: Path
    sessions: int = 0
    codes: dict[str, str] = field(default_factory=dict)

    def post(
        self, path: str, body: bytes, content_type: str = "application/x-www-form-urlencoded"
    ) -> tuple[int, str, str]:
        request = urllib.request.Request(
            self.url + path, data=body, headers={"Content-Type": content_type}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.headers["content-type"], answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("content-type", ""), error.read().decode()

    def dial(
        self, session: str, text: str, phone: str = OWN_PHONE, code: str = CODE
    ) -> tuple[int, str]:
        form = urllib.parse.urlencode(
            {
                "sessionId": session,
                "serviceCode": code,
                "phoneNumber": phone,
                "networkCode": "63902",
                "text": text,
            }
        ).encode()
        status, _type, body = self.post(f"/ussd/{TOKEN}/africastalking", form)
        return status, body

    def new_session(self) -> str:
        self.sessions += 1
        return f"ATUid_{self.sessions:032x}"

    def code_for(self, member: str) -> str:
        book = Book.open(self.db)
        try:
            return MemberAccess(book, KEY).issue_code("umoja", member, NOW)
        finally:
            book.close()


def start(app: object, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the hub did not start")
        time.sleep(0.02)
    return server, thread


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[RunningHub]:
    db = tmp_path / "hub.sqlite"
    hub_book(db)
    port = free_port()
    server, thread = start(create_hub(settings(), db, clock=lambda: NOW), port)
    yield RunningHub(f"http://127.0.0.1:{port}", db)
    server.should_exit = True
    thread.join(timeout=10)

"""Whatever reaches the hub's callbacks, the answer is clean: a screen (200, CON/END, at
most 160 GSM characters) or a 4xx, never a 5xx and never a hang."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ussd.app import create_hub
from vsla.sms.gsm import is_gsm7

from .conftest import (
    CODE,
    NOW,
    OWN_PHONE,
    SHARED_PHONE,
    TOKEN,
    RunningHub,
    free_port,
    hub_book,
    start,
)
from .conftest import settings as hub_settings


@pytest.fixture(scope="module")
def shared_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningHub]:
    db = tmp_path_factory.mktemp("fuzz") / "hub.sqlite"
    hub_book(db)
    port = free_port()
    server, thread = start(create_hub(hub_settings(), db, clock=lambda: NOW), port)
    yield RunningHub(f"http://127.0.0.1:{port}", Path(db))
    server.should_exit = True
    thread.join(timeout=10)


def clean(status: int, content_type: str, body: str) -> None:
    assert status in (200, 400, 403, 404, 413), (status, body)
    if status == 200:
        assert content_type.startswith("text/plain")
        assert body[:4] in ("CON ", "END "), body
        assert len(body) - 4 <= 160 and is_gsm7(body[4:]), body


FIXTURE = HealthCheck.function_scoped_fixture  # the hub is the module's, shared on purpose
fields = st.dictionaries(
    st.sampled_from(["sessionId", "serviceCode", "phoneNumber", "networkCode", "text", "x"]),
    st.one_of(
        st.text(max_size=40),
        st.sampled_from([CODE, OWN_PHONE, SHARED_PHONE, "", "1*4821*1", "*", "1**2", "00"]),
    ),
)


@given(form=fields)
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_form_gets_a_clean_answer(shared_hub: RunningHub, form: dict[str, str]) -> None:
    clean(*shared_hub.post(f"/ussd/{TOKEN}/africastalking", urllib.parse.urlencode(form).encode()))


@given(body=st.binary(max_size=600))
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_bytes_get_a_clean_answer(shared_hub: RunningHub, body: bytes) -> None:
    clean(*shared_hub.post(f"/ussd/{TOKEN}/africastalking", body))
    clean(*shared_hub.post(f"/ussd/{TOKEN}/hubtel", body, "application/json"))
    status, _type, _body = shared_hub.post(f"/ussd/{TOKEN}/africastalking/events", body)
    assert status in (200, 400, 403, 404, 413)

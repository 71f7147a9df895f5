"""The Africa's Talking sender, through the real SDK over real HTTP to a fake API on
127.0.0.1: what it sends, and how it reads each kind of answer (Africa's Talking answers
201 even when the recipient failed, with the reason inside)."""

from __future__ import annotations

import json
import time

import pytest

from tests.sms.conftest import TIMEOUT_S
from tests.sms.fake_at import FakeAfricasTalking, Reply
from vsla.sms.africastalking import AfricasTalkingSender, api_url
from vsla.sms.sending import Delivery, SendResult

PHONE = "+256700000001"


def test_a_message_the_provider_takes(
    sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    result = sender.send(PHONE, "Umoja 2026-01-05: shares 5 (UGX 5,000).")
    assert result == SendResult(Delivery.ACCEPTED, "Success", "ATXid_0001", "UGX 0.8000")
    (request,) = fake_at.requests
    assert request.path == "/version1/messaging"
    assert (request.api_key, request.accept) == ("key-123", "application/json")
    assert request.form == {
        "username": "vsla-hub",
        "to": PHONE,
        "message": "Umoja 2026-01-05: shares 5 (UGX 5,000).",
        "from": "VSLA",
        "bulkSMSMode": "1",
    }


@pytest.mark.parametrize(
    ("code", "status", "delivery"),
    [
        (403, "InvalidPhoneNumber", Delivery.REFUSED),
        (406, "UserInBlacklist", Delivery.REFUSED),
        (402, "InvalidSenderId", Delivery.REFUSED),
        (404, "UnsupportedNumberType", Delivery.REFUSED),
        (407, "CouldNotRoute", Delivery.REFUSED),
        (405, "InsufficientBalance", Delivery.RETRY),  # top the account up, then it passes
        (401, "RiskHold", Delivery.RETRY),
        (500, "InternalServerError", Delivery.RETRY),
        (502, "RejectedByGateway", Delivery.RETRY),
    ],
)
def test_a_failure_inside_a_201_is_read_per_recipient(
    sender: AfricasTalkingSender,
    fake_at: FakeAfricasTalking,
    code: int,
    status: str,
    delivery: Delivery,
) -> None:
    fake_at.answer(Reply(recipient=(code, status)))
    result = sender.send(PHONE, "x")
    assert (result.delivery, result.status, result.message_id, result.cost) == (
        delivery,
        status,
        None,
        None,
    )
    assert result.error == f"{status}: statusCode {code}"
    assert not result.unanswered  # the provider answered; this recipient failed


def test_no_answer_in_time_is_worth_retrying_and_says_it_may_have_been_sent(
    sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    fake_at.answer(Reply(delay=TIMEOUT_S * 3))
    started = time.monotonic()
    result = sender.send(PHONE, "x")
    assert time.monotonic() - started < TIMEOUT_S * 2  # it did not wait for the answer
    assert (result.delivery, result.status, result.unanswered) == (
        Delivery.RETRY,
        "timeout",
        True,
    )
    assert "it may have been sent" in result.error


def test_an_answer_outside_2xx_is_retried(
    sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    """The SDK raises with the body's text only, so a 500 and a 401 look alike."""
    fake_at.answer(Reply(http=500, text="Internal Server Error", content_type="text/plain"))
    result = sender.send(PHONE, "x")
    assert result == SendResult(
        Delivery.RETRY, "http error", detail="Internal Server Error", unanswered=True
    )


def test_nobody_listening_is_retried(fake_at: FakeAfricasTalking) -> None:
    url = fake_at.url
    fake_at.stop()
    result = AfricasTalkingSender("u", "k", api_host=url, timeout=TIMEOUT_S).send(PHONE, "x")
    assert (result.delivery, result.status, result.unanswered) == (
        Delivery.RETRY,
        "network",
        True,
    )


def test_json_with_a_charset_is_still_read(
    sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    """The SDK returns the body as text unless the type is exactly application/json."""
    fake_at.answer(Reply(content_type="application/json; charset=utf-8"))
    assert sender.send(PHONE, "x").delivery is Delivery.ACCEPTED


def test_an_answer_without_recipients_names_a_permanent_reason(
    sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    body = {"SMSMessageData": {"Message": "InvalidSenderId", "Recipients": []}}
    fake_at.answer(Reply(text=json.dumps(body)), Reply(text="<html>proxy error</html>"))
    assert sender.send(PHONE, "x") == SendResult(Delivery.REFUSED, "InvalidSenderId")
    unreadable = sender.send(PHONE, "x")
    assert (unreadable.delivery, unreadable.status) == (Delivery.RETRY, "unreadable answer")


def test_a_number_that_is_not_e164_is_refused_before_any_request(
    sender: AfricasTalkingSender, fake_at: FakeAfricasTalking
) -> None:
    result = sender.send("0700000001", "x")
    assert (result.delivery, result.status) == (Delivery.REFUSED, "InvalidPhoneNumber")
    assert fake_at.requests == []


def test_the_api_host_keeps_the_sdks_path() -> None:
    assert api_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/version1"
    assert api_url("api.sandbox.africastalking.com") == (
        "https://api.sandbox.africastalking.com/version1"
    )
    production = AfricasTalkingSender("vsla-hub", "k")
    assert production.base_url == "https://api.africastalking.com/version1"

"""The SMS sender through Africa's Talking: the only module of the project that imports the
`africastalking` SDK (PyPI `africastalking` 2.0.x), behind `vsla.sms.sending.Sender`.

- The SDK's `SMSService` is made directly, not with `africastalking.initialize()`, which sets
  module globals for every service and warns.
- One recipient per request, so that each message gets its own answer: Africa's Talking
  answers 201 for a request whose recipients all failed, with a status per recipient inside
  the body (`SMSMessageData.Recipients[]`), and that status decides (`classify`).
- The SDK keeps its base URL in the private attribute `_baseUrl` and offers no parameter for
  it; `api_host` sets it (with the SDK's own `/version1` path after it), so that tests send
  through the real SDK to a fake server on 127.0.0.1, and a staging host can be used. If a
  later SDK renames the attribute, `AfricasTalkingSender` refuses to start rather than send
  to the production host by mistake.
- The SDK raises `AfricasTalkingException` with the body's text for any answer outside 2xx,
  without the HTTP status: a 500 and a 401 (wrong key) look alike. Both are retried up to the
  outbox's cap; the flush stops early when several requests in a row get no answer.
- It gives a dict only when the answer's Content-Type is exactly `application/json`, its
  text otherwise: text that parses as JSON is read the same way.
- There is no idempotency key in the API: when the request left but the answer did not come
  back in time (a read timeout), Africa's Talking may have sent the message, and a retry can
  send it twice. The result says so (`timeout`), and the outbox keeps it in `last_error`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from vsla.sms.sending import SendResult

DEFAULT_TIMEOUT_S = 5.0
E164 = re.compile(r"^\+\d{1,3}\d{3,}$")  # what the SDK checks before any HTTP

# Africa's Talking's per-recipient status codes (SMSMessageData.Recipients[].statusCode).
ACCEPTED = {100: "Processed", 101: "Sent", 102: "Queued"}
# The same message to the same number would fail the same way.
PERMANENT = {
    402: "InvalidSenderId",
    403: "InvalidPhoneNumber",
    404: "UnsupportedNumberType",
    406: "UserInBlacklist",
    407: "CouldNotRoute",
    409: "DoNotDisturbRejection",
}
# The account or the gateway, not the message: a later try may pass (a risk hold lifted, the
# balance topped up, the gateway back).
TRANSIENT = {
    401: "RiskHold",
    405: "InsufficientBalance",
    500: "InternalServerError",
    501: "GatewayError",
    502: "RejectedByGateway",
}
_PERMANENT_NAMES = frozenset(PERMANENT.values())
_DETAIL_LIMIT = 200


class AfricasTalkingSender:
    """Sends each message through Africa's Talking's bulk SMS API, one recipient at a time.

    `api_host`: where the API is ("https://api.africastalking.com" unless given; the SDK
    picks the sandbox host itself for the username `sandbox`); `timeout`: seconds to connect
    and, separately, to wait for the answer.
    """

    def __init__(
        self,
        username: str,
        api_key: str,
        *,
        sender_id: str | None = None,
        api_host: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        from africastalking.SMS import SMSService  # type: ignore[import-untyped]

        self.sender_id = sender_id or None
        self.timeout = timeout
        self._service: Any = SMSService(username, api_key)
        if api_host:
            if not isinstance(getattr(self._service, "_baseUrl", None), str):
                raise RuntimeError("this africastalking SDK keeps its base URL elsewhere")
            self._service._baseUrl = api_url(api_host)

    @property
    def base_url(self) -> str:
        """Where messages go: the API host and the SDK's path."""
        return str(self._service._baseUrl)

    def send(self, recipient: str, message: str) -> SendResult:
        if not E164.match(recipient):
            return SendResult.refused("InvalidPhoneNumber", "not an E.164 number")
        answer = self._post(recipient, message)
        if isinstance(answer, SendResult):
            return answer
        return classify(answer, recipient)

    def _post(self, recipient: str, message: str) -> Any:
        import requests
        from africastalking.Service import AfricasTalkingException  # type: ignore[import-untyped]

        try:
            return self._service.send(
                message, [recipient], sender_id=self.sender_id, timeout=self.timeout
            )
        except requests.ConnectTimeout as error:  # nothing reached the provider
            return SendResult.retry("connect timeout", _short(error), unanswered=True)
        except requests.Timeout:  # it may have been sent: see the module's notes
            return SendResult.retry(
                "timeout", "no answer in time; it may have been sent", unanswered=True
            )
        except requests.JSONDecodeError as error:  # said JSON, was not
            return SendResult.retry("unreadable answer", _short(error), unanswered=True)
        except requests.RequestException as error:
            return SendResult.retry("network", _short(error), unanswered=True)
        except AfricasTalkingException as error:  # an answer outside 2xx
            return SendResult.retry("http error", _short(error), unanswered=True)
        except ValueError as error:  # the number was checked above: something unforeseen
            return SendResult.retry("refused by the SDK", _short(error))


def api_url(host: str) -> str:
    """The SDK's base URL on `host` ("http://127.0.0.1:8080" or "api.example.org")."""
    host = host.strip().rstrip("/")
    if "://" not in host:
        host = "https://" + host
    return host + "/version1"


def classify(answer: object, recipient: str) -> SendResult:
    """What Africa's Talking's answer (a 2xx) says about the message to `recipient`."""
    if isinstance(answer, str | bytes):
        try:
            answer = json.loads(answer)
        except ValueError:
            return SendResult.retry("unreadable answer", _short(answer), unanswered=True)
    data = answer.get("SMSMessageData") if isinstance(answer, dict) else None
    if not isinstance(data, dict):
        return SendResult.retry("unreadable answer", _short(answer), unanswered=True)
    recipients = [r for r in data.get("Recipients") or [] if isinstance(r, dict)]
    mine = [r for r in recipients if r.get("number") == recipient] or recipients[:1]
    if not mine:
        # No recipient at all: the summary names why ("InvalidSenderId", "Sent to 0/1 …").
        summary = str(data.get("Message", ""))
        if summary in _PERMANENT_NAMES:
            return SendResult.refused(summary)
        return SendResult.retry("no recipient in the answer", _short(summary))
    return _recipient_result(mine[0])


def _recipient_result(found: dict[str, Any]) -> SendResult:
    status = str(found.get("status", ""))
    code = _int(found.get("statusCode"))
    if code in ACCEPTED or status == "Success":
        message_id = found.get("messageId")
        cost = found.get("cost")
        return SendResult.accepted(
            status or ACCEPTED.get(code, ""),
            None if message_id in (None, "", "None") else str(message_id),
            None if cost is None else str(cost),
        )
    name = status or PERMANENT.get(code, "") or TRANSIENT.get(code, "") or f"status {code}"
    if code in PERMANENT or status in _PERMANENT_NAMES:
        return SendResult.refused(name, f"statusCode {code}")
    return SendResult.retry(name, f"statusCode {code}")


def _int(value: object) -> int:
    """A status code as a number; 0 when there is none."""
    try:
        return int(str(value))
    except ValueError:
        return 0


def _short(value: object) -> str:
    text = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())[:_DETAIL_LIMIT]

"""A second aggregator's format (Hubtel-style: JSON, only the latest input, a session-start
type and a sequence number per hop) over the same menu: the same screens as Africa's
Talking's, input for input."""

from __future__ import annotations

import json

from .conftest import CODE, OWN_PHONE, TOKEN, RunningHub
from .test_ussd_http import PIN, first_session, screen


def hop(hub: RunningHub, session: str, kind: str, message: str, sequence: int) -> dict[str, str]:
    body = {
        "Type": kind,
        "Mobile": OWN_PHONE.lstrip("+"),
        "SessionId": session,
        "ServiceCode": CODE.strip("*#"),
        "Message": message,
        "Operator": "vodafone",
        "Sequence": sequence,
    }
    status, content_type, text = hub.post(
        f"/ussd/{TOKEN}/hubtel", json.dumps(body).encode(), "application/json"
    )
    assert status == 200 and content_type.startswith("application/json"), text
    answer: dict[str, str] = json.loads(text)
    assert answer["SessionId"] == session and len(answer["Message"]) <= 160
    return answer


def test_the_menus_are_the_same_whatever_the_aggregator(hub: RunningHub) -> None:
    first_session(hub)  # M03 has her PIN, through Africa's Talking
    at = hub.new_session()
    at_screens = [screen(*hub.dial(at, text))[1] for text in ("", PIN, f"{PIN}*1")]
    hubtel = [
        hop(hub, "hub-1", "Initiation", CODE, 1),
        hop(hub, "hub-1", "Response", PIN, 2),
        hop(hub, "hub-1", "Response", "1", 3),
    ]
    assert [a["Message"] for a in hubtel] == at_screens
    assert [a["Type"] for a in hubtel] == ["response"] * 3
    assert hubtel[1]["FieldType"] == "text" and hubtel[0]["FieldType"] == "number"


def test_a_repeated_hop_is_the_same_hop_and_a_pin_typed_when_dialling_is_refused(
    hub: RunningHub,
) -> None:
    first_session(hub)
    ahead = hop(hub, "hub-2", "Initiation", f"*384*123*{PIN}#", 1)
    assert "not when dialling" in ahead["Message"]
    menu = hop(hub, "hub-2", "Response", PIN, 2)
    assert hop(hub, "hub-2", "Response", PIN, 2) == menu  # sent twice by the gateway
    savings = hop(hub, "hub-2", "Response", "1", 3)
    assert "Shares: 4" in savings["Message"]
    release = hop(hub, "hub-2", "Release", "", 4)
    assert release["Type"] == "release"

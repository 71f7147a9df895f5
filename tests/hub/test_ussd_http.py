"""Members' USSD sessions over real HTTP, to a hub on 127.0.0.1, as Africa's Talking sends
them: every input of the session so far in `text`, joined by "*"."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from typer.testing import CliRunner

from vsla.cli import app as cli
from vsla.sms.gsm import is_gsm7

from .conftest import CODE, OWN_PHONE, SHARED_PHONE, TOKEN, RunningHub

PIN = "4821"
LANGUAGES = {"1": "en", "2": "fr", "3": "sw", "4": "ln"}


def screen(status: int, body: str) -> tuple[bool, str]:
    """(ends, text) of a callback's answer, which must be a screen: 200, CON or END, at most
    160 GSM characters."""
    assert status == 200, body
    assert body[:4] in ("CON ", "END "), body
    text = body[4:]
    assert len(text) <= 160, (len(text), text)
    assert is_gsm7(text), text
    return body.startswith("END "), text


def first_session(hub: RunningHub, language: str = "1") -> tuple[str, str]:
    """M03's first session up to the main menu; (session, the text so far)."""
    session = hub.new_session()
    code = hub.code_for("M03")
    steps = ["", language, f"{language}*{code}", f"{language}*{code}*{PIN}"]
    steps.append(f"{steps[-1]}*{PIN}")
    for text in steps:
        assert not screen(*hub.dial(session, text))[0]
    return session, steps[-1]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_a_first_session_then_a_later_one_in_each_language(hub: RunningHub, language: str) -> None:
    session, text = first_session(hub, language)
    ends, menu = screen(*hub.dial(session, text))
    assert not ends and menu.splitlines()[0].startswith("1 ") and "7 " in menu
    # Later: the PIN, in her remembered language, then the main menu and her savings.
    later = hub.new_session()
    ends, _asked = screen(*hub.dial(later, ""))
    assert not ends
    ends, menu_again = screen(*hub.dial(later, PIN))
    assert menu_again == menu
    ends, savings = screen(*hub.dial(later, f"{PIN}*1"))
    statement = json.loads(
        CliRunner().invoke(cli, ["statement", "umoja", "M03", "--json", "--db", str(hub.db)]).stdout
    )
    assert statement["shares"] == 4 and statement["savings_minor"] == 400_000
    assert "4" in savings and ("4,000" in savings or "4.000" in savings or "4 000" in savings)
    assert "Meeting 2" in savings or "2, 2026-01-12" in savings


def test_the_savings_screen_shows_what_vsla_statement_says(hub: RunningHub) -> None:
    session, text = first_session(hub)
    _ends, savings = screen(*hub.dial(session, f"{text}*1"))
    # 4 shares of CDF 1,000 = CDF 4,000 saved, as of meeting 2 of 2026-01-12; at a share-out
    # today: the fund (12,000 francs of shares, 1,500 of social fund kept apart) ÷ 12 shares
    # = 1,000 a share, so 4,000 again (no income yet).
    assert savings.splitlines() == [
        "Meeting 2, 2026-01-12:",
        "Shares: 4",
        "Saved this cycle: CDF 4,000",
        "At a share-out today: CDF 4,000",
        "0 Back 00 Menu",
    ]
    _ends, loan = screen(*hub.dial(session, f"{text}*2"))
    # CDF 10,000.50 lent on 2026-01-12 for 2 months of 28 days: due 2026-03-09.
    assert loan.splitlines()[1:4] == ["Loan owed: CDF 10,000.50", "Due: 2026-03-09", "Not late"]
    _ends, back = screen(*hub.dial(session, f"{text}*2*0"))
    assert back.startswith("1 ")


def test_dialled_ahead_inputs_are_never_taken_as_a_pin(hub: RunningHub) -> None:
    first_session(hub)
    session = hub.new_session()
    # *384*123*4821# : the PIN typed with the code, which stays in the phone's call log
    ends, text = screen(*hub.dial(session, PIN))
    assert not ends and text.splitlines()[-1] == "Type your PIN"
    assert "not when dialling" in text
    ends, menu = screen(*hub.dial(session, f"{PIN}*{PIN}"))
    assert menu.startswith("1 ")


def test_stars_and_empty_inputs_are_refused_with_the_screen_again(hub: RunningHub) -> None:
    session, text = first_session(hub)
    for odd in (f"{text}*", f"{text}**", f"{text}*9", f"{text}*abc", f"{text}*1**2"):
        ends, _shown = screen(*hub.dial(session, odd))
        assert not ends


def test_wrong_pins_lock_across_sessions(hub: RunningHub) -> None:
    first_session(hub)
    one = hub.new_session()
    screen(*hub.dial(one, ""))
    ends, text = screen(*hub.dial(one, "1111"))
    assert "Tries left: 2" in text and not ends
    ends, text = screen(*hub.dial(one, "1111*2222"))
    assert "Tries left: 1" in text
    two = hub.new_session()  # a new call does not start the count again
    screen(*hub.dial(two, ""))
    ends, text = screen(*hub.dial(two, "3333"))
    assert ends and "Too many wrong PINs" in text
    three = hub.new_session()
    ends, text = screen(*hub.dial(three, ""))
    assert ends and "Too many wrong PINs" in text  # even the right PIN cannot be tried now


def test_a_repeated_request_gets_the_same_screen_and_counts_once(hub: RunningHub) -> None:
    first_session(hub)
    session = hub.new_session()
    screen(*hub.dial(session, ""))
    once = screen(*hub.dial(session, "1111"))
    assert screen(*hub.dial(session, "1111")) == once  # the gateway sent the hop twice
    again = hub.new_session()
    screen(*hub.dial(again, ""))
    _ends, text = screen(*hub.dial(again, "1111"))
    assert "Tries left: 1" in text  # 2 wrong PINs in all, not 3


def test_an_unknown_number_is_told_to_ask_the_facilitator(hub: RunningHub) -> None:
    for phone in ("+243990000000", "not a phone"):
        ends, text = screen(*hub.dial(hub.new_session(), "", phone=phone))
        assert ends and "facilitator" in text


def test_two_members_on_one_phone_are_both_served(hub: RunningHub) -> None:
    session = hub.new_session()
    _ends, text = screen(*hub.dial(session, "", phone=SHARED_PHONE))
    assert text.splitlines()[1:] == ["1 M01 Aida Nsimba", "2 M02 Bahati Kalume"]
    code = hub.code_for("M02")
    for step in ("2", "2*1", f"2*1*{code}", f"2*1*{code}*1357"):
        assert not screen(*hub.dial(session, step, phone=SHARED_PHONE))[0]
    _ends, menu = screen(*hub.dial(session, f"2*1*{code}*1357*1357*1", phone=SHARED_PHONE))
    assert "Shares: 3" in menu  # M02's, not M01's
    later = hub.new_session()
    _ends, asked = screen(*hub.dial(later, "1", phone=SHARED_PHONE))
    # M01 has no PIN yet and never chose a language, so she is asked in the group's (French);
    # M02's choice of English on the same phone is hers alone.
    assert asked.splitlines()[0] == "Choisissez une langue"


def test_what_is_not_the_aggregators_is_refused_before_the_book_is_read(hub: RunningHub) -> None:
    form = urllib.parse.urlencode(
        {"sessionId": "s", "serviceCode": CODE, "phoneNumber": OWN_PHONE, "text": ""}
    ).encode()
    assert hub.post("/ussd/wrong-token-0000000000/africastalking", form)[0] == 404
    assert hub.dial("s", "", code="*999#")[0] == 403
    missing = urllib.parse.urlencode({"sessionId": "s", "serviceCode": CODE}).encode()
    assert hub.post(f"/ussd/{TOKEN}/africastalking", missing)[0] == 400
    big = urllib.parse.urlencode(
        {"sessionId": "s", "serviceCode": CODE, "phoneNumber": OWN_PHONE, "text": "1*" * 5000}
    ).encode()
    assert hub.post(f"/ussd/{TOKEN}/africastalking", big)[0] == 413
    assert hub.post(f"/ussd/{TOKEN}/africastalking", b"text=\xff\xfe&sessionId=s")[0] == 400
    status, content_type, body = hub.post(f"/ussd/{TOKEN}/africastalking", form)
    assert status == 200 and content_type.startswith("text/plain") and body.startswith("CON ")


def test_the_end_of_session_report_is_kept_without_its_inputs(hub: RunningHub) -> None:
    report = urllib.parse.urlencode(
        {
            "sessionId": "ATUid_1",
            "serviceCode": CODE,
            "phoneNumber": OWN_PHONE,
            "status": "Incomplete",
            "input": f"1*{PIN}",
            "hopsCount": "3",
            "durationInMillis": "21000",
            "cost": "KES 0.5",
        }
    ).encode()
    status, _type, body = hub.post(f"/ussd/{TOKEN}/africastalking/events", report)
    assert (status, body) == (200, "OK")
    import sqlite3

    rows = sqlite3.connect(hub.db).execute("SELECT * FROM ussd_events").fetchall()
    assert len(rows) == 1 and PIN not in repr(rows)
    assert rows[0][2] == "Incomplete"


def test_the_hub_reads_the_meetings_another_program_records(hub: RunningHub) -> None:
    """The book is written meanwhile by the app on the same machine: the next session shows
    the new meeting, whole."""
    from datetime import date

    from vsla.book.service import Book
    from vsla.domain.entries import MeetingPlan, Shares

    session, text = first_session(hub)
    assert "Shares: 4" in screen(*hub.dial(session, f"{text}*1"))[1]
    book = Book.open(hub.db)
    book.record_meeting("umoja", MeetingPlan(date=date(2026, 1, 19), entries=(Shares("M03", 2),)))
    book.close()
    later = hub.new_session()
    screen(*hub.dial(later, ""))
    _ends, savings = screen(*hub.dial(later, f"{PIN}*1"))
    assert savings.splitlines()[:2] == ["Meeting 3, 2026-01-19:", "Shares: 6"]

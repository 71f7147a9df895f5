"""The meeting sheet on its own: what is filled in for a present member, how typed text becomes
the engine's plan, and the draft that survives a crash."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.tui.helpers import make_group
from tui.sheet import CellProblem, Defaults, Sheet, missing_counts
from vsla.book.service import Book
from vsla.domain.entries import Fine, NewLoan, Repayment, Shares, SocialFund

DAY = date(2026, 1, 7)
DEFAULTS = Defaults(
    "500", shares_min=1, term_max_months=3, usual_shares={"M02": 4}, fines=("absent", "late")
)


def sheet_of(tmp_path: Path, members: int = 3) -> tuple[Book, Sheet]:
    book = Book.open(tmp_path / "book.sqlite")
    make_group(book, "g", members=members, start=DAY)
    return book, Sheet.new(book.state("g"), DAY, DEFAULTS)


def test_a_present_member_is_filled_in_as_she_usually_pays(tmp_path: Path) -> None:
    book, sheet = sheet_of(tmp_path)
    assert [r.cells for r in sheet.rows] == [
        {"social_fund": "500", "shares": "1"},
        {"social_fund": "500", "shares": "4"},
        {"social_fund": "500", "shares": "1"},
    ]
    sheet.set_attendance(1, "absent")
    assert sheet.rows[1].cells == {"fine": "absent"} and sheet.rows[1].fine_owed
    sheet.set_attendance(1, "present")
    assert sheet.rows[1].cells == {"social_fund": "500", "shares": "4"}
    sheet.set_attendance(2, "excused")
    assert sheet.rows[2].cells == {}
    book.close()


def test_typed_text_becomes_the_plan_and_refused_text_stays_where_it_was_typed(
    tmp_path: Path,
) -> None:
    book, sheet = sheet_of(tmp_path)
    sheet.set_cell(0, "repay", "1.5")  # UGX has no decimals
    sheet.set_cell(1, "loan", "20000")  # the term is filled in: the longest allowed
    sheet.set_cell(2, "fine", "late")
    sheet.set_cell(2, "shares", "٣")  # an Arabic-Indic three
    built = sheet.build(book.state("g").currency)
    assert [p.place for p in built.problems] == [("M01", "repay"), ("M03", "shares")]
    assert built.plan.entries == (
        SocialFund("M01", 500),
        Shares("M01", 1),
        SocialFund("M02", 500),
        Shares("M02", 4),
        NewLoan("M02", 20000, 3),
        SocialFund("M03", 500),
        Fine("M03", "late", paid=True),
    )
    assert built.places[4] == ("M02", "loan")
    assert sheet.rows[1].cells["term"] == "3"
    sheet.set_cell(0, "repay", "")
    sheet.set_cell(0, "loan", "")
    assert Repayment not in {type(e) for e in sheet.build(book.state("g").currency).plan.entries}
    book.close()


def test_counts_are_asked_for_before_closing(tmp_path: Path) -> None:
    book, sheet = sheet_of(tmp_path)
    assert [p.place for p in missing_counts(sheet, closing=False)] == [(None, "opening_loan_fund")]
    sheet.opening = {"loan_fund": "0", "social_fund": "0"}
    assert list(missing_counts(sheet, closing=False)) == []
    missing = list(missing_counts(sheet, closing=True))
    assert (
        missing == [CellProblem(missing[0].place, missing[0].problem)]
        and missing[0].problem.code == "count.closing_missing"
    )
    book.close()


def test_the_draft_brings_back_everything_typed(tmp_path: Path) -> None:
    book, sheet = sheet_of(tmp_path, members=4)
    sheet.set_attendance(3, "proxy")
    sheet.set_cell(0, "shares", "5")
    sheet.set_cell(1, "repay", "12")  # half typed
    sheet.opening["loan_fund"] = "1000"
    sheet.closing_reason = "counted twice"
    sheet.cursor, sheet.focus = (1, 3), "close-reason"
    sheet.rows[2].grant, sheet.rows[2].grant_reason = "2000", "funeral"
    back, dropped = Sheet.from_json(sheet.to_json(), book.state("g"), DEFAULTS)
    assert dropped == []
    assert back.to_json() == sheet.to_json()
    book.close()


def test_a_draft_is_fitted_to_the_members_of_today(tmp_path: Path) -> None:
    from vsla.domain.entries import Dropout, MeetingPlan
    from vsla.domain.people import Member

    book, sheet = sheet_of(tmp_path)
    sheet.set_cell(2, "shares", "2")
    draft = sheet.to_json()
    book.record_meeting("g", MeetingPlan(date=DAY, entries=(Dropout("M03"),)))
    book.add_member("g", Member("M04", "Dorcas Ilunga", "F"), on=DAY, mid_cycle_agreed=True)
    back, dropped = Sheet.from_json(draft, book.state("g"), DEFAULTS)
    assert dropped == ["M03"]
    assert [r.member_id for r in back.rows] == ["M01", "M02", "M04"]
    assert back.rows[2].cells == {"social_fund": "500", "shares": "1"}
    book.close()

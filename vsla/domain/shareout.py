"""Share-out (action audit): the whole loan fund paid out in proportion to shares.

fund = counted loan-fund cash + what sharing members still owe the loan fund (when the
constitution deducts debts). value per share = fund ÷ total shares, an exact fraction.
gross = shares × value per share, rounded down to the payout rounding. payout = gross − owed.
remainder = fund − Σ gross, carried where the constitution says. Anyone can recompute it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from ledger import N_, Money, Problem, Record
from vsla.domain import accounts as acc
from vsla.domain import handlers
from vsla.domain.constitution import DebtsAtShareout, RemainderTo, SocialFundAtShareout
from vsla.domain.dates import date_out_of_range
from vsla.domain.entries import Bowls, EntryProblem, MeetingPlan
from vsla.domain.planner import IdSource, Planner
from vsla.domain.state import GroupState, MeetingState


@dataclass(frozen=True, slots=True)
class ShareoutLine:
    member_id: str
    shares: int
    savings_minor: int
    gross_minor: int
    owed_loan_fund_minor: int
    owed_social_fund_minor: int
    payout_minor: int
    debts: tuple[tuple[str, int], ...] = ()

    @property
    def owed_minor(self) -> int:
        return self.owed_loan_fund_minor + self.owed_social_fund_minor


@dataclass(slots=True)
class ShareoutPreview:
    group_id: str
    date: date
    ledger_cash_minor: int
    counted_cash_minor: int
    total_shares: int
    fund_minor: int
    payout_rounding_minor: int
    remainder_minor: int
    lines: list[ShareoutLine]
    social_fund_minor: int
    social_fund_each_minor: int
    problems: list[EntryProblem] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    meeting_number: int = 0

    @property
    def value_per_share_minor(self) -> Fraction:
        return Fraction(self.fund_minor, self.total_shares) if self.total_shares else Fraction(0)

    @property
    def paid_out_minor(self) -> int:
        return sum(line.payout_minor for line in self.lines)


def _line(state: GroupState, member_id: str) -> tuple[int, int, int, list[tuple[str, int]]]:
    """(savings, owed to the loan fund, owed to the social fund, debt accounts) of a member."""
    debts: list[tuple[str, int]] = []
    for loan in state.open_loans(member_id):
        debts.append((acc.loan_principal(member_id, loan.number), state.principal_owed_minor(loan)))
        debts.append((acc.loan_charges(member_id, loan.number), state.charges_owed_minor(loan)))
    debts.append(
        (acc.fines_owed(member_id, "loan_fund"), state.fines_owed_minor(member_id, "loan_fund"))
    )
    owed_lf = sum(amount for _a, amount in debts)
    owed_sf = state.fines_owed_minor(member_id, "social_fund")
    debts.append((acc.fines_owed(member_id, "social_fund"), owed_sf))
    return state.savings_minor(member_id), owed_lf, owed_sf, [d for d in debts if d[1]]


def compute(state: GroupState, day: date, counted_cash_minor: int) -> ShareoutPreview:
    """The share-out of `state` as it stands (no entries made)."""
    rules = state.constitution
    problems: list[EntryProblem] = []
    members = [m.member_id for m in state.active_members()]
    rows = {m: _line(state, m) for m in members}
    sharing = [m for m in members if rows[m][0] > 0 or rows[m][1] or rows[m][2]]
    total_shares = sum(rows[m][0] // rules.share_value_minor for m in sharing)
    owed_to_fund = sum(rows[m][1] for m in sharing)
    if rules.debts_at_shareout is DebtsAtShareout.FORBID:
        for member_id in sharing:
            if rows[member_id][1] or rows[member_id][2]:
                problems.append(
                    EntryProblem(
                        Problem(
                            "shareout.debts_forbidden",
                            N_(
                                "{member} still owes {owed}; the constitution requires every debt "
                                "to be "
                                "paid before share-out"
                            ),
                            {
                                "member": member_id,
                                "owed": Money(
                                    rows[member_id][1] + rows[member_id][2], state.currency
                                ),
                            },
                        ),
                        member=member_id,
                        where="shareout",
                    )
                )
    fund = counted_cash_minor + owed_to_fund
    rounding = rules.payout_rounding_minor
    lines: list[ShareoutLine] = []
    for member_id in sharing:
        saved, owed_lf, owed_sf, debts = rows[member_id]
        shares = saved // rules.share_value_minor
        gross = (shares * fund) // (total_shares * rounding) * rounding if total_shares else 0
        payout = gross - owed_lf - owed_sf
        if payout < 0:
            problems.append(
                EntryProblem(
                    Problem(
                        "shareout.debt_over_payout",
                        N_(
                            "{member} owes {owed}, more than her share-out of {gross}: "
                            "collect or write "
                            "off the difference first"
                        ),
                        {
                            "member": member_id,
                            "owed": Money(owed_lf + owed_sf, state.currency),
                            "gross": Money(gross, state.currency),
                        },
                    ),
                    member=member_id,
                    where="shareout",
                )
            )
        lines.append(
            ShareoutLine(
                member_id, shares, saved, gross, owed_lf, owed_sf, max(payout, 0), tuple(debts)
            )
        )
    if total_shares == 0:
        problems.append(
            EntryProblem(
                Problem(
                    "shareout.no_shares",
                    N_("no shares were bought this cycle: nothing to share out"),
                    {},
                ),
                where="shareout",
            )
        )
    if fund < 0:
        problems.append(
            EntryProblem(
                Problem(
                    "shareout.negative_fund",
                    N_("the fund is negative ({fund}): check the cash count"),
                    {"fund": Money(fund, state.currency)},
                ),
                where="shareout",
            )
        )
    social = state.social_fund_cash_minor
    each = 0
    if rules.social_fund_at_shareout is SocialFundAtShareout.PAID_OUT and members:
        each = social // len(members) // rounding * rounding
    return ShareoutPreview(
        group_id=state.group_id,
        date=day,
        ledger_cash_minor=state.loan_fund_cash_minor,
        counted_cash_minor=counted_cash_minor,
        total_shares=total_shares,
        fund_minor=fund,
        payout_rounding_minor=rounding,
        remainder_minor=fund - sum(line.gross_minor for line in lines),
        lines=lines,
        social_fund_minor=social,
        social_fund_each_minor=each,
        problems=problems,
    )


def plan_shareout(
    state: GroupState,
    day: date,
    *,
    counted_cash_minor: int | None = None,
    reason: str = "",
    ids: IdSource | None = None,
) -> ShareoutPreview:
    """The share-out meeting: its entries and the preview they pay out exactly."""
    counted = Bowls(
        state.loan_fund_cash_minor if counted_cash_minor is None else counted_cash_minor,
        state.social_fund_cash_minor,
    )
    plan = MeetingPlan(date=day, opening_counted=counted, opening_reason=reason)
    p = (
        Planner(state, plan, ids=ids, kind="shareout")
        if ids
        else Planner(state, plan, kind="shareout")
    )
    p.check_meeting()
    p.event(
        "meeting_opened",
        {
            "kind": "shareout",
            "cycle": state.cycle_number,
            "attendance": {},
            "opening_counted": counted.to_json(),
        },
    )
    p.counted_difference("opening", plan.opening_counted, plan.opening_reason)
    if date_out_of_range(day) is None:  # else check_meeting said so; charges cannot be dated
        handlers.accrue_service_charges(p)
    preview = compute(p.state, day, p.state.loan_fund_cash_minor)
    preview.problems = p.out.problems + preview.problems
    preview.counted_cash_minor = counted.loan_fund_minor
    preview.ledger_cash_minor = state.loan_fund_cash_minor
    preview.meeting_number = p.meeting_number
    if not preview.problems:
        _post(p, preview)
        preview.records = p.out.records
    return preview


def _post(p: Planner, preview: ShareoutPreview) -> None:
    state, rules = p.state, p.state.constitution
    closing = [
        (a, -b)
        for a, b in sorted(state.balances.items())
        if b and a.startswith(("income:", "expenses:"))
    ]
    if closing:
        closing.append((acc.RETAINED, -sum(amount for _a, amount in closing)))
        p.transaction("shareout_close_income", closing, memo="cycle income closed into the fund")
    value = f"{preview.fund_minor}/{preview.total_shares}"
    for line in preview.lines:
        postings = [
            (acc.savings(line.member_id), line.savings_minor),
            (acc.RETAINED, line.gross_minor - line.savings_minor),
            (acc.SOCIAL_FUND_CASH, line.owed_social_fund_minor),
            (acc.LOAN_FUND_CASH, -(line.payout_minor + line.owed_social_fund_minor)),
        ] + [(account, -amount) for account, amount in line.debts]
        if any(amount for _a, amount in postings):
            p.transaction(
                "shareout_payout",
                postings,
                member=line.member_id,
                payload={
                    "shares": line.shares,
                    "value_per_share": value,
                    "gross_minor": line.gross_minor,
                    "owed_minor": line.owed_minor,
                    "payout_minor": line.payout_minor,
                },
            )
        for loan in state.open_loans(line.member_id):
            loan.status = "repaid"
    if rules.remainder_to is RemainderTo.SOCIAL_FUND and preview.remainder_minor > 0:
        remainder = preview.remainder_minor
        p.transaction(
            "shareout_remainder",
            [
                (acc.RETAINED, remainder),
                (acc.SOCIAL_FUND_FROM_REMAINDER, -remainder),
                (acc.SOCIAL_FUND_CASH, remainder),
                (acc.LOAN_FUND_CASH, -remainder),
            ],
            payload={"remainder_minor": remainder, "to": "social_fund"},
        )
    if preview.social_fund_each_minor:
        for member in state.active_members():
            p.transaction(
                "social_fund_payout",
                [
                    (acc.SOCIAL_FUND_PAID_OUT, preview.social_fund_each_minor),
                    (acc.SOCIAL_FUND_CASH, -preview.social_fund_each_minor),
                ],
                member=member.member_id,
            )
    after = Bowls(state.loan_fund_cash_minor, state.social_fund_cash_minor)
    p.event("meeting_closed", {"expected": after.to_json(), "counted": after.to_json()})
    p.event(
        "cycle_closed",
        {
            "cycle": state.cycle_number,
            "fund_minor": preview.fund_minor,
            "total_shares": preview.total_shares,
            "value_per_share": value,
            "remainder_minor": preview.remainder_minor,
            "remainder_to": rules.remainder_to.value,
        },
    )
    state.cycle_status = "closed"
    state.last_meeting = MeetingState(
        p.meeting_number, p.plan.date, "shareout", "closed", state.cycle_number
    )

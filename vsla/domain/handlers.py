"""One function per kind of meeting entry: check the rules of domain.md, then post it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ledger import N_, Money, Term, reverse
from vsla.domain import accounts as acc
from vsla.domain.constitution import ServiceCharge
from vsla.domain.entries import (
    Dropout,
    Fine,
    FinePayment,
    Grant,
    MeetingEntry,
    NewLoan,
    Repayment,
    Reversal,
    Shares,
    SocialFund,
    WriteOff,
)
from vsla.domain.errors import broken
from vsla.domain.loans import (
    allocate_repayment,
    declining_charge_minor,
    due_date,
    periods_due,
    upfront_charge_minor,
)
from vsla.domain.state import LoanState
from vsla.domain.words import ATTENDANCE_NAMES, KIND_NAMES, term

if TYPE_CHECKING:
    from vsla.domain.planner import Planner

REVERSIBLE_KINDS = frozenset(
    {
        "shares",
        "social_fund_contribution",
        "grant",
        "repayment",
        "fine",
        "fine_payment",
        "loan",
        "write_off",
    }
)
FIELDS: dict[type, str] = {
    SocialFund: "social_fund",
    Grant: "grant",
    Shares: "shares",
    Repayment: "repay",
    Fine: "fine",
    FinePayment: "fine_payment",
    WriteOff: "write_off",
    Dropout: "dropout",
    NewLoan: "loan",
    Reversal: "reverse",
}


def m(p: Planner, amount_minor: int) -> Money:
    return Money(amount_minor, p.state.currency)


def field_of(entry: MeetingEntry) -> str:
    return FIELDS[type(entry)]


def apply_entry(p: Planner, index: int, entry: MeetingEntry) -> None:
    if isinstance(entry, Reversal):
        _reversal(p, entry)
        return
    _active_member(p, entry.member)
    if isinstance(entry, SocialFund):
        _social_fund(p, entry)
    elif isinstance(entry, Grant):
        _grant(p, entry)
    elif isinstance(entry, Shares):
        _shares(p, index, entry)
    elif isinstance(entry, Repayment):
        _repayment(p, entry)
    elif isinstance(entry, Fine):
        _fine(p, entry)
    elif isinstance(entry, FinePayment):
        _fine_payment(p, entry)
    elif isinstance(entry, WriteOff):
        _write_off(p, entry)
    elif isinstance(entry, Dropout):
        _dropout(p, entry)
    else:
        _new_loan(p, entry)


def _active_member(p: Planner, member_id: str) -> None:
    member = p.state.members.get(member_id)
    if member is None:
        raise broken(
            "member.unknown", N_("{member} is not a member of the group"), member=member_id
        )
    if member.status != "active":
        raise broken(
            "member.left",
            N_("{member} ({name}) has left the group"),
            member=member_id,
            name=member.name,
        )


def _present(p: Planner, member_id: str, *, in_person: bool = False) -> None:
    status = p.attendance_of(member_id)
    allowed = ("present",) if in_person else ("present", "proxy")
    if status not in allowed:
        raise broken(
            "member.not_present",
            N_("{member} is marked {status}: mark her present to record this"),
            member=member_id,
            status=term(ATTENDANCE_NAMES, status),
        )


def _positive(amount_minor: int, what: str) -> None:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
        raise broken(
            "amount.type",
            N_("{what}: the amount must be a whole number of minor units"),
            what=Term(what),
        )
    if amount_minor <= 0:
        raise broken(
            "amount.not_positive", N_("{what}: the amount must be more than zero"), what=Term(what)
        )


def _social_fund(p: Planner, entry: SocialFund) -> None:
    each = p.state.constitution.social_fund_minor
    _positive(entry.amount_minor, N_("social fund"))
    if each == 0:
        raise broken("social_fund.none", N_("this group has no social fund contribution"))
    if entry.amount_minor % each:
        raise broken(
            "social_fund.wrong_amount",
            N_(
                "the social fund contribution is {each} a meeting; {amount} is not a multiple of it"
            ),
            each=m(p, each),
            amount=m(p, entry.amount_minor),
        )
    _present(p, entry.member)
    p.transaction(
        "social_fund_contribution",
        [
            (acc.SOCIAL_FUND_CASH, entry.amount_minor),
            (acc.social_fund_contributions(entry.member), -entry.amount_minor),
        ],
        member=entry.member,
    )
    p.line(entry.member).social_fund_paid_minor += entry.amount_minor
    p.out.totals_minor["social_fund"] += entry.amount_minor


def _grant(p: Planner, entry: Grant) -> None:
    _positive(entry.amount_minor, N_("grant"))
    reason = entry.reason.strip()
    if not reason:
        raise broken("grant.reason_missing", N_("say what the grant is for (funeral, illness…)"))
    available = p.state.social_fund_cash_minor
    if entry.amount_minor > available:
        raise broken(
            "grant.over_social_fund",
            N_("a grant of {amount} is more than the social fund holds ({available})"),
            amount=m(p, entry.amount_minor),
            available=m(p, available),
        )
    p.transaction(
        "grant",
        [(acc.SOCIAL_FUND_GRANTS, entry.amount_minor), (acc.SOCIAL_FUND_CASH, -entry.amount_minor)],
        member=entry.member,
        payload={"reason": reason},
        memo=reason[:200],
    )
    p.out.totals_minor["grants"] += entry.amount_minor


def _shares(p: Planner, index: int, entry: Shares) -> None:
    rules = p.state.constitution
    if isinstance(entry.shares, bool) or not isinstance(entry.shares, int) or entry.shares < 0:
        raise broken("shares.not_count", N_("shares must be a whole number"))
    if entry.shares == 0:
        if rules.shares_min > 0:
            raise broken(
                "shares.below_minimum",
                N_("{member} buys {shares} share(s); the group's minimum is {minimum}"),
                member=entry.member,
                shares=0,
                minimum=rules.shares_min,
            )
        return
    _present(p, entry.member)
    total = p.shares_bought[entry.member] + entry.shares
    if total > rules.shares_max:
        raise broken(
            "shares.above_maximum",
            N_("{member} buys {shares} share(s) at this meeting; the group's maximum is {maximum}"),
            member=entry.member,
            shares=total,
            maximum=rules.shares_max,
        )
    amount = entry.shares * rules.share_value_minor
    p.transaction(
        "shares",
        [(acc.LOAN_FUND_CASH, amount), (acc.savings(entry.member), -amount)],
        member=entry.member,
        payload={"shares": entry.shares},
    )
    p.shares_bought[entry.member] = total
    p.last_share_entry[entry.member] = index
    p.line(entry.member).shares_bought += entry.shares
    p.out.totals_minor["shares"] += amount


def check_minimum_shares(p: Planner) -> None:
    minimum = p.state.constitution.shares_min
    for member_id, bought in p.shares_bought.items():
        if 0 < bought < minimum:
            p.problem(
                broken(
                    "shares.below_minimum",
                    N_("{member} buys {shares} share(s); the group's minimum is {minimum}"),
                    member=member_id,
                    shares=bought,
                    minimum=minimum,
                ).problem,
                p.last_share_entry.get(member_id),
                member_id,
                "shares",
            )


def accrue_service_charges(p: Planner) -> None:
    """Charges due at this meeting on declining loans, before any repayment."""
    state = p.state
    for loan in state.open_loans():
        for period in periods_due(loan, p.plan.date):
            owed = state.principal_owed_minor(loan)
            charge = declining_charge_minor(owed, loan.rate_bp)
            if charge > 0:
                p.transaction(
                    "service_charge",
                    [
                        (acc.loan_charges(loan.member_id, loan.number), charge),
                        (acc.SERVICE_CHARGE_INCOME, -charge),
                    ],
                    member=loan.member_id,
                    payload={"loan": loan.number, "period": period, "principal_owed_minor": owed},
                )
            loan.periods_charged = period


def _loans_of(p: Planner, member_id: str, loan_number: int | None) -> list[LoanState]:
    loans = p.state.open_loans(member_id)
    if loan_number is not None:
        loans = [loan for loan in loans if loan.number == loan_number]
    if not loans:
        raise broken("loan.none", N_("{member} has no loan to repay"), member=member_id)
    return loans


def _repayment(p: Planner, entry: Repayment) -> None:
    _positive(entry.amount_minor, N_("repayment"))
    _present(p, entry.member)
    state = p.state
    loans = _loans_of(p, entry.member, entry.loan_number)
    owed = [
        (ln.number, state.charges_owed_minor(ln), state.principal_owed_minor(ln)) for ln in loans
    ]
    total_owed = sum(c + pr for _n, c, pr in owed)
    if entry.amount_minor > total_owed:
        raise broken(
            "repay.more_than_owed",
            N_("{member} repays {amount} but owes only {owed}"),
            member=entry.member,
            amount=m(p, entry.amount_minor),
            owed=m(p, total_owed),
        )
    postings: list[tuple[str, int]] = [(acc.LOAN_FUND_CASH, entry.amount_minor)]
    parts = []
    for part in allocate_repayment(entry.amount_minor, owed):
        postings.append((acc.loan_charges(entry.member, part.loan_number), -part.charges_minor))
        postings.append((acc.loan_principal(entry.member, part.loan_number), -part.principal_minor))
        parts.append(
            {
                "loan": part.loan_number,
                "charges_minor": part.charges_minor,
                "principal_minor": part.principal_minor,
            }
        )
    p.transaction("repayment", postings, member=entry.member, payload={"loans": parts})
    for loan in loans:
        if state.loan_owed_minor(loan) == 0:
            loan.status = "repaid"
    p.line(entry.member).repaid_minor += entry.amount_minor
    p.out.totals_minor["repayments"] += entry.amount_minor


def _fine(p: Planner, entry: Fine) -> None:
    fines = p.state.constitution.fines_minor
    amount = entry.amount_minor
    if amount is None:
        if entry.fine not in fines:
            raise broken(
                "fine.unknown",
                N_('"{fine}" is not one of the group\'s fines ({known}); give its amount'),
                fine=entry.fine,
                known=", ".join(sorted(fines)) or "-",
            )
        amount = fines[entry.fine]
    _positive(amount, N_("fine"))
    bowl = p.state.fines_bowl()
    income = acc.FINES_INCOME if bowl == "loan_fund" else acc.SOCIAL_FUND_FINES
    debit = acc.cash_of_bowl(bowl) if entry.paid else acc.fines_owed(entry.member, bowl)
    p.transaction(
        "fine",
        [(debit, amount), (income, -amount)],
        member=entry.member,
        payload={"fine": entry.fine, "paid": entry.paid, "bowl": bowl},
        memo=entry.fine,
    )
    p.line(entry.member).fines_minor += amount
    p.out.totals_minor["fines" if entry.paid else "fines_owed"] += amount


def _fine_payment(p: Planner, entry: FinePayment) -> None:
    _positive(entry.amount_minor, N_("fine paid"))
    owed = p.state.fines_owed_minor(entry.member)
    if entry.amount_minor > owed:
        raise broken(
            "fine.pay_more_than_owed",
            N_("{member} pays {amount} of fines but owes only {owed}"),
            member=entry.member,
            amount=m(p, entry.amount_minor),
            owed=m(p, owed),
        )
    left = entry.amount_minor
    postings: list[tuple[str, int]] = []
    for bowl in ("loan_fund", "social_fund"):
        part = min(left, p.state.fines_owed_minor(entry.member, bowl))
        if part:
            postings += [
                (acc.cash_of_bowl(bowl), part),
                (acc.fines_owed(entry.member, bowl), -part),
            ]
            left -= part
    p.transaction("fine_payment", postings, member=entry.member)
    p.line(entry.member).fines_minor += entry.amount_minor
    p.out.totals_minor["fines"] += entry.amount_minor


def _write_off(p: Planner, entry: WriteOff) -> None:
    reason = entry.reason.strip()
    if not reason:
        raise broken(
            "write_off.reason_missing", N_("a write-off is a group decision: record the reason")
        )
    state = p.state
    for loan in _loans_of(p, entry.member, entry.loan_number):
        principal, charges = state.principal_owed_minor(loan), state.charges_owed_minor(loan)
        p.transaction(
            "write_off",
            [
                (acc.WRITE_OFFS, principal + charges),
                (acc.loan_principal(entry.member, loan.number), -principal),
                (acc.loan_charges(entry.member, loan.number), -charges),
            ],
            member=entry.member,
            payload={"loan": loan.number, "reason": reason, "decided_by": "group"},
            memo=reason[:200],
        )
        loan.status = "written_off"
        p.out.totals_minor["write_offs"] += principal + charges


def dropout_profit_minor(p: Planner, member_id: str) -> int:
    """Her share of the cycle's profit so far, when the constitution grants it (else 0)."""
    state = p.state
    if not state.constitution.dropout_gets_profit:
        return 0
    total_savings = sum(
        -amount
        for account, amount in state.balances.items()
        if account.startswith(acc.SAVINGS + ":")
    )
    profit = -sum(
        amount
        for account, amount in state.balances.items()
        if account.startswith(("income:", "expenses:"))
    )
    if profit <= 0 or total_savings <= 0:
        return 0
    rounding = state.constitution.payout_rounding_minor
    share = profit * state.savings_minor(member_id) // total_savings
    return share // rounding * rounding


def _dropout(p: Planner, entry: Dropout) -> None:
    state = p.state
    member_id = entry.member
    saved = state.savings_minor(member_id)
    profit = dropout_profit_minor(p, member_id)
    debts: list[tuple[str, int]] = []
    for loan in state.open_loans(member_id):
        debts.append((acc.loan_principal(member_id, loan.number), state.principal_owed_minor(loan)))
        debts.append((acc.loan_charges(member_id, loan.number), state.charges_owed_minor(loan)))
    for bowl in ("loan_fund", "social_fund"):
        debts.append((acc.fines_owed(member_id, bowl), state.fines_owed_minor(member_id, bowl)))
    owed = sum(amount for _a, amount in debts)
    if owed > saved + profit:
        raise broken(
            "dropout.owes_more_than_savings",
            N_(
                "{member} owes {owed}, more than her savings ({savings}): collect the debt or "
                "write it off first"
            ),
            member=member_id,
            owed=m(p, owed),
            savings=m(p, saved + profit),
        )
    to_social = state.fines_owed_minor(member_id, "social_fund")
    payout = saved + profit - owed
    postings = [
        (acc.savings(member_id), saved),
        (acc.DROPOUT_PROFIT, profit),
        (acc.SOCIAL_FUND_CASH, to_social),
        (acc.LOAN_FUND_CASH, -(payout + to_social)),
    ]
    postings += [(account, -amount) for account, amount in debts]
    if any(amount for _a, amount in postings):
        p.transaction(
            "dropout_payout",
            postings,
            member=member_id,
            payload={
                "savings_minor": saved,
                "profit_minor": profit,
                "owed_minor": owed,
                "payout_minor": payout,
            },
        )
    for loan in state.open_loans(member_id):
        loan.status = "repaid"
    state.members[member_id].status = "left"
    p.event("member_left", {"reason": "dropout", "payout_minor": payout}, member=member_id)
    p.out.totals_minor["dropout_payouts"] += payout


def _new_loan(p: Planner, entry: NewLoan) -> None:
    state, rules = p.state, p.state.constitution
    member_id = entry.member
    _positive(entry.principal_minor, N_("loan"))
    _present(p, member_id, in_person=True)
    if (
        isinstance(entry.term_months, bool)
        or not isinstance(entry.term_months, int)
        or not (1 <= entry.term_months <= rules.loan_term_max_months)
    ):
        raise broken(
            "loan.term",
            N_("a loan term of {term} month(s) is outside 1 to {maximum}"),
            term=entry.term_months,
            maximum=rules.loan_term_max_months,
        )
    open_loans = [ln for ln in state.open_loans(member_id) if state.loan_owed_minor(ln) > 0]
    if rules.one_loan_at_a_time and open_loans:
        raise broken(
            "loan.one_at_a_time",
            N_("{member} still owes {owed} on loan L{loan}; one loan at a time"),
            member=member_id,
            owed=m(p, state.loan_owed_minor(open_loans[0])),
            loan=open_loans[0].number,
        )
    principal_owed = sum(state.principal_owed_minor(ln) for ln in open_loans)
    limit = rules.loan_multiple * state.savings_minor(member_id) - principal_owed
    if entry.principal_minor > limit:
        raise broken(
            "loan.over_multiple",
            N_("{member} may borrow at most {limit} ({multiple} × her savings of {savings})"),
            member=member_id,
            limit=m(p, max(limit, 0)),
            multiple=rules.loan_multiple,
            savings=m(p, state.savings_minor(member_id)),
        )
    cash = state.loan_fund_cash_minor
    if entry.principal_minor > cash:
        raise broken(
            "loan.over_cash",
            N_("a loan of {amount} is more than the cash in the loan fund ({cash})"),
            amount=m(p, entry.principal_minor),
            cash=m(p, cash),
        )
    number = state.next_loan_number
    due = due_date(p.plan.date, entry.term_months)
    charge = 0
    if rules.service_charge is ServiceCharge.UPFRONT:
        charge = upfront_charge_minor(
            entry.principal_minor, rules.service_charge_rate_bp, entry.term_months
        )
    tx = p.transaction(
        "loan",
        [
            (acc.loan_principal(member_id, number), entry.principal_minor),
            (acc.LOAN_FUND_CASH, -entry.principal_minor),
            (acc.loan_charges(member_id, number), charge),
            (acc.SERVICE_CHARGE_INCOME, -charge),
        ],
        member=member_id,
        payload={
            "loan": number,
            "principal_minor": entry.principal_minor,
            "method": rules.service_charge.value,
            "rate_bp": rules.service_charge_rate_bp,
            "term_months": entry.term_months,
            "due_on": due.isoformat(),
            "upfront_charge_minor": charge,
        },
    )
    state.loans[number] = LoanState(
        number=number,
        member_id=member_id,
        principal_minor=entry.principal_minor,
        method=rules.service_charge.value,
        rate_bp=rules.service_charge_rate_bp,
        term_months=entry.term_months,
        disbursed_on=p.plan.date,
        due_on=due,
        periods_charged=0,
        status="open",
        entry_id=tx.id,
    )
    state.next_loan_number = number + 1
    p.line(member_id).loan_taken_minor += entry.principal_minor
    p.out.totals_minor["loans"] += entry.principal_minor


def _reversal(p: Planner, entry: Reversal) -> None:
    reason = entry.reason.strip()
    if not reason:
        raise broken("reversal.reason_missing", N_("say why the entry is reversed"))
    found = p.lookup(entry.entry_id) if p.lookup is not None else None
    if found is None or found[0].group_id != p.state.group_id:
        raise broken(
            "reversal.unknown", N_("there is no entry {id} in this group"), id=entry.entry_id
        )
    original, cycle = found
    if original.reverses is not None:
        raise broken(
            "reversal.of_reversal",
            N_("{id} is itself a reversal; record the entry again instead"),
            id=original.id,
        )
    if original.kind not in REVERSIBLE_KINDS:
        raise broken(
            "reversal.not_reversible",
            N_("a {kind} entry is made by the book itself and cannot be reversed"),
            kind=term(KIND_NAMES, original.kind),
        )
    if cycle != p.state.cycle_number:
        raise broken(
            "reversal.other_cycle",
            N_("{id} belongs to an earlier cycle, which is closed"),
            id=original.id,
        )
    if original.id in p.state.reversed_ids:
        raise broken("reversal.twice", N_("{id} is already reversed"), id=original.id)
    tx = reverse(
        original,
        id=p.next_id(),
        date=p.plan.date,
        memo=reason[:200],
        meeting_number=p.meeting_number,
    )
    p.apply(tx)
    p.state.reversed_ids.add(original.id)
    if original.kind == "loan":
        loan = p.state.loans.get(int(original.data["loan"]))
        if loan is not None:
            loan.status = "reversed"
    _reopen_loans_after_reversal(p, original.member_id)


def _reopen_loans_after_reversal(p: Planner, member_id: str | None) -> None:
    for loan in p.state.loans.values():
        if (
            loan.member_id == member_id
            and loan.status in ("repaid", "written_off")
            and (p.state.loan_owed_minor(loan) > 0)
        ):
            loan.status = "open"


def late_loans(p: Planner, on: date) -> list[LoanState]:
    return [loan for loan in p.state.open_loans() if p.state.is_late(loan, on)]

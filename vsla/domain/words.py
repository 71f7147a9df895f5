"""The names people read for the codes the book uses (kinds of entry, bowls, attendance,
roles): message ids, translated where they are shown."""

from __future__ import annotations

from ledger import N_, Term

KIND_NAMES = {
    "shares": N_("shares"),
    "social_fund_contribution": N_("social fund"),
    "grant": N_("grant"),
    "repayment": N_("repayment"),
    "service_charge": N_("service charge"),
    "fine": N_("fine"),
    "fine_payment": N_("fine paid"),
    "loan": N_("loan"),
    "write_off": N_("write-off"),
    "dropout_payout": N_("dropout payout"),
    "cash_adjustment": N_("cash count difference"),
    "shareout_close_income": N_("income closed into the fund"),
    "shareout_payout": N_("share-out payout"),
    "shareout_remainder": N_("share-out remainder"),
    "social_fund_payout": N_("social fund paid out"),
}
ATTENDANCE_NAMES = {
    "present": N_("present"),
    "excused": N_("excused"),
    "absent": N_("absent"),
    "proxy": N_("proxy"),
}
BOWL_NAMES = {"loan_fund": N_("loan fund"), "social_fund": N_("social fund")}
WHEN_NAMES = {"opening": N_("opening"), "closing": N_("closing")}
ROLE_NAMES = {
    "chair": N_("chair"),
    "secretary": N_("secretary"),
    "box_keeper": N_("box keeper"),
    "money_counter": N_("money counter"),
    "key_holder": N_("key holder"),
}
STATUS_NAMES = {"open": N_("open"), "closed": N_("closed")}


def term(names: dict[str, str], code: str) -> Term:
    """The name of `code`, to be translated when the message is shown."""
    return Term(names.get(code, code))

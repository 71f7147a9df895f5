"""Members, their phone numbers and roles, validated the way real input arrives."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import phonenumbers

from ledger import N_, LedgerError, Term, clean_text
from vsla.domain.words import ROLE_NAMES, term

LANGUAGES = ("en", "fr", "sw", "ln")
GENDERS = ("F", "M")
ROLE_LIMITS = {
    "chair": 1,
    "secretary": 1,
    "box_keeper": 1,
    "money_counter": 2,
    "key_holder": 3,
}
COMMITTEE_ROLES = ("chair", "secretary", "box_keeper", "money_counter")
MEMBER_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,12}", re.ASCII)
GROUP_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}", re.ASCII)

CURRENCY_COUNTRY = {
    "CDF": "CD",
    "UGX": "UG",
    "KES": "KE",
    "TZS": "TZ",
    "RWF": "RW",
    "GHS": "GH",
    "BIF": "BI",
    "ZMW": "ZM",
    "MWK": "MW",
    "XOF": "SN",
    "XAF": "CM",
    "NGN": "NG",
    "ETB": "ET",
    "SSP": "SS",
    "MZN": "MZ",
    "ZAR": "ZA",
}


@dataclass(frozen=True, slots=True)
class Member:
    member_id: str
    name: str
    gender: str
    phone: str | None = None
    language: str | None = None
    shared_phone: bool = False
    roles: tuple[str, ...] = field(default=())


def check_group_id(group_id: str) -> str:
    if not isinstance(group_id, str) or not GROUP_ID_RE.fullmatch(group_id):
        raise LedgerError.of(
            "group.bad_id",
            N_('group id "{value}": use 1-40 lowercase letters, digits and -'),
            value=str(group_id)[:40],
        )
    return group_id


def check_member_id(member_id: object) -> str:
    if not isinstance(member_id, str) or not MEMBER_ID_RE.fullmatch(member_id):
        raise LedgerError.of(
            "member.bad_id",
            N_('member number "{value}": use 1-12 letters and digits, like M01'),
            value=str(member_id)[:20],
        )
    return member_id


def check_name(name: object, *, what: str = N_("name")) -> str:
    if not isinstance(name, str):
        raise LedgerError.of("member.bad_name", N_("{field} must be text"), field=Term(what))
    cleaned = clean_text(name, field_name=what, max_length=80).strip()
    if not cleaned:
        raise LedgerError.of("member.empty_name", N_("{field} is empty"), field=Term(what))
    return cleaned


def check_gender(gender: object) -> str:
    if gender not in GENDERS:
        raise LedgerError.of(
            "member.bad_gender", N_('gender "{value}": use F or M'), value=str(gender)[:10]
        )
    return str(gender)


def check_language(language: object) -> str:
    if language not in LANGUAGES:
        raise LedgerError.of(
            "member.bad_language",
            N_('language "{value}": use one of en, fr, sw, ln'),
            value=str(language)[:10],
        )
    return str(language)


def normalise_phone(phone: object, country: str) -> str:
    """The number in E.164 form, read as a number of `country` when written locally.

    `+256772123456`, `0772123456`, `256772123456` and `0772 123 456` are one phone; the
    uniqueness check must see them as one.
    """
    if not isinstance(phone, str) or not phone.strip():
        raise LedgerError.of("phone.empty", N_("the phone number is empty"))
    text = phone.strip()
    if not text.isascii() or not re.fullmatch(r"\+?[0-9 ()-]{6,20}", text):
        raise LedgerError.of(
            "phone.malformed",
            N_('phone number "{value}" is not a phone number'),
            value=text.encode("ascii", "backslashreplace").decode()[:30],
        )
    digits = re.sub(r"[^0-9+]", "", text)
    region = country
    if not digits.startswith("+"):
        code = str(phonenumbers.country_code_for_region(country))
        if digits.startswith(code) and len(digits) > 10:
            digits = "+" + digits
            region = None  # type: ignore[assignment]
    try:
        parsed = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException as error:
        raise LedgerError.of(
            "phone.malformed", N_('phone number "{value}" is not a phone number'), value=text
        ) from error
    if not phonenumbers.is_valid_number(parsed):
        raise LedgerError.of(
            "phone.invalid",
            N_('phone number "{value}" is not a valid number for {country}'),
            value=text,
            country=country,
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def role_problems(
    roles: Mapping[str, Iterable[str]], active_members: Iterable[str]
) -> list[LedgerError]:
    """What breaks the methodology's roles: limits per role, and key holders on the committee."""
    problems: list[LedgerError] = []
    active = set(active_members)
    committee: set[str] = set()
    for role, holders in roles.items():
        people = list(holders)
        if role not in ROLE_LIMITS:
            problems.append(
                LedgerError.of(
                    "roles.unknown",
                    N_('"{role}" is not a role of the group'),
                    role=term(ROLE_NAMES, role),
                )
            )
            continue
        if len(people) > ROLE_LIMITS[role]:
            problems.append(
                LedgerError.of(
                    "roles.too_many",
                    N_("{role}: at most {limit} member(s), {count} given"),
                    role=term(ROLE_NAMES, role),
                    limit=ROLE_LIMITS[role],
                    count=len(people),
                )
            )
        for member_id in people:
            if member_id not in active:
                problems.append(
                    LedgerError.of(
                        "roles.not_member",
                        N_("{role}: {member} is not an active member"),
                        role=term(ROLE_NAMES, role),
                        member=member_id,
                    )
                )
        if role in COMMITTEE_ROLES:
            committee.update(people)
    for member_id in roles.get("key_holder", ()):
        if member_id in committee:
            problems.append(
                LedgerError.of(
                    "roles.key_holder_on_committee",
                    N_(
                        "{member} holds a key and sits on the committee; key holders may not be "
                        "committee members"
                    ),
                    member=member_id,
                )
            )
    return problems

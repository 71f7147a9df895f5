"""Use cases of groups and members: set a group up, members joining and changing, roles, an
amendment of the constitution. Each is one SQLite transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ledger import N_, LedgerError, Record
from vsla.book.base import BookBase, guarded_methods
from vsla.book.loading import group_exists, load_state
from vsla.domain.constitution import Constitution
from vsla.domain.errors import RuleBroken, broken
from vsla.domain.people import (
    CURRENCY_COUNTRY,
    Member,
    check_gender,
    check_group_id,
    check_language,
    check_member_id,
    check_name,
    normalise_phone,
)


@guarded_methods
class GroupUseCases(BookBase):
    def create_group(
        self,
        *,
        group_id: str,
        name: str,
        constitution: Constitution,
        members: Sequence[Member],
        cycle_start: date,
        language: str = "en",
        country: str | None = None,
        roles: dict[str, list[str]] | None = None,
    ) -> None:
        check_group_id(group_id)
        if group_exists(self.db, group_id):
            raise broken(
                "group.exists",
                N_('there is already a group "{group}" in this book'),
                group=group_id,
            )
        country = country or CURRENCY_COUNTRY.get(constitution.currency)
        if country is None:
            raise broken(
                "group.country_missing", N_("give the group's country (for phone numbers)")
            )
        events: list[Record] = [
            self._event(
                group_id,
                cycle_start,
                "group_created",
                {
                    "name": check_name(name, what=N_("group name")),
                    "currency": constitution.currency,
                    "country": country,
                    "language": check_language(language),
                },
            )
        ]
        cleaned = clean_members(members, country, existing=())
        events += [self._member_event(group_id, cycle_start, m) for m in cleaned]
        if roles:
            events.append(
                self._roles_event(group_id, cycle_start, roles, [m.member_id for m in cleaned])
            )
        events.append(
            self._event(
                group_id,
                cycle_start,
                "cycle_started",
                {
                    "cycle": 1,
                    "constitution": constitution.to_json(),
                },
            )
        )
        self.journal.append(events)

    def add_member(
        self, group_id: str, member: Member, *, on: date, mid_cycle_agreed: bool = False
    ) -> None:
        state = load_state(self.db, group_id)
        if (
            state.cycle_status == "open"
            and state.last_meeting is not None
            and (state.last_meeting.cycle_number == state.cycle_number)
            and not mid_cycle_agreed
        ):
            raise broken(
                "member.mid_cycle",
                N_("the cycle has started: a member joins mid-cycle only if the group agrees"),
            )
        existing = [
            (m.member_id, m.phone, m.shared_phone)
            for m in state.members.values()
            if m.status == "active" or m.member_id == member.member_id
        ]
        (cleaned,) = clean_members([member], state.country, existing=existing)
        self.journal.append([self._member_event(group_id, on, cleaned)])

    def update_member(
        self,
        group_id: str,
        member_id: str,
        *,
        on: date,
        name: str | None = None,
        phone: str | None = None,
        language: str | None = None,
        sms_opt_out: bool | None = None,
        sms_balances: bool | None = None,
    ) -> None:
        """Change what can change about a member; the change stays in the journal."""
        state = load_state(self.db, group_id)
        member = state.members.get(member_id)
        if member is None:
            raise broken(
                "member.unknown", N_("{member} is not a member of the group"), member=member_id
            )
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = check_name(name)
        if language is not None:
            changes["language"] = check_language(language)
        if sms_opt_out is not None:
            changes["sms_opt_out"] = bool(sms_opt_out)
        if sms_balances is not None:  # she agreed, at a meeting, to balances in her receipts
            changes["sms_balances"] = bool(sms_balances)
        if phone is not None:
            others = [
                (m.member_id, m.phone, m.shared_phone)
                for m in state.active_members()
                if m.member_id != member_id
            ]
            (checked,) = clean_members(
                [
                    Member(
                        member_id,
                        member.name,
                        member.gender,
                        phone or None,
                        shared_phone=member.shared_phone,
                    )
                ],
                state.country,
                existing=others,
            )
            changes["phone"] = checked.phone
        if changes:
            self.journal.append(
                [self._event(group_id, on, "member_updated", changes, member=member_id)]
            )

    def assign_roles(self, group_id: str, roles: dict[str, list[str]], *, on: date) -> None:
        state = load_state(self.db, group_id)
        self.journal.append(
            [self._roles_event(group_id, on, roles, [m.member_id for m in state.active_members()])]
        )

    def amend_constitution(
        self, group_id: str, changes: dict[str, Any], *, reason: str, on: date
    ) -> Constitution:
        """A change of settings mid-cycle: only by a recorded amendment with its reason."""
        if not reason.strip():
            raise broken(
                "constitution.reason_missing",
                N_("a change of the constitution mid-cycle needs the group's reason"),
            )
        state = load_state(self.db, group_id)
        if "currency" in changes and changes["currency"] != state.constitution.currency:
            raise broken("constitution.currency_fixed", N_("a group's currency cannot change"))
        if changes.get("share_value_minor", state.constitution.share_value_minor) != (
            state.constitution.share_value_minor
        ):
            # Shares are counted as savings ÷ the share value: a new value would restate
            # every share already bought (domain.md: the value is fixed for the cycle).
            raise broken(
                "constitution.share_value_fixed",
                N_(
                    "the value of a share is fixed for the whole cycle: change it when the "
                    "next cycle starts"
                ),
            )
        amended = amended_constitution(state.constitution, changes)
        self.journal.append(
            [
                self._event(
                    group_id,
                    on,
                    "constitution_amended",
                    {
                        "cycle": state.cycle_number,
                        "constitution": amended.to_json(),
                        "changes": {
                            k: v[1] for k, v in state.constitution.changed_fields(amended).items()
                        },
                        "reason": reason.strip(),
                    },
                )
            ]
        )
        return amended


def amended_constitution(constitution: Constitution, changes: dict[str, Any]) -> Constitution:
    data = constitution.to_json()
    unknown = sorted(set(changes) - set(data))
    if unknown:
        raise broken(
            "constitution.unknown_setting", N_('"{setting}" is not a setting'), setting=unknown[0]
        )
    data.update(changes)
    try:
        return Constitution.from_json(data)
    except ValueError as error:
        raise broken(
            "constitution.invalid",
            N_("the constitution is not valid: {detail}"),
            detail=_first_error(error),
        ) from error


def _first_error(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg', '')}".strip(": ")
    return str(error)


def clean_members(
    members: Sequence[Member],
    country: str,
    *,
    existing: Iterable[tuple[str, str | None, bool]],
) -> list[Member]:
    """Members checked and normalised: ids and phones unique in the group (a phone may be
    shared only when both members say so), names without invisible characters."""
    seen_ids = {member_id for member_id, _phone, _shared in existing}
    phones = {phone: shared for _id, phone, shared in existing if phone}
    cleaned: list[Member] = []
    for member in members:
        member_id = check_member_id(member.member_id)
        if member_id in seen_ids:
            raise broken(
                "member.duplicate_id", N_("member number {member} is used twice"), member=member_id
            )
        seen_ids.add(member_id)
        phone = None
        if member.phone:
            phone = normalise_phone(member.phone, country)
            if phone in phones and not (phones[phone] and member.shared_phone):
                raise broken(
                    "member.duplicate_phone",
                    N_(
                        "{member}: phone {phone} already belongs to another member (mark both "
                        "as sharing the phone if they do)"
                    ),
                    member=member_id,
                    phone=phone,
                )
            phones[phone] = member.shared_phone
        try:
            cleaned.append(
                Member(
                    member_id=member_id,
                    name=check_name(member.name),
                    gender=check_gender(member.gender),
                    phone=phone,
                    language=None if member.language is None else check_language(member.language),
                    shared_phone=member.shared_phone,
                    roles=member.roles,
                )
            )
        except LedgerError as error:
            raise RuleBroken(error.problem) from error
    return cleaned

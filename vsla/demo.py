"""`vsla demo`: a realistic book made by the same services a facilitator uses.

Four groups in artisanal mining towns: two in Kolwezi and one in Bukavu saving in Congolese
francs, one in Mubende (Uganda) in shillings. Mostly women, names from the region. Meetings
are generated week by week up to today, so the demo always has a cycle in progress with
loans, a late loan, fines, a grant and a cash shortage; one group has finished a cycle with
its share-out and started the next.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from vsla.book.service import Book
from vsla.domain.constitution import Constitution, ServiceCharge
from vsla.domain.entries import (
    Bowls,
    Fine,
    FinePayment,
    Grant,
    MeetingEntry,
    MeetingPlan,
    NewLoan,
    Repayment,
    Shares,
    SocialFund,
)
from vsla.domain.people import Member
from vsla.domain.state import GroupState

CONGO_WOMEN = (
    "Mwamini",
    "Furaha",
    "Neema",
    "Riziki",
    "Bahati",
    "Zawadi",
    "Esperance",
    "Consolata",
    "Mapendo",
    "Sifa",
    "Rehema",
    "Faraja",
    "Imani",
    "Jeanine",
    "Solange",
    "Clarisse",
    "Nadine",
    "Odette",
    "Béatrice",
    "Joséphine",
    "Marie-Claire",
    "Francine",
    "Anuarite",
    "Kavira",
    "Kahindo",
    "Masika",
    "Mbuyi",
    "Ngalula",
    "Kapinga",
    "Mujinga",
    "Feza",
    "Nsimire",
)
CONGO_MEN = ("Jean-Pierre", "Patrick", "Emmanuel", "Pascal", "Dieudonné", "Kambale", "Mumbere")
CONGO_FAMILY = (
    "Kasongo",
    "Ilunga",
    "Mukendi",
    "Tshibangu",
    "Kabongo",
    "Mwamba",
    "Banza",
    "Kalala",
    "Ngoy",
    "Mutombo",
    "Kyungu",
    "Mulumba",
    "Numbi",
    "Kasereka",
    "Muhindo",
    "Paluku",
    "Bisimwa",
    "Cirhuza",
    "Mapendo",
    "Nabintu",
    "Kaswera",
)
UGANDA_WOMEN = (
    "Nakato",
    "Babirye",
    "Nansubuga",
    "Namutebi",
    "Nalwoga",
    "Nakimuli",
    "Nabukenya",
    "Namusoke",
    "Akello",
    "Auma",
    "Atim",
    "Kyomuhendo",
    "Tumusiime",
    "Ninsiima",
    "Kemigisha",
    "Nabirye",
    "Namata",
    "Achieng",
)
UGANDA_MEN = ("Ssemakula", "Mukasa", "Kato", "Ssebunya", "Okello")
UGANDA_FAMILY = (
    "Nakayima",
    "Nalubega",
    "Ssali",
    "Mugisha",
    "Byaruhanga",
    "Tusiime",
    "Kyomugisha",
    "Nanyonjo",
    "Asiimwe",
    "Namakula",
    "Kisakye",
    "Birungi",
)


@dataclass(frozen=True)
class DemoGroup:
    group_id: str
    name: str
    language: str
    member_languages: tuple[str, ...]
    constitution: Constitution
    size: int
    women: tuple[str, ...]
    men: tuple[str, ...]
    family: tuple[str, ...]
    phone: Callable[[random.Random], str]
    weeks_ago: int  # when the current cycle started
    finished_cycle_weeks: int = 0  # >0: a whole earlier cycle of this many weeks


def _congo_phone(rng: random.Random) -> str:
    return f"+243{rng.choice(('97', '99', '81', '82', '89'))}{rng.randrange(10**7):07d}"


def _uganda_phone(rng: random.Random) -> str:
    return f"+256{rng.choice(('77', '78', '70', '75'))}{rng.randrange(10**7):07d}"


def _cdf(share_franc: int, social_franc: int, fines: dict[str, int]) -> Constitution:
    return Constitution(
        currency="CDF",
        share_value_minor=share_franc * 100,
        shares_min=1,
        shares_max=5,
        social_fund_minor=social_franc * 100,
        loan_multiple=3,
        loan_term_max_months=3,
        service_charge=ServiceCharge.DECLINING,
        service_charge_rate_bp=1000,
        fines_minor={k: v * 100 for k, v in fines.items()},
        payout_rounding_minor=10_000,
    )


GROUPS = (
    DemoGroup(
        "kolwezi-umoja",
        "Umoja wa Mama Kolwezi",
        "sw",
        ("sw", "sw", "fr", "ln"),
        _cdf(1000, 200, {"late": 200, "absent": 500, "forgot_key": 500, "phone": 100}),
        24,
        CONGO_WOMEN,
        CONGO_MEN,
        CONGO_FAMILY,
        _congo_phone,
        weeks_ago=9,
        finished_cycle_weeks=36,
    ),
    DemoGroup(
        "kolwezi-tumaini",
        "Tumaini Kanina",
        "fr",
        ("fr", "sw", "ln"),
        _cdf(2000, 500, {"late": 500, "absent": 1000}),
        18,
        CONGO_WOMEN,
        CONGO_MEN,
        CONGO_FAMILY,
        _congo_phone,
        weeks_ago=22,
    ),
    DemoGroup(
        "bukavu-amani",
        "Amani Bukavu",
        "sw",
        ("sw", "sw", "fr"),
        _cdf(500, 100, {"late": 100, "absent": 300}),
        28,
        CONGO_WOMEN,
        CONGO_MEN,
        CONGO_FAMILY,
        _congo_phone,
        weeks_ago=30,
    ),
    DemoGroup(
        "mubende-twekembe",
        "Twekembe Women's Group",
        "en",
        ("en", "en", "sw"),
        Constitution(
            currency="UGX",
            share_value_minor=2000,
            social_fund_minor=500,
            service_charge=ServiceCharge.UPFRONT,
            service_charge_rate_bp=500,
            fines_minor={"late": 500, "absent": 1000},
            payout_rounding_minor=500,
        ),
        20,
        UGANDA_WOMEN,
        UGANDA_MEN,
        UGANDA_FAMILY,
        _uganda_phone,
        weeks_ago=16,
    ),
)


def ensure_demo(path: Path, *, today: date | None = None) -> bool:
    """Create the demo book at `path` unless it exists; True if it was created now."""
    if path.exists():
        return False
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    book = Book.open(partial)
    try:
        build_demo(book, today=today or date.today())
    finally:
        book.close()
    partial.rename(path)  # all or nothing: a half-made demo is never opened
    return True


def build_demo(book: Book, *, today: date) -> None:
    for index, spec in enumerate(GROUPS):
        _Group(book, spec, random.Random(1000 + index), today).build()


class _Group:
    def __init__(self, book: Book, spec: DemoGroup, rng: random.Random, today: date) -> None:
        self.book, self.spec, self.rng, self.today = book, spec, rng, today
        self.never_repays: str | None = None
        self.shortage_done = False
        self.grant_done = False

    def build(self) -> None:
        spec = self.spec
        start = self._last_weekday(self.today) - timedelta(weeks=spec.weeks_ago)
        first_start = start - timedelta(weeks=spec.finished_cycle_weeks + 1)
        members = self._members()
        self.book.create_group(
            group_id=spec.group_id,
            name=spec.name,
            constitution=spec.constitution,
            members=members,
            cycle_start=first_start if spec.finished_cycle_weeks else start,
            language=spec.language,
            roles=_roles(members),
        )
        if spec.finished_cycle_weeks:
            self._meetings(first_start, spec.finished_cycle_weeks, finishing=True)
            end = first_start + timedelta(weeks=spec.finished_cycle_weeks)
            self.book.shareout(spec.group_id, on=end, commit=True)
            leaving = [members[-1].member_id]
            joining = [self._member(len(members) + 1)]
            self.book.start_cycle(spec.group_id, start=start, leaving=leaving, joining=joining)
            self.never_repays = None
        self._meetings(start, spec.weeks_ago + 1, finishing=False)

    def _last_weekday(self, day: date) -> date:
        return day - timedelta(days=(day.weekday() - 2) % 7)  # Wednesdays

    def _member(self, number: int) -> Member:
        spec, rng = self.spec, self.rng
        woman = rng.random() < 0.85
        first = rng.choice(spec.women if woman else spec.men)
        return Member(
            member_id=f"M{number:02d}",
            name=f"{first} {rng.choice(spec.family)}",
            gender="F" if woman else "M",
            phone=spec.phone(rng) if rng.random() < 0.6 else None,
            language=rng.choice(spec.member_languages),
        )

    def _members(self) -> list[Member]:
        return [self._member(n) for n in range(1, self.spec.size + 1)]

    def _meetings(self, start: date, weeks: int, *, finishing: bool) -> None:
        for week in range(weeks):
            day = start + timedelta(weeks=week)
            if day > self.today:
                break
            state = self.book.state(self.spec.group_id)
            self.book.record_meeting(
                self.spec.group_id, self._plan(state, day, week, weeks, finishing)
            )

    def _plan(
        self, state: GroupState, day: date, week: int, weeks: int, finishing: bool
    ) -> MeetingPlan:
        rng, rules = self.rng, state.constitution
        entries: list[MeetingEntry] = []
        attendance: dict[str, str] = {}
        late_in_cycle = week > weeks - 6
        for member in state.active_members():
            roll = rng.random()
            if roll < 0.05:
                attendance[member.member_id] = "absent"
                if "absent" in rules.fines_minor:
                    entries.append(Fine(member.member_id, "absent", paid=False))
                continue
            if roll < 0.08:
                attendance[member.member_id] = "excused"
                continue
            entries.append(Shares(member.member_id, rng.choice((1, 2, 2, 3, 3, 4, 5))))
            if rules.social_fund_minor:
                entries.append(SocialFund(member.member_id, rules.social_fund_minor))
            if rng.random() < 0.04 and "late" in rules.fines_minor:
                entries.append(Fine(member.member_id, "late"))
            if state.fines_owed_minor(member.member_id) and rng.random() < 0.5:
                entries.append(
                    FinePayment(member.member_id, state.fines_owed_minor(member.member_id))
                )
        entries += self._repayments(state, day, attendance, finishing and late_in_cycle)
        if not (finishing and late_in_cycle):
            entries += self._loans(state, day, attendance, week)
        if not self.grant_done and week == 5 and rules.social_fund_minor:
            taker = next(m for m in state.active_members() if m.member_id not in attendance)
            entries.append(Grant(taker.member_id, rules.social_fund_minor * 10, "funeral"))
            self.grant_done = True
        plan = MeetingPlan(date=day, entries=tuple(entries), attendance=attendance)
        if not finishing and not self.shortage_done and week == 7:
            self.shortage_done = True
            outcome = self.book.preview_meeting(self.spec.group_id, plan)
            short = rules.share_value_minor // 2
            expected = outcome.expected_closing
            plan = MeetingPlan(
                date=day,
                entries=plan.entries,
                attendance=attendance,
                closing_counted=Bowls(expected.loan_fund_minor - short, expected.social_fund_minor),
                closing_reason="counted short; the box keeper will ask the counters",
            )
        return plan

    def _repayments(
        self, state: GroupState, day: date, attendance: dict[str, str], settle: bool
    ) -> list[MeetingEntry]:
        entries: list[MeetingEntry] = []
        for loan in state.open_loans():
            if loan.member_id in attendance or (loan.member_id == self.never_repays and not settle):
                continue
            owed = state.loan_owed_minor(loan)
            anniversary = (day - loan.disbursed_on).days % 28 < 7 and day > loan.disbursed_on
            if settle or day >= loan.due_on:
                entries.append(Repayment(loan.member_id, owed))
            elif anniversary and owed:
                part = min(owed, _round(owed // max(1, loan.term_months), 10_000))
                if part > 0:
                    entries.append(Repayment(loan.member_id, part))
        return entries

    def _loans(
        self, state: GroupState, day: date, attendance: dict[str, str], week: int
    ) -> list[MeetingEntry]:
        rng, rules = self.rng, state.constitution
        if week < 3:
            return []
        cash = state.loan_fund_cash_minor
        entries: list[MeetingEntry] = []
        candidates = [
            m
            for m in state.active_members()
            if m.member_id not in attendance and not state.open_loans(m.member_id)
        ]
        rng.shuffle(candidates)
        for member in candidates[: rng.choice((0, 1, 1, 2, 3))]:
            limit = rules.loan_multiple * state.savings_minor(member.member_id)
            principal = _round(
                min(limit, cash // 3) * rng.choice((5, 7, 10)) // 10, rules.share_value_minor
            )
            if principal <= 0:
                continue
            cash -= principal
            term = rng.choice((1, 2, 3)) if rules.loan_term_max_months >= 3 else 1
            if self.never_repays is None and week < 12:
                self.never_repays = member.member_id  # the late loan of the demo
                term = 1
            entries.append(NewLoan(member.member_id, principal, term))
        return entries


def _round(amount: int, unit: int) -> int:
    return amount // unit * unit


def _roles(members: list[Member]) -> dict[str, list[str]]:
    ids = [m.member_id for m in members]
    return {
        "chair": [ids[0]],
        "secretary": [ids[1]],
        "box_keeper": [ids[2]],
        "money_counter": ids[3:5],
        "key_holder": ids[5:8],
    }

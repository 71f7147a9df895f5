"""What the staff pages show, made from the report's read models: the figures of each
currency, the groups list sorted and filtered, one group's details, charts and downloads.
Nothing here computes a figure: it picks, orders and formats those of the report engine."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger import N_
from vsla.display import amount
from vsla.domain.savix import Gendered, Items, indicators
from vsla.i18n import render_problem, tr

if TYPE_CHECKING:
    from vsla.book.service import Book
    from vsla.book.views.loans import LoanLine
    from vsla.book.views.meetings import CyclePoint
    from vsla.book.views.members import MemberLine
    from vsla.book.views.report import CycleOutcome, GroupReport, SavixReport

PAGE_SIZE = 100
WEB_CHARTS = {
    "women-men": N_("Women and men"),
    "savings-loans": N_("Savings and loans over time"),
    "portfolio-at-risk": N_("Portfolio at risk over time"),
    "return-by-group": N_("Return by group"),
}
OVER_TIME = ("savings-loans", "portfolio-at-risk")
CHART_MONTHS = 6
DOWNLOADS = {
    "savix.csv": "text/csv; charset=utf-8",
    "savix.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "savix.parquet": "application/vnd.apache.parquet",
}


def helpers(language: str) -> dict[str, Callable[..., str]]:
    """The template's functions, in the reader's language."""

    def translate(message: str, **params: Any) -> str:
        return tr(message, language, **params)

    def money(amount_minor: float, code: str) -> str:
        """An amount (an average rounded to the minor unit) in the reader's way of writing."""
        return amount(round(amount_minor), code, language)

    def percent(value: float | None) -> str:
        if value is None:
            return tr(N_("n/a"), language)
        return f"{value * 100:.1f}%"

    def problem(p: Any) -> str:
        return render_problem(p, language)

    return {"_": translate, "money": money, "percent": percent, "problem": problem}


# -- the programme at a glance -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One figure for all, women and men: money (in `code`), an average of money, a count,
    or a ratio."""

    label: str
    kind: str  # "money", "average", "count" or "ratio"
    all: Any
    women: Any
    men: Any
    gendered: bool = False  # a None for women or men is "not available", not an empty cell


@dataclass(frozen=True, slots=True)
class Section:
    code: str
    groups: int
    lines: tuple[Line, ...]
    group_ratios: tuple[Line, ...]  # ratios of the groups' money, with no women and men


def currency_sections(report: SavixReport) -> list[Section]:
    sections = []
    for code, items in sorted(report.totals.items()):
        count = sum(1 for g in report.groups if g.currency == code and not g.refused)
        sections.append(Section(code, count, *figure_lines(items)))
    return sections


def figure_lines(items: Items) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    r = indicators(items)

    def split(label: str, kind: str, name: str) -> Line:
        value = getattr(items, name)
        return Line(label, kind, value.all, value.women, value.men, gendered=True)

    def ratio(label: str, value: Gendered, kind: str = "ratio") -> Line:
        return Line(label, kind, value.all, value.women, value.men, gendered=True)

    lines = (
        split(N_("Members"), "count", "members"),
        Line(N_("Women"), "ratio", r.percent_women, None, None),
        split(N_("Attending the last meeting"), "count", "attending_last_meeting"),
        split(N_("Dropouts this cycle"), "count", "dropouts"),
        split(N_("Savings"), "money", "savings_minor"),
        ratio(N_("Average savings per member"), r.average_savings_minor, "average"),
        split(N_("Loans outstanding: number"), "count", "loans_outstanding_count"),
        split(N_("Loans outstanding: value"), "money", "loans_outstanding_minor"),
        split(N_("Late loans: still owed"), "money", "late_loans_unpaid_minor"),
        ratio(N_("Portfolio at risk"), r.portfolio_at_risk),
        split(N_("Write-offs this cycle"), "money", "write_offs_minor"),
        ratio(N_("Attendance rate"), r.attendance_rate),
        ratio(N_("Retention rate"), r.retention_rate),
        ratio(N_("Members with a loan"), r.percent_with_loan),
    )
    group = (
        Line(N_("Loan-fund cash"), "money", items.loan_fund_cash_minor, None, None),
        Line(N_("Social fund"), "money", items.social_fund_minor, None, None),
        Line(N_("Loan fund utilisation"), "ratio", r.loan_fund_utilisation, None, None),
        Line(N_("Return on savings"), "ratio", r.return_on_savings, None, None),
        Line(N_("Return on assets"), "ratio", r.return_on_assets, None, None),
        Line(
            N_("Annualised return on savings"), "ratio", r.annualised_return_on_savings, None, None
        ),
        Line(N_("Annualised return on assets"), "ratio", r.annualised_return_on_assets, None, None),
    )
    return lines, group


# -- the groups --------------------------------------------------------------------------------

SORTS: dict[str, Callable[[GroupReport], Any]] = {
    "group": lambda g: g.group_id,
    "name": lambda g: g.name.casefold(),
    "members": lambda g: g.items.members.all,
    "women": lambda g: -1 if g.indicators.percent_women is None else g.indicators.percent_women,
    "savings": lambda g: (g.currency, g.items.savings_minor.all),
    "late": lambda g: (g.currency, g.items.late_loans_unpaid_minor.all),
    "risk": lambda g: (
        -1 if g.indicators.portfolio_at_risk.all is None else g.indicators.portfolio_at_risk.all
    ),
    "meeting": lambda g: g.last_meeting or date.min,
    "sync": lambda g: g.last_sync or "",
    "flags": lambda g: len(g.flags) + 100 * len(g.refused),
}
SHOWS: dict[str, Callable[[GroupReport], bool]] = {
    "all": lambda g: True,
    "stale": lambda g: any(
        f.code in ("savix.no_sync", "savix.quiet", "savix.no_meeting") for f in g.flags
    ),
    "late": lambda g: g.items.late_loans_unpaid_minor.all > 0,
    "flagged": lambda g: bool(g.flags or g.refused),
}


@dataclass(frozen=True, slots=True)
class GroupChoice:
    """How the groups list is sorted and filtered, from the page's address."""

    sort: str = "group"
    descending: bool = False
    show: str = "all"
    search: str = ""
    page: int = 1

    @classmethod
    def of(cls, query: dict[str, str]) -> GroupChoice:
        sort = query.get("sort", "group")
        show = query.get("show", "all")
        page = query.get("page", "1")
        return cls(
            sort=sort if sort in SORTS else "group",
            descending=query.get("dir") == "desc",
            show=show if show in SHOWS else "all",
            search=query.get("q", "")[:100],
            page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1,
        )

    def changed(self, **change: Any) -> dict[str, str]:
        chosen = replace(self, **change)
        return {
            "sort": chosen.sort,
            "dir": "desc" if chosen.descending else "asc",
            "show": chosen.show,
            "q": chosen.search,
            "page": str(chosen.page),
        }


def group_rows(report: SavixReport, chosen: GroupChoice) -> tuple[list[GroupReport], int]:
    """The page of groups chosen, and how many groups the choice has in all."""
    needle = chosen.search.casefold()
    found = [
        g
        for g in report.groups
        if SHOWS[chosen.show](g)
        and (not needle or needle in g.group_id.casefold() or needle in g.name.casefold())
    ]
    found.sort(key=SORTS[chosen.sort], reverse=chosen.descending)
    start = (chosen.page - 1) * PAGE_SIZE
    return found[start : start + PAGE_SIZE], len(found)


# -- one group -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupDetail:
    members: tuple[MemberLine, ...]
    late: tuple[LoanLine, ...]
    meetings: tuple[CyclePoint, ...]
    quarantined: tuple[Any, ...]


def group_detail(book: Book, group_id: str, today: date) -> GroupDetail:
    reader = book.reader
    return GroupDetail(
        members=reader.members(group_id).members,
        late=reader.loans(group_id, today).late,
        meetings=reader.cycle_series(group_id),
        quarantined=(),
    )


def with_quarantine(detail: GroupDetail, book: Book, group_id: str) -> GroupDetail:
    from vsla.book.sync import SyncHub

    return replace(detail, quarantined=tuple(SyncHub(book).quarantined(group_id)))


# -- charts and downloads ------------------------------------------------------------------------


def chart_days(today: date) -> tuple[date, ...]:
    """The ends of the last CHART_MONTHS months, then today."""
    ends, day = [], today.replace(day=1)
    for _ in range(CHART_MONTHS):
        day -= timedelta(days=1)
        ends.append(day)
        day = day.replace(day=1)
    return (*reversed(ends), today)


def chart(reports: tuple[SavixReport, ...], code: str, name: str, language: str) -> str:
    from vsla.exports.charts import chart_svgs

    svg = chart_svgs(reports, code, [name], translate=lambda m: tr(m, language))[name]
    return svg[svg.index("<svg") :]  # the XML declaration and doctype are for files


def download(
    report: SavixReport, outcomes: tuple[CycleOutcome, ...], name: str, language: str
) -> bytes:
    from vsla.exports import savix as out

    def translate(message: str) -> str:
        return tr(message, language)

    if name == "savix.csv":
        return out.to_csv(out.group_rows(report)).encode()
    with tempfile.TemporaryDirectory(prefix="vsla-staff-") as folder:
        path = Path(folder) / name
        if name == "savix.xlsx":
            out.write_xlsx(report, outcomes, path, translate)
        else:
            out.write_parquet(out.group_rows(report), path)
        return path.read_bytes()

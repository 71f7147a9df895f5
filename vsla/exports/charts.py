"""Charts of the programme report as PNG and SVG files, for donors' reports and slides.

Per currency (money is never added across currencies): savings and loans outstanding over the
dates, women against men now, the annualised return on savings of each group, and the
portfolio at risk over the dates; and the return of each finished cycle, women against men,
where there is one. Money is in whole units, ratios in percent; a ratio that is not available
(no denominator) is left out, never drawn as 0.

matplotlib is the optional `reports` extra: it is imported only here, when charts are made.
Figures are drawn by `Figure` and its Agg canvas, never through pyplot's interactive
backends; the SVG files keep their text as text and carry no date, so they are the same
from run to run.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ledger import N_, currency
from vsla.book.views.report import CycleOutcome, SavixReport
from vsla.domain.savix import Gendered, Items, indicators

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

MOST_GROUPS = 40  # bars of one chart; beyond, the top and the bottom half of it
LONGEST_NAME = 40  # characters of a group's name beside its bar
MOST_DATES = 8  # dates named under a chart over time
SIZE = (8.0, 4.5)  # inches, at 100 dots an inch

ALL, WOMEN, MEN = N_("all"), N_("women"), N_("men")


def write_charts(
    reports: tuple[SavixReport, ...],
    outcomes: tuple[CycleOutcome, ...],
    folder: Path,
    *,
    translate: Callable[[str], str],
) -> list[Path]:
    """The charts of `reports` (the report at each date, oldest first: the last is now) and of
    the finished cycles in `outcomes`, as NAME-CUR.png and NAME-CUR.svg in `folder`."""
    import matplotlib

    folder.mkdir(parents=True, exist_ok=True)
    codes = sorted(
        {g.currency for r in reports for g in r.groups} | {c for r in reports for c in r.totals}
    )
    written: list[Path] = []
    # Text stays text in SVG, ids come from a fixed salt (the same file at every run), and a
    # "$" in a group's name is a dollar, not the start of a formula.
    with matplotlib.rc_context(
        {"svg.hashsalt": "vsla", "svg.fonttype": "none", "text.parse_math": False}
    ):
        for code in codes:
            charts = _Charts(reports, code, translate)
            written += _save(charts.savings_loans(), folder / f"savings-loans-{code}")
            written += _save(charts.women_men(), folder / f"women-men-{code}")
            written += _save(charts.return_by_group(), folder / f"return-by-group-{code}")
            written += _save(charts.portfolio_at_risk(), folder / f"portfolio-at-risk-{code}")
            cycles = [o for o in outcomes if o.currency == code]
            if cycles:
                written += _save(charts.share_outs(cycles), folder / f"share-out-returns-{code}")
    return written


CHART_NAMES = ("savings-loans", "women-men", "return-by-group", "portfolio-at-risk")


def chart_svgs(
    reports: tuple[SavixReport, ...],
    code: str,
    names: Sequence[str],
    *,
    translate: Callable[[str], str],
) -> dict[str, str]:
    """The named charts of one currency as SVG text, for a web page (the hub's staff pages
    draw with this same code)."""
    import io

    import matplotlib

    made: dict[str, str] = {}
    with matplotlib.rc_context(
        {"svg.hashsalt": "vsla", "svg.fonttype": "none", "text.parse_math": False}
    ):
        charts = _Charts(reports, code, translate)
        draw = {
            "savings-loans": charts.savings_loans,
            "women-men": charts.women_men,
            "return-by-group": charts.return_by_group,
            "portfolio-at-risk": charts.portfolio_at_risk,
        }
        for name in names:
            out = io.StringIO()
            draw[name]().savefig(out, format="svg", metadata={"Date": None})
            made[name] = out.getvalue()
    return made


class _Charts:
    """The charts of one currency."""

    def __init__(
        self, reports: Sequence[SavixReport], code: str, translate: Callable[[str], str]
    ) -> None:
        self.reports, self.code, self.tr = reports, code, translate
        self.unit = currency(code).unit_minor
        self.totals = [r.totals.get(code) for r in reports]  # None: every group refused
        self.now = reports[-1]

    def title(self, message: str, **params: object) -> str:
        return self.tr(message).format(currency=self.code, **params)

    def savings_loans(self) -> Figure:
        fig, ax = _figure()
        days = self._days()
        for label, name in (
            (N_("savings"), "savings_minor"),
            (N_("loans outstanding"), "loans_outstanding_minor"),
        ):
            values = [
                math.nan if t is None else getattr(t, name).all / self.unit for t in self.totals
            ]
            ax.plot(days, values, marker="o", label=self.tr(label))
        self._dates(ax, self.title(N_("Savings and loans outstanding ({currency})")))
        ax.set_ylabel(self.title(N_("{currency}, whole units")))
        _thousands(ax.yaxis)
        return fig

    def women_men(self) -> Figure:
        from matplotlib.figure import Figure

        fig = Figure(figsize=(SIZE[0], SIZE[1] + 0.5), layout="constrained")
        money, ratios = fig.subplots(1, 2, width_ratios=(2, 3))
        now = self.totals[-1]
        found = indicators(now if now is not None else Items())
        _pairs(
            money,
            [self.tr(N_("savings per member")), self.tr(N_("average loan"))],
            [found.average_savings_minor, found.average_loan_minor],
            1 / self.unit,
            self.tr,
        )
        money.set_ylabel(self.title(N_("{currency}, whole units")))
        _thousands(money.yaxis)
        _pairs(
            ratios,
            [
                self.tr(N_("attendance")),
                self.tr(N_("with a loan")),
                self.tr(N_("portfolio at risk")),
            ],
            [found.attendance_rate, found.percent_with_loan, found.portfolio_at_risk],
            100,
            self.tr,
        )
        _percent(ratios.yaxis)
        fig.suptitle(
            self.title(N_("Women and men ({currency}), {date}"), date=self.now.as_of.isoformat())
        )
        return fig

    def return_by_group(self) -> Figure:
        returns = sorted(
            (r, g.name)
            for g in self.now.groups
            if g.currency == self.code and not g.refused
            if (r := g.indicators.annualised_return_on_savings) is not None
        )
        title = self.title(
            N_("Annualised return on savings by group ({currency}), {date}"),
            date=self.now.as_of.isoformat(),
        )
        if len(returns) > MOST_GROUPS:
            title += "\n" + self.tr(N_("the top and bottom {count} of {total} groups")).format(
                count=MOST_GROUPS // 2, total=len(returns)
            )
            returns = returns[: MOST_GROUPS // 2] + returns[-MOST_GROUPS // 2 :]
        fig, ax = _figure(height=max(SIZE[1], 1.5 + 0.25 * len(returns)))
        ax.barh(range(len(returns)), [float(r) * 100 for r, _ in returns])
        names = [textwrap.shorten(name, LONGEST_NAME, placeholder="…") for _, name in returns]
        ax.set_yticks(range(len(returns)), names)
        ax.axvline(0, color="black", linewidth=0.8)
        _percent(ax.xaxis)
        ax.set_title(title)
        if not returns:
            _say(ax, self.tr(N_("No group has an annualised return yet")))
        return fig

    def portfolio_at_risk(self) -> Figure:
        fig, ax = _figure()
        days = self._days()
        found = [None if t is None else indicators(t).portfolio_at_risk for t in self.totals]
        for label in (ALL, WOMEN, MEN):
            values = [_value(None if g is None else _part(g, label), 100) for g in found]
            ax.plot(days, values, marker="o", label=self.tr(label))
        self._dates(ax, self.title(N_("Portfolio at risk ({currency})")))
        _percent(ax.yaxis)
        return fig

    def share_outs(self, cycles: Sequence[CycleOutcome]) -> Figure:
        cycles = sorted(cycles, key=lambda o: o.shared_out_on)[-MOST_GROUPS:]
        fig, ax = _figure(height=max(2.5, 1.5 + 0.5 * len(cycles)))
        labels = [
            self.tr(N_("{group}, cycle {cycle}")).format(group=o.name, cycle=o.cycle)
            for o in cycles
        ]
        _pairs(ax, labels, [o.returns() for o in cycles], 100, self.tr, horizontal=True)
        _percent(ax.xaxis)
        ax.set_title(self.title(N_("Return on savings at share-out ({currency})")))
        return fig

    def _days(self) -> list[int]:
        """The x of each date: days since the first, so that dates stand at their distance."""
        first = self.reports[0].as_of
        return [(r.as_of - first).days for r in self.reports]

    def _dates(self, ax: Axes, title: str) -> None:
        days, step = self._days(), max(1, math.ceil(len(self.reports) / MOST_DATES))
        labels = [r.as_of.isoformat() for r in self.reports]
        ax.set_xticks(days[::step], labels[::step], rotation=30, ha="right")
        ax.set_ylim(bottom=0)
        ax.set_title(title)
        ax.legend()
        ax.grid(alpha=0.3)


def _figure(height: float = SIZE[1]) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(SIZE[0], height), layout="constrained")
    return fig, fig.subplots()


def _part(ratios: Gendered, label: str) -> float | None:
    return {ALL: ratios.all, WOMEN: ratios.women, MEN: ratios.men}[label]


def _value(ratio: float | None, scale: float) -> float:
    return math.nan if ratio is None else float(ratio) * scale


def _pairs(
    ax: Axes,
    labels: list[str],
    ratios: Sequence[Gendered],
    scale: float,
    tr: Callable[[str], str],
    *,
    horizontal: bool = False,
) -> None:
    """Bars of women and of men side by side for each label (a missing ratio: no bar)."""
    width = 0.4
    first = width / 2 if horizontal else -width / 2  # women first: on top, or on the left
    for offset, label in ((first, WOMEN), (-first, MEN)):
        places = [i + offset for i in range(len(labels))]
        values = [_value(_part(r, label), scale) for r in ratios]
        if horizontal:
            ax.barh(places, values, height=width, label=tr(label))
        else:
            ax.bar(places, values, width=width, label=tr(label))
    if horizontal:
        ax.set_yticks(range(len(labels)), labels)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.legend(loc="upper left", bbox_to_anchor=(1, 1))  # beside the bars, never on them
    else:
        ax.set_xticks(range(len(labels)), [textwrap.fill(label, 16) for label in labels])
        ax.legend()


def _thousands(axis: Axis) -> None:
    from matplotlib.ticker import StrMethodFormatter

    axis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))


def _percent(axis: Axis) -> None:
    from matplotlib.ticker import PercentFormatter

    axis.set_major_formatter(PercentFormatter(xmax=100))


def _say(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)


def _save(fig: Figure, stem: Path) -> list[Path]:
    png, svg = stem.with_suffix(".png"), stem.with_suffix(".svg")
    fig.savefig(png, metadata={"Software": None})
    fig.savefig(svg, metadata={"Date": None})
    return [png, svg]

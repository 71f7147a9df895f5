"""The group's figures for the programme report (SAVIX), as of today: for all members, for
women and for men; a chart of women against men; and the figures staff should confirm."""

from __future__ import annotations

from typing import ClassVar, cast

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static
from textual_plotext import PlotextPlot

from ledger import N_
from tui.screens.base import GroupScreen
from tui.text import language, problem_text, right, show_amount, t
from tui.widgets.footer import KeysFooter
from vsla.book.views.report import GroupReport
from vsla.domain.savix import Gendered, Split

NOT_AVAILABLE = N_("n/a")
GENDERS = (N_("all"), N_("women"), N_("men"))  # the columns, in the order of `gendered`


def gendered(ratio: Gendered) -> tuple[float | None, float | None, float | None]:
    return ratio.all, ratio.women, ratio.men


class ReportsScreen(GroupScreen):
    HELP = N_(
        "The group's figures for the programme report, as of today, from its last meeting: "
        "for all members, for women and for men. Portfolio at risk is what late loans still "
        "owe, out of all loans outstanding; the returns are the group's profit, out of its "
        "savings or its assets (annualised: as if over a whole year). n/a: nothing to divide "
        "by. Amounts are in whole units of the group's currency. The flags are figures that "
        "look unusual: check them in the book."
    )
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", N_("Back"))]
    DEFAULT_CSS = """
    #report-figures { height: auto; padding: 0 1; }
    #report-plot { height: 1fr; min-height: 6; }
    #report-flags { height: auto; max-height: 3; padding: 0 1; }
    #report-flag-lines.flagged { color: $warning; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="report-title", classes="title")
        yield Static("", id="report-figures")
        yield PlotextPlot(id="report-plot")
        with VerticalScroll(id="report-flags"):
            yield Static("", id="report-flag-lines")
        yield KeysFooter()

    def on_mount(self) -> None:
        report = self.reader.savix(self.today, (self.group_id,)).groups[0]
        self.report = report
        self.query_one("#report-title", Static).update(
            Text(
                t(
                    N_("{group} · programme report on {date} · {code}"),
                    group=report.name,
                    date=self.today.isoformat(),
                    code=report.currency,
                )
            )
        )
        self.query_one("#report-figures", Static).update(self._table(report))
        self._chart(report)
        flags = self.query_one("#report-flag-lines", Static)
        flags.update(self._flags(report))
        flags.set_class(bool(report.flags or report.refused), "flagged")
        self.query_one("#report-flags").focus()  # the arrows scroll the flags, when many

    def _table(self, report: GroupReport) -> Table:
        items, ratios = report.items, report.indicators
        table = Table(box=None, padding=(0, 1), expand=False, show_edge=False)
        table.add_column("")
        for title in GENDERS:
            table.add_column(t(title), justify="right")

        def counts(split: Split) -> list[str]:
            return [str(split.all), str(split.women), str(split.men)]

        def money(split: Split) -> list[str]:
            return [self._amount(split.all), self._amount(split.women), self._amount(split.men)]

        rows: list[tuple[str, list[str]]] = [
            (N_("Members"), counts(items.members)),
            (N_("Attending the last meeting"), counts(items.attending_last_meeting)),
            (N_("Savings"), money(items.savings_minor)),
            (N_("Loans outstanding: number"), counts(items.loans_outstanding_count)),
            (N_("Loans outstanding: value"), money(items.loans_outstanding_minor)),
            (N_("Late loans: still owed"), money(items.late_loans_unpaid_minor)),
            (
                N_("Portfolio at risk"),
                [self._percent(r) for r in gendered(ratios.portfolio_at_risk)],
            ),
            (N_("Return on savings"), [self._percent(ratios.return_on_savings), "", ""]),
            (
                N_("Annualised return on assets"),
                [self._percent(ratios.annualised_return_on_assets), "", ""],
            ),
        ]
        for label, cells in rows:
            table.add_row(t(label), *(right(cell) for cell in cells))
        return table

    def _chart(self, report: GroupReport) -> None:
        plt = self.query_one(PlotextPlot).plt
        ratios = report.indicators
        unit = self.state.currency.unit_minor
        pairs = (ratios.average_savings_minor, ratios.average_loan_minor)
        women = [0 if p.women is None else round(p.women / unit) for p in pairs]
        men = [0 if p.men is None else round(p.men / unit) for p in pairs]
        labels = [t(N_("savings per member")), t(N_("average loan"))]
        for i, pair in enumerate(pairs):  # a bar of 0 is not the same as no figure at all
            _all, *split = gendered(pair)
            missing = [t(g) for g, v in zip(GENDERS[1:], split, strict=True) if v is None]
            if missing:
                labels[i] += f" ({', '.join(missing)}: {t(NOT_AVAILABLE)})"
        # textual-plotext's stub names it `label`; plotext itself takes `labels`, one a series.
        plt.multiple_bar(  # type: ignore[call-arg]
            labels, [women, men], labels=[t(g) for g in GENDERS[1:]]
        )
        plt.title(t(N_("Women and men, in {code}"), code=report.currency))
        high = max(1, *women, *men) * 5 // 4  # room above the bars for the legend
        plt.ylim(0, high)
        ticks = [high * i // 4 for i in range(5)]
        # plotext types its ticks as floats; whole numbers are what it draws them from.
        plt.yticks(cast("list[float]", ticks), [self._whole(tick) for tick in ticks])

    def _flags(self, report: GroupReport) -> Text:
        country = report.country
        lines = [
            "⚠ " + t(N_("left out of the totals: {reason}"), reason=problem_text(p, country))
            for p in report.refused
        ]
        lines += ["⚠ " + problem_text(p, country) for p in report.flags]
        # Text, not markup: a "[" in a message is shown as it is.
        return Text("\n".join(lines) or t(N_("No data-quality flags: the figures look usual.")))

    def _amount(self, amount_minor: int) -> str:
        return show_amount(amount_minor, self.state.currency, self.state.country)

    def _whole(self, units: int) -> str:
        return self._amount(units * self.state.currency.unit_minor)

    def _percent(self, ratio: float | None) -> str:
        if ratio is None:
            return t(NOT_AVAILABLE)
        from babel.numbers import format_percent

        from vsla.display import locale_for

        return str(
            format_percent(
                float(ratio), "#,##0.0%", locale=locale_for(language(), self.state.country)
            )
        )

    def action_back(self) -> None:
        self.app.pop_screen()

"""Charts for those who would rather look than read: savings growing over the cycle, loans
outstanding, and the cash in the box at each meeting. Amounts are shown in whole units."""

from __future__ import annotations

from typing import ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from ledger import N_
from tui.screens.base import BookScreen
from tui.text import show_amount, t
from tui.widgets.footer import KeysFooter
from vsla.book.session import BookSession

CHARTS = (
    ("savings", N_("Savings")),
    ("loans", N_("Loans outstanding")),
    ("cash", N_("Cash in the box")),
)


class ChartsScreen(BookScreen):
    HELP = N_(
        "One point per meeting of this cycle. 1, 2 and 3 (or the arrows on the tabs) choose "
        "the chart. Amounts are in whole units of the group's currency."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Back")),
        Binding("1", "show('savings')", N_("Savings")),
        Binding("2", "show('loans')", N_("Loans")),
        Binding("3", "show('cash')", N_("Cash")),
    ]

    def __init__(self, session: BookSession, group_id: str) -> None:
        super().__init__(session)
        self.group_id = group_id
        self.state = self.reader.state(group_id)
        self.series = self.reader.cycle_series(group_id)

    def compose(self) -> ComposeResult:
        yield Static(
            t(
                N_("{group} · cycle {cycle} · {code}"),
                group=self.state.name,
                cycle=self.state.cycle_number,
                code=self.state.currency.code,
            ),
            classes="title",
        )
        with TabbedContent(id="charts"):
            for key, title in CHARTS:
                with TabPane(t(title), id=key):
                    yield PlotextPlot(id=f"plot-{key}")
        yield KeysFooter()

    def on_mount(self) -> None:
        unit = self.state.currency.unit_minor
        meetings = [point.number for point in self.series]

        def whole(key: str) -> list[int]:
            return [int(getattr(point, key)) // unit for point in self.series]

        plots = {key: self.query_one(f"#plot-{key}", PlotextPlot).plt for key, _title in CHARTS}
        for plt in plots.values():
            plt.xlabel(t(N_("meeting")))
        if not meetings:
            for plt in plots.values():
                plt.title(t(N_("No meeting yet this cycle")))
            return
        savings, loans = whole("savings_minor"), whole("loans_outstanding_minor")
        loan_fund, social_fund = whole("loan_fund_cash_minor"), whole("social_fund_cash_minor")
        plots["savings"].plot(meetings, savings, marker="braille")
        plots["savings"].title(t(N_("Savings of all members")))
        plots["loans"].bar(meetings, loans)
        plots["loans"].title(t(N_("Loans outstanding")))
        plots["cash"].plot(meetings, loan_fund, label=t(N_("loan fund")), marker="braille")
        plots["cash"].plot(meetings, social_fund, label=t(N_("social fund")), marker="braille")
        plots["cash"].title(t(N_("Cash in the box after each meeting")))
        for key, values in (
            ("savings", savings),
            ("loans", loans),
            ("cash", loan_fund + social_fund),
        ):
            self._axes(plots[key], meetings, values)

    def _axes(self, plt: Plot, meetings: list[int], values: list[int]) -> None:
        """Whole numbers on both axes, amounts grouped the local way (plotext shows 1146000.0)."""
        low, high = min(0, *values), max(1, *values)
        ticks = sorted({low + (high - low) * i // 4 for i in range(5)})
        cur, country = self.state.currency, self.state.country
        # plotext types its ticks as floats; whole numbers are what it draws them from.
        labels = [show_amount(tick * cur.unit_minor, cur, country) for tick in ticks]
        plt.yticks(cast("list[float]", ticks), labels)
        step = max(1, len(meetings) // 8)
        shown = meetings[::step]
        plt.xticks(cast("list[float]", shown), [str(number) for number in shown])

    def action_show(self, key: str) -> None:
        self.query_one(TabbedContent).active = key

    def action_back(self) -> None:
        self.app.pop_screen()

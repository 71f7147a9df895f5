"""The programme report's charts as files: one PNG and one SVG per chart and currency, titles
through the translation, every group with a return named, the same bytes at every run."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from ledger import Problem
from vsla.book.reader import Reader
from vsla.book.views.report import GroupReport, SavixReport
from vsla.domain.savix import Items, Split, indicators
from vsla.exports.charts import MOST_GROUPS, write_charts

pytest.importorskip("matplotlib")

TODAY = date(2026, 11, 29)
DATES = (date(2026, 6, 3), date(2026, 9, 2), TODAY)
CHARTS = ("savings-loans", "women-men", "return-by-group", "portfolio-at-risk")
PNG = b"\x89PNG\r\n\x1a\n"


def marked(message: str) -> str:
    """A stand-in language: every message that went through the translation shows it."""
    return f"«{message}»"


def texts(svg: Path) -> list[str]:
    """The text elements of an SVG file (its XML must parse), in the order drawn."""
    root = ET.parse(svg).getroot()
    return [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from vsla.demo import ensure_demo

    path = tmp_path_factory.mktemp("charts") / "demo.sqlite"
    ensure_demo(path, today=TODAY)
    return path


@pytest.fixture(scope="module")
def charts(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    reader = Reader.open(demo, read_only=True)
    try:
        reports, outcomes = reader.savix_series(DATES), reader.cycle_outcomes()
    finally:
        reader.close()
    folder = tmp_path_factory.mktemp("out") / "charts"  # made by write_charts
    return folder, write_charts(reports, outcomes, folder, translate=marked)


def test_each_chart_of_each_currency_is_written_as_png_and_svg(
    charts: tuple[Path, list[Path]],
) -> None:
    folder, written = charts
    # The demo: three groups in Congolese francs, one of which shared out a cycle; one in
    # Ugandan shillings. Money is never added across currencies: every chart is per currency.
    expected = {
        f"{name}-{code}.{kind}"
        for code in ("CDF", "UGX")
        for name in CHARTS
        for kind in ("png", "svg")
    } | {"share-out-returns-CDF.png", "share-out-returns-CDF.svg"}
    assert sorted(p.name for p in written) == sorted(expected)
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)
    for path in written:
        if path.suffix == ".png":
            assert path.read_bytes().startswith(PNG)
            from matplotlib.image import imread

            image = imread(path)
            height, width = image.shape[:2]
            assert width >= 600 and height >= 200
            colours = {tuple(pixel) for pixel in image.reshape(-1, image.shape[2])[::7]}
            assert len(colours) > 20, f"{path.name} looks blank"
        else:
            assert texts(path), f"{path.name} has no text"


@pytest.mark.parametrize("code", ["CDF", "UGX"])
def test_titles_and_labels_go_through_the_translation(
    code: str, charts: tuple[Path, list[Path]]
) -> None:
    folder, _written = charts
    titles = {
        "savings-loans": f"«Savings and loans outstanding ({code})»",
        "women-men": f"«Women and men ({code}), {TODAY.isoformat()}»",
        "return-by-group": (
            f"«Annualised return on savings by group ({code}), {TODAY.isoformat()}»"
        ),
        "portfolio-at-risk": f"«Portfolio at risk ({code})»",
    }
    for name, title in titles.items():
        assert title in texts(folder / f"{name}-{code}.svg")
    assert {"«women»", "«men»", "«with a loan»", "«attendance»"} <= set(
        texts(folder / f"women-men-{code}.svg")
    )
    assert {"«all»", "«women»", "«men»"} <= set(texts(folder / f"portfolio-at-risk-{code}.svg"))


@pytest.mark.parametrize("code", ["CDF", "UGX"])
def test_the_return_chart_names_every_group_with_a_return(
    code: str, demo: Path, charts: tuple[Path, list[Path]]
) -> None:
    folder, _written = charts
    reader = Reader.open(demo, read_only=True)
    try:
        groups = reader.groups()
        report = reader.savix(TODAY)
    finally:
        reader.close()
    # A group has an annualised return once it met after its savings started: in the demo,
    # every group of the currency; none of another currency.
    having = {
        g.name
        for g in groups
        if g.currency == code and g.last_meeting_on is not None and g.cycle_start < TODAY
    }
    assert having
    shown = texts(folder / f"return-by-group-{code}.svg")
    names = [text for text in shown if text in {g.name for g in groups}]
    assert set(names) == having
    # From the lowest return at the bottom to the highest at the top.
    returns = {
        g.name: g.indicators.annualised_return_on_savings for g in report.groups if g.name in having
    }
    assert names == sorted(names, key=lambda name: returns[name] or 0)


def test_of_many_groups_the_top_and_the_bottom_are_shown(tmp_path: Path) -> None:
    many = 2 * MOST_GROUPS + 5
    # Returns of -45% to +44%: group k earns k - 45 on 100 saved, over a year.
    groups = tuple(
        _group(f"g{k:02d}", f"Group {k:02d}", Fraction(k - 45, 100)) for k in range(many)
    )
    report = SavixReport(TODAY, groups, {"GHS": Items()})
    written = write_charts((report,), (), tmp_path, translate=marked)
    shown = texts(tmp_path / "return-by-group-GHS.svg")
    names = [text for text in shown if text.startswith("Group ")]
    half = MOST_GROUPS // 2
    assert names == [f"Group {k:02d}" for k in (*range(half), *range(many - half, many))]
    assert f"«the top and bottom {half} of {many} groups»" in " ".join(shown)
    again = tmp_path / "again"
    write_charts((report,), (), again, translate=marked)
    for path in written:  # the same files at every run: no date, no random ids
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_currency_without_any_return_still_gets_its_chart_saying_so(tmp_path: Path) -> None:
    # One group has no annualised return (as on the day its savings started); the other has
    # one, but impossible figures: refused, it is in no total and on no chart.
    refused = replace(
        _group("r", "Refused", Fraction(1, 2)),
        refused=(Problem("savix.future", "a meeting is dated after the reporting date", {}),),
    )
    report = SavixReport(TODAY, (_group("g", "Young", None), refused), {"GHS": Items()})
    write_charts((report,), (), tmp_path, translate=marked)
    shown = texts(tmp_path / "return-by-group-GHS.svg")
    assert "«No group has an annualised return yet»" in shown
    assert not {"Young", "Refused"} & set(shown)


def _group(group_id: str, name: str, annual_return: Fraction | None) -> GroupReport:
    """A group of Ghana saving 100 cedis, earning `annual_return` on it in a year."""
    base = Items(members=Split(4, 1), savings_minor=Split(80_00, 20_00))
    if annual_return is not None:
        base = replace(
            base,
            annual_profit_minor=annual_return * base.savings_minor.all,
            annual_savings_minor=base.savings_minor.all,
            annual_assets_minor=base.savings_minor.all,
        )
    return GroupReport(
        group_id=group_id,
        name=name,
        currency="GHS",
        country="GH",
        facilitator=None,
        last_sync=None,
        cycle=1,
        cycle_start=TODAY - timedelta(days=364),
        last_meeting=TODAY,
        shared_out=False,
        items=base,
        indicators=indicators(base),
        flags=(),
        refused=(),
    )

"""Tables for the terminal that never cut what people type back or dial (ids, phones,
dates): imported only by commands that print a table, not by those that print JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console
from rich.table import Column as RichColumn
from rich.table import Table
from rich.text import Text


def terminal() -> Console:
    """Where a command prints: made when it prints, so that it takes the terminal's width
    (or COLUMNS) of that moment, not of when the module was imported."""
    return Console()


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a CLI table. `whole`: a value people type back or dial (an id, a phone
    number, a date), never cut or folded. `drop`: when the terminal is too narrow for every
    column, those with a `drop` rank go first, lowest rank first; 0 means always shown."""

    header: str
    whole: bool = False
    drop: int = 0


def fitted_table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> Table:
    """A table no wider than `width` in which no `whole` column is cut.

    Rich shrinks columns evenly and cuts what no longer fits with "…", ids included. Here the
    columns that may go are dropped until every `whole` value fits on one line and every
    other column keeps its longest word; each column then gets its width explicitly, so that
    rich shrinks nothing.
    """
    natural, narrowest = _widest(columns, rows), _narrowest(columns, rows)
    shown = list(range(len(columns)))
    for index in sorted(
        (i for i, c in enumerate(columns) if c.drop), key=lambda i: columns[i].drop
    ):
        if _table_width({i: narrowest[i] for i in shown}) <= width:
            break
        shown.remove(index)
    table = Table(*(_rich_column(columns[i]) for i in shown))
    for row in rows:
        table.add_row(*(Text(row[i]) for i in shown))  # a name is text, never rich markup
    if _table_width({i: natural[i] for i in shown}) > width:
        widths = _column_widths(columns, shown, natural, narrowest, width)
        for column, index in zip(table.columns, shown, strict=True):
            column.width = None if widths is None else widths[index]
    return table


def _column_widths(
    columns: Sequence[Column],
    shown: list[int],
    natural: list[int],
    narrowest: list[int],
    width: int,
) -> dict[int, int] | None:
    """Each shown column's width: at least its narrowest or, when even that is too wide, the
    `whole` columns whole and the others folded inside words; None when the `whole` columns
    alone do not fit (rich then does what it can)."""
    start = {i: narrowest[i] for i in shown}
    if _table_width(start) > width:
        start = {i: narrowest[i] if columns[i].whole else 1 for i in shown}
        if _table_width(start) > width:
            return None
    return _share_out_space(start, natural, width - _table_width(start))


def _rich_column(column: Column) -> RichColumn:
    # fold, never "…": a long word wraps onto the next line instead of losing its end
    return RichColumn(column.header, overflow="fold")


def _cells(columns: Sequence[Column], rows: Sequence[Sequence[str]], index: int) -> list[str]:
    return [columns[index].header, *(row[index] for row in rows)]


def _widest(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width with nothing wrapped."""
    return [
        max(
            cell_len(line)
            for cell in _cells(columns, rows, i)
            for line in cell.splitlines() or [""]
        )
        for i in range(len(columns))
    ]


def _narrowest(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width with every cell wrapped at spaces, `whole` values excepted."""
    widths = []
    for i, column in enumerate(columns):
        words = [w for cell in _cells(columns, rows, i)[1:] for w in _words(cell, column.whole)]
        words += _words(column.header, whole=False)  # a header may always wrap
        widths.append(max((cell_len(w) for w in words), default=1))
    return widths


def _words(text: str, whole: bool) -> list[str]:
    return text.splitlines() if whole else text.split()


def _table_width(widths: dict[int, int]) -> int:
    """Columns of these widths, their padding (a space each side) and the rules between and
    around them."""
    return sum(width + 2 for width in widths.values()) + len(widths) + 1


def _share_out_space(widths: dict[int, int], wanted: Sequence[int], spare: int) -> dict[int, int]:
    """`spare` columns of space given one at a time to the columns still short of their
    natural width, in turn, so that no column wraps much more than another."""
    widths = dict(widths)
    while spare > 0:
        short = [i for i in widths if widths[i] < wanted[i]]
        if not short:
            break
        for i in short[:spare]:
            widths[i] += 1
        spare -= min(len(short), spare)
    return widths

"""The report's JSON written straight to text, byte for byte what `json.dumps` makes of
`SavixReport.to_json()` (compact, UTF-8 kept): a report of 10,000 groups is a million values,
and building a dict of each group only to encode it again took as long as the report itself.
A test compares the two on every book it has.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

from vsla.book.views.report import (
    DIGITS,
    GROUP_HEAD,
    MONEY_ITEMS,
    RATIOS,
    SPLIT_ITEMS,
    GroupReport,
    SavixReport,
    problem_json,
)
from vsla.domain.savix import Gendered


def _keys() -> list[str]:
    keys = [*GROUP_HEAD, *SPLIT_ITEMS, *MONEY_ITEMS]
    for name in RATIOS:  # a ratio with women's and men's versions is three keys
        keys += [name, f"{name}_women", f"{name}_men"] if name in _GENDERED else [name]
    return [*keys, "flags", "refused"]


_GENDERED = frozenset(
    {
        "attendance_rate",
        "dropout_rate",
        "retention_rate",
        "membership_growth",
        "average_savings_minor",
        "percent_with_loan",
        "average_loan_minor",
        "portfolio_at_risk",
    }
)
_GROUP = "{" + ",".join(f'"{key}":%s' for key in _keys()) + "}"
_SPLIT = '{"all":%d,"women":%d,"men":%d}'
_string: Callable[[str], str] = encode_basestring


def savix_json_text(report: SavixReport) -> str:
    """`json.dumps(report.to_json(), ensure_ascii=False, separators=(",", ":"))`, faster."""
    totals = json.dumps(report.totals_json(), ensure_ascii=False, separators=(",", ":"))
    groups = ",".join(_group(g) for g in report.groups)
    return f'{{"as_of":"{report.as_of.isoformat()}","groups":[{groups}],"totals":{totals}}}'


def _text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return _string(value)  # what json.dumps(..., ensure_ascii=False) writes for a str
    return repr(value)


def _group(g: GroupReport) -> str:
    values: list[str] = [
        _text(g.group_id),
        _text(g.name),
        _text(g.currency),
        _text(g.country),
        _text(g.facilitator),
        _text(g.last_sync),
        _text(g.cycle),
        "null" if g.cycle_start is None else f'"{g.cycle_start.isoformat()}"',
        "null" if g.last_meeting is None else f'"{g.last_meeting.isoformat()}"',
        "true" if g.shared_out else "false",
    ]
    items = g.items
    for name in SPLIT_ITEMS:
        women, men = getattr(items, name)
        values.append(_SPLIT % (women + men, women, men))
    values += [str(getattr(items, name)) for name in MONEY_ITEMS]
    for value in g.indicators:
        if isinstance(value, Gendered):
            values += ["null" if v is None else repr(round(v, DIGITS)) for v in value]
        else:
            values.append("null" if value is None else repr(round(value, DIGITS)))
    for problems in (g.flags, g.refused):
        values.append(
            json.dumps(
                [problem_json(p) for p in problems], ensure_ascii=False, separators=(",", ":")
            )
            if problems
            else "[]"
        )
    return _GROUP % tuple(values)

"""Members' names cut to a narrow column so that two members never look the same.

Cutting the end is what people read best ("Mapendo Mape…"), but two sisters-in-law named
"Esperance Kabila" and "Esperance Kalume" would both read "Esperance K…". Names that would
clash keep their start and their end instead, the family name whole when it fits
("Esper…Kabila", "Esper…Kalume").
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

ELLIPSIS = "…"


def fit_name(name: str, width: int) -> str:
    """`name` cut at the end to `width` characters (not padded)."""
    if len(name) <= width:
        return name
    return name[: max(width - 1, 0)].rstrip() + ELLIPSIS if width > 1 else name[:width]


def short_names(names: list[str], width: int) -> list[str]:
    """Each name in at most `width` characters, distinct whenever the names are."""
    return list(_short_names(tuple(names), width))


@lru_cache(maxsize=32)
def _short_names(names: tuple[str, ...], width: int) -> tuple[str, ...]:
    shown = [fit_name(name, width) for name in names]
    # Each round keeps one more letter of the end of every name that still clashes; a name
    # never gets shorter than one letter on each side of the "…".
    for tail in range(1, max(width - 1, 1)):
        clashing = _clashing(names, shown)
        if not clashing:
            break
        for index in clashing:
            shown[index] = _ends(names[index], width, max(tail, _family(names[index], width)))
    return tuple(shown)


def _clashing(names: tuple[str, ...], shown: list[str]) -> list[int]:
    """Rows whose shown name is also another member's, when their names differ."""
    seen = Counter(shown)
    same_name = Counter(names)
    return [
        index
        for index, text in enumerate(shown)
        if seen[text] > same_name[names[index]] and text != names[index]
    ]


def _family(name: str, width: int) -> int:
    """How much of the end to keep at first: the last word (the family name), leaving at
    least three letters of the start."""
    words = name.split()
    return min(len(words[-1]), width - 4) if len(words) > 1 else 0


def _ends(name: str, width: int, tail: int) -> str:
    if len(name) <= width or width < 3:
        return fit_name(name, width)
    tail = min(max(tail, 1), width - 2)
    head = width - 1 - tail
    return name[:head].rstrip() + ELLIPSIS + name[-tail:].lstrip()

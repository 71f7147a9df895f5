"""Text that survives the GSM 03.38 basic alphabet (SMS and USSD screens).

French and Lingala letters outside it (ê, ç, œ, ɛ, ɔ, tone marks) are transliterated, the way
people already write them on basic phones.
"""

from __future__ import annotations

import unicodedata

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM = frozenset(GSM_BASIC)
_SPECIAL = {
    "ɛ": "e",
    "Ɛ": "E",
    "ɔ": "o",
    "Ɔ": "O",
    "œ": "oe",
    "Œ": "OE",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "ç": "c",
    "₵": "GHS",
    "×": "x",
    "÷": "/",
}


def to_gsm7(text: str) -> str:
    out: list[str] = []
    # Babel writes the cedi "GH₵": its code, not "GH" and the code again.
    for char in text.replace("GH₵", "GHS"):
        if char in _GSM:
            out.append(char)
        elif char in _SPECIAL:
            out.append(_SPECIAL[char])
        else:
            stripped = "".join(
                c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
            )
            out.append(stripped if stripped and all(c in _GSM for c in stripped) else "?")
    return "".join(out)


def is_gsm7(text: str) -> bool:
    return all(char in _GSM for char in text)

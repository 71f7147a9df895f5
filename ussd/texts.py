"""What the phone screens say, as catalogue messages, and how a screen is made to fit.

A USSD screen holds at most 160 characters of the GSM 03.38 alphabet: every text is
translated, transliterated (`ɛ` → `e`), and checked against the limit in tests for every
language with the longest real values. Figures are never cut: a screen that would not fit
drops its optional lines first.
"""

from __future__ import annotations

from datetime import date

from ledger import N_
from vsla.display import money
from vsla.i18n import tr
from vsla.sms.gsm import to_gsm7

SCREEN_LIMIT = 160

# The numbers of the menus are a public contract: people learn the paths by heart, and they are
# the same in every language.
LANGUAGE_CHOICES = (("1", "en", "English"), ("2", "fr", "Francais"), ("3", "sw", "Kiswahili"),
                    ("4", "ln", "Lingala"))  # fmt: skip
BACK, HOME = "0", "00"

UNKNOWN_NUMBER = N_("This phone is not registered. Ask your group's facilitator.")
SORRY = N_("Sorry, something went wrong. Please try again in a few minutes.")
TOO_MANY = N_("Too many requests from this phone. Try again in a few minutes.")
WHO = N_("Who is calling?")
CHOOSE = N_("Choose one of the numbers shown.")
LANGUAGE = N_("Choose a language")
CODE = N_("Type the 6-digit code your facilitator gave you")
CODE_WRONG = N_("Wrong code. Tries left: {tries}.")
CODE_VOID = N_("This code no longer works. Ask your facilitator for a new one.")
NOT_DIALLED = N_("Type it now, not when dialling.")
NEW_PIN = N_("Choose a 4-digit PIN. Keep it secret.")
PIN_DIGITS = N_("A PIN is 4 digits.")
CONFIRM_PIN = N_("Type the same PIN again")
PINS_DIFFER = N_("The two PINs differ.")
PIN = N_("Type your PIN")
PIN_WRONG = N_("Wrong PIN. Tries left: {tries}.")
LOCKED = N_("Too many wrong PINs. Try again tomorrow, or ask your facilitator.")
OLD_PIN = N_("Type your current PIN")
PIN_CHANGED = N_("PIN changed.")
MAIN = (
    N_("My savings"),
    N_("My loan"),
    N_("Social fund"),
    N_("Next meeting"),
    N_("Group"),
    N_("Change PIN"),
    N_("Language"),
)
NAVIGATE = N_("0 Back 00 Menu")
AS_OF = N_("Meeting {number}, {date}:")
NO_MEETING = N_("No meeting yet.")
SHARES = N_("Shares: {shares}")
SAVED = N_("Saved this cycle: {amount}")
WORTH = N_("At a share-out today: {amount}")
NO_LOAN = N_("No loan.")
LOAN_OWED = N_("Loan owed: {amount}")
LOAN_DUE = N_("Due: {date}")
LOAN_LATE = N_("LATE")
LOAN_ON_TIME = N_("Not late")
SOCIAL_PAID = N_("Social fund paid: {amount}")
NEXT_MEETING = N_("Next meeting: {date}")
NEXT_UNKNOWN = N_("The next meeting is not set yet.")
BOX = N_("In the box: {loan_fund} loan fund, {social_fund} social fund")
LOANS_OUT = N_("Loans out: {amount}")
NOT_AVAILABLE = N_("Not available now. Try again later.")


def say(message: str, language: str, **params: object) -> str:
    """A message in `language`, in the GSM alphabet."""
    return to_gsm7(tr(message, language, **params))


def amount(amount_minor: int, code: str, language: str) -> str:
    """Money the local way, exact, in the GSM alphabet (no country: `GH₵` has no GSM form)."""
    return to_gsm7(money(amount_minor, code, language))


def day(value: date) -> str:
    return value.isoformat()


def fit(lines: list[str], optional: frozenset[int] = frozenset()) -> str:
    """The lines of a screen, one under the other; when they do not fit, the optional ones
    (by index) go first, never part of a line: a figure is never cut."""
    shown = list(range(len(lines)))
    for index in sorted(optional, reverse=True):
        if len("\n".join(lines[i] for i in shown)) <= SCREEN_LIMIT:
            break
        shown.remove(index)
    return "\n".join(lines[i] for i in shown)

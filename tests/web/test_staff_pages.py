"""The staff pages (/staff/) in a real headless browser over the demo book: logging in and its
limits, every page without a console error, the figures equal to `vsla report savix --json`,
a download that opens, who may do what, CSRF, and the language remembered on the account."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from ledger import currency
from tests.hub.conftest import KEY
from tests.web.conftest import (
    ADMIN,
    FRENCH,
    LINGALA,
    LOCKED,
    NOW,
    VIEWER,
    WAIT,
    WebHub,
    click_through,
    console,
    fill_login,
    log_in,
    require_browser,
    session_cookie,
)

require_browser()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

ROOT = Path(__file__).resolve().parent.parent.parent
# Each row of the figure tables (its data-figure) and the key of `vsla report savix --json`.
FIRST_TABLE = {
    "Members": ("members", "count"),
    "Women": ("percent_women", "ratio"),
    "Attending the last meeting": ("attending_last_meeting", "count"),
    "Dropouts this cycle": ("dropouts", "count"),
    "Savings": ("savings_minor", "money"),
    "Average savings per member": ("average_savings_minor", "average"),
    "Loans outstanding: number": ("loans_outstanding_count", "count"),
    "Loans outstanding: value": ("loans_outstanding_minor", "money"),
    "Late loans: still owed": ("late_loans_unpaid_minor", "money"),
    "Portfolio at risk": ("portfolio_at_risk", "ratio"),
    "Write-offs this cycle": ("write_offs_minor", "money"),
    "Attendance rate": ("attendance_rate", "ratio"),
    "Retention rate": ("retention_rate", "ratio"),
    "Members with a loan": ("percent_with_loan", "ratio"),
}
SECOND_TABLE = {
    "Loan-fund cash": ("loan_fund_cash_minor", "money"),
    "Social fund": ("social_fund_minor", "money"),
    "Loan fund utilisation": ("loan_fund_utilisation", "ratio"),
    "Return on savings": ("return_on_savings", "ratio"),
    "Return on assets": ("return_on_assets", "ratio"),
    "Annualised return on savings": ("annualised_return_on_savings", "ratio"),
    "Annualised return on assets": ("annualised_return_on_assets", "ratio"),
}
CHARTS_COMPLETE = "return [...document.querySelectorAll('.charts img')].every(i => i.complete);"
CHARTS_BROKEN = (
    "return [...document.querySelectorAll('.charts img')]"
    ".filter(i => !(i.naturalWidth > 0)).map(i => i.src);"
)
ROWS = """
return [...arguments[0].querySelectorAll('tr[data-figure]')].map(
  tr => [tr.dataset.figure, [...tr.querySelectorAll('td')].map(td => td.textContent.trim())]);
"""


@pytest.fixture(scope="module")
def savix(web_hub: WebHub) -> dict[str, Any]:
    """`vsla report savix --json` on the hub's book, on the hub's day."""
    from typer.testing import CliRunner

    from vsla.cli import app

    args = ["report", "savix", "--db", str(web_hub.db), "--as-of", "2026-11-29", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    assert document["as_of"] == "2026-11-29"
    assert sorted(document["totals"]) == ["CDF", "UGX"]
    return document


@pytest.fixture
def browser(driver: WebDriver) -> Iterator[WebDriver]:
    """The module's browser, its console emptied before the test."""
    console(driver)
    yield driver


def open_page(driver: WebDriver, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def severe(driver: WebDriver) -> list[str]:
    return [str(e["message"]) for e in console(driver) if e.get("level") == "SEVERE"]


def error_text(driver: WebDriver) -> str:
    found = driver.find_elements(By.ID, "error")
    return found[0].text if found else ""


def path_of(driver: WebDriver) -> str:
    parts = urlsplit(driver.current_url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# -- reading the figures ---------------------------------------------------------------------


def figure_rows(driver: WebDriver, table: WebElement) -> dict[str, list[str]]:
    rows = driver.execute_script(ROWS, table)
    return {str(label): [str(cell) for cell in cells] for label, cells in rows}


def read_number(text: str) -> Decimal:
    """A number as the pages write it in English: 1,234,567.50 or −3."""
    negative = text.startswith(("−", "-"))
    value = Decimal(text.lstrip("−-").replace(",", ""))
    return -value if negative else value


def expected_values(figures: dict[str, Any], key: str) -> tuple[Any, Any, Any, bool]:
    """all, women, men of `key` in a JSON group or total, and whether it is split at all."""
    value = figures[key]
    if isinstance(value, dict):
        return value["all"], value["women"], value["men"], True
    if f"{key}_women" in figures:
        return value, figures[f"{key}_women"], figures[f"{key}_men"], True
    return value, None, None, False


def mismatches(
    shown: dict[str, list[str]],
    wanted: dict[str, tuple[str, str]],
    figures: dict[str, Any],
    code: str,
    *,
    split: bool,
) -> list[str]:
    """Every cell of `shown` that does not say the JSON's figure; [] when all do."""
    wrong = []
    if sorted(shown) != sorted(wanted):
        wrong.append(f"rows {sorted(shown)} != {sorted(wanted)}")
    unit = currency(code).unit_minor
    for label, cells in shown.items():
        if label not in wanted:
            continue
        key, kind = wanted[label]
        every, women, men, gendered = expected_values(figures, key)
        values = (every, women, men) if split else (every,)
        assert len(cells) == len(values), (label, cells)
        for position, (cell, value) in enumerate(zip(cells, values, strict=True)):
            if position > 0 and not gendered:
                ok = cell == ""
            elif value is None:
                ok = cell == "n/a"
            elif kind == "count":
                ok = cell == str(value)
            elif kind == "money":
                ok = read_number(cell) * unit == value
            elif kind == "average":  # rounded to the minor unit
                ok = abs(read_number(cell) * unit - Decimal(str(value))) <= Decimal("0.500001")
            else:  # a ratio, shown as a percentage with one decimal
                ok = (
                    cell.endswith("%")
                    and abs(float(cell[:-1]) - value * 100) <= 0.05 + 1e-4
                    and re.fullmatch(r"-?\d+\.\d%", cell) is not None
                )
            if not ok:
                wrong.append(f"{label} [{position}]: page {cell!r}, JSON {value!r}")
    return wrong


# -- logging in ------------------------------------------------------------------------------


def test_logging_in_lands_on_the_page_asked_for(browser: WebDriver, web_hub: WebHub) -> None:
    log_in(browser, web_hub, ADMIN, "/staff/groups?show=late")
    assert path_of(browser) == "/staff/groups?show=late"
    assert browser.find_element(By.ID, "logout").is_displayed()
    assert ADMIN.email in browser.find_element(By.CSS_SELECTOR, ".email").text
    assert Select(browser.find_element(By.ID, "show")).first_selected_option.get_attribute(
        "value"
    ) == ("late")


def test_a_wrong_password_shows_an_error_and_stays_on_the_login_page(
    browser: WebDriver, web_hub: WebHub
) -> None:
    open_page(browser, web_hub.url + "/staff/login")
    browser.delete_all_cookies()
    open_page(browser, web_hub.url + "/staff/login?next=/staff/downloads")
    fill_login(browser, VIEWER.email, VIEWER.password + "x")
    assert error_text(browser) == "Wrong email or password."
    assert urlsplit(browser.current_url).path == "/staff/login"
    assert not browser.find_elements(By.ID, "logout")
    # The email typed stays in the form; the answer was a 401 (the console says so).
    assert browser.find_element(By.ID, "email").get_attribute("value") == VIEWER.email
    assert any("401" in message for message in severe(browser))
    # The right password from the same page still goes where asked.
    fill_login(browser, VIEWER.email, VIEWER.password)
    assert path_of(browser) == "/staff/downloads"


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    browser: WebDriver, web_hub: WebHub
) -> None:
    open_page(browser, web_hub.url + "/staff/login")
    browser.delete_all_cookies()
    open_page(browser, web_hub.url + "/staff/login")
    for attempt in range(5):
        fill_login(browser, LOCKED.email, f"not-the-password-{attempt}")
        assert error_text(browser) == "Wrong email or password.", attempt
    fill_login(browser, LOCKED.email, LOCKED.password)
    assert error_text(browser).startswith("Too many failed logins for this account.")
    assert "12:15 UTC" in error_text(browser)  # 15 minutes after the hub's clock
    assert urlsplit(browser.current_url).path == "/staff/login"
    assert not browser.find_elements(By.ID, "logout")
    # Another account from the same browser is not locked.
    fill_login(browser, VIEWER.email, VIEWER.password)
    assert browser.find_elements(By.ID, "logout")


def test_a_page_without_a_session_goes_to_the_login(browser: WebDriver, web_hub: WebHub) -> None:
    open_page(browser, web_hub.url + "/staff/login")
    browser.delete_all_cookies()
    for path in ("/staff/", "/staff/groups?sort=risk&dir=desc", "/staff/groups/kolwezi-umoja"):
        open_page(browser, web_hub.url + path)
        parts = urlsplit(browser.current_url)
        assert parts.path == "/staff/login", path
        assert parse_qs(parts.query)["next"] == [path]
        assert browser.find_element(By.ID, "email").is_displayed()
        assert not browser.find_elements(By.TAG_NAME, "nav")
    status, headers, _body = web_hub.fetch("/staff/downloads/savix.csv", follow=False)
    assert status == 303
    assert headers["location"] == "/staff/login?next=" + quote("/staff/downloads/savix.csv")


# -- every page -------------------------------------------------------------------------------


def test_every_page_opens_without_a_console_error(
    browser: WebDriver, web_hub: WebHub, savix: dict[str, Any]
) -> None:
    log_in(browser, web_hub, ADMIN)
    console(browser)
    groups = [g["group_id"] for g in savix["groups"]]
    assert len(groups) == 4
    paths = [
        "/staff/",
        "/staff/groups",
        "/staff/groups?sort=risk&dir=desc",
        "/staff/groups?show=late",
        *(f"/staff/groups/{group}" for group in groups),
        "/staff/downloads",
        "/staff/log",
    ]
    for path in paths:
        open_page(browser, web_hub.url + path)
        assert path_of(browser) == path
        assert error_text(browser) == "", path
        assert browser.find_element(By.TAG_NAME, "h1").text, path
        if path == "/staff/":
            charts = browser.find_elements(By.CSS_SELECTOR, ".charts img")
            assert len(charts) == 4 * len(savix["totals"])
            for chart in charts:
                browser.execute_script("arguments[0].scrollIntoView()", chart)
            WebDriverWait(browser, WAIT).until(lambda d: d.execute_script(CHARTS_COMPLETE))
            broken = browser.execute_script(CHARTS_BROKEN)
            assert broken == []
        assert severe(browser) == [], path


def test_the_groups_list_is_sorted_and_filtered(
    browser: WebDriver, web_hub: WebHub, savix: dict[str, Any]
) -> None:
    log_in(browser, web_hub, ADMIN, "/staff/groups?sort=risk&dir=desc")
    shown = [
        r.get_attribute("data-group")
        for r in browser.find_elements(By.CSS_SELECTOR, "tr[data-group]")
    ]
    risk = {
        g["group_id"]: -1 if g["portfolio_at_risk"] is None else g["portfolio_at_risk"]
        for g in savix["groups"]
    }
    assert len(set(risk.values())) == len(risk), "no two groups at the same risk: one order"
    assert shown == sorted(risk, key=lambda g: risk[g], reverse=True)
    open_page(browser, web_hub.url + "/staff/groups?show=late")
    late = [g["group_id"] for g in savix["groups"] if g["late_loans_unpaid_minor"]["all"] > 0]
    assert late, "the demo has late loans"
    shown = [
        r.get_attribute("data-group")
        for r in browser.find_elements(By.CSS_SELECTOR, "tr[data-group]")
    ]
    assert sorted(str(s) for s in shown) == sorted(late)
    assert browser.find_element(By.ID, "count").text == f"{len(late)} groups"
    # A search and a filter that leave groups out.
    flagged = [g["group_id"] for g in savix["groups"] if g["flags"] or g["refused"]]
    for query, wanted in (
        ("?q=kolwezi", [g["group_id"] for g in savix["groups"] if "kolwezi" in g["group_id"]]),
        ("?show=flagged", flagged),
    ):
        open_page(browser, web_hub.url + "/staff/groups" + query)
        rows = browser.find_elements(By.CSS_SELECTOR, "tr[data-group]")
        assert sorted(str(r.get_attribute("data-group")) for r in rows) == sorted(wanted), query
        assert browser.find_element(By.ID, "count").text == f"{len(wanted)} groups"
    assert 0 < len([g for g in savix["groups"] if "kolwezi" in g["group_id"]]) < 4


# -- the figures --------------------------------------------------------------------------------


def test_the_programme_figures_are_those_of_the_report_command(
    browser: WebDriver, web_hub: WebHub, savix: dict[str, Any]
) -> None:
    log_in(browser, web_hub, ADMIN)
    for code, totals in savix["totals"].items():
        section = browser.find_element(By.ID, f"currency-{code}")
        assert section.find_element(By.TAG_NAME, "h2").text == (
            f"Groups in {code}: {totals['groups']}"
        )
        first, second = section.find_elements(By.CSS_SELECTOR, "table.figures")
        rows = figure_rows(browser, first)
        assert rows["Members"][0] == str(totals["members"]["all"])
        assert mismatches(rows, FIRST_TABLE, totals, code, split=True) == []
        assert (
            mismatches(figure_rows(browser, second), SECOND_TABLE, totals, code, split=False) == []
        )


def test_each_group_page_has_the_groups_figures(
    browser: WebDriver, web_hub: WebHub, savix: dict[str, Any]
) -> None:
    log_in(browser, web_hub, VIEWER)
    for group in savix["groups"]:
        open_page(browser, f"{web_hub.url}/staff/groups/{group['group_id']}")
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith(group["name"])
        first, second = browser.find_elements(By.CSS_SELECTOR, "table.figures")
        code = group["currency"]
        assert mismatches(figure_rows(browser, first), FIRST_TABLE, group, code, split=True) == []
        assert (
            mismatches(figure_rows(browser, second), SECOND_TABLE, group, code, split=False) == []
        )
        members = browser.find_elements(By.CSS_SELECTOR, "#member-list tr[data-member]")
        active = [m for m in members if m.find_elements(By.XPATH, "./td[3][.='active']")]
        assert len(active) == group["members"]["all"]


def test_the_workbook_download_opens_with_the_reports_totals(
    browser: WebDriver, web_hub: WebHub, savix: dict[str, Any]
) -> None:
    from openpyxl import load_workbook

    log_in(browser, web_hub, ADMIN, "/staff/downloads")
    link = browser.find_element(By.ID, "download-xlsx").get_attribute("href")
    assert link == web_hub.url + "/staff/downloads/savix.xlsx"
    status, headers, body = web_hub.fetch(
        "/staff/downloads/savix.xlsx", cookie=session_cookie(browser)
    )
    assert status == 200
    assert headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="savix-2026-11-29.xlsx"' in headers["content-disposition"]
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    assert workbook.sheetnames == [
        "groups",
        "totals",
        "women and men",
        "cycles",
        "payouts",
        "flags",
        "definitions",
    ]
    lines = list(workbook["totals"].iter_rows(values_only=True))
    heading, rows = lines[0], lines[1:]
    found = {row[heading.index("currency")]: dict(zip(heading, row, strict=True)) for row in rows}
    assert sorted(str(code) for code in found) == sorted(savix["totals"])
    for code, totals in savix["totals"].items():
        for split in ("all", "women", "men"):
            column = "members" if split == "all" else f"members_{split}"
            assert found[code][column] == totals["members"][split], (code, split)
        assert found[code]["savings_minor"] == totals["savings_minor"]["all"]
    group_rows = list(workbook["groups"].iter_rows(values_only=True))[1:]
    assert len(group_rows) == len(savix["groups"])


# -- who may do what ------------------------------------------------------------------------------


def test_a_viewer_is_refused_the_admins_actions(
    browser: WebDriver, web_hub: WebHub, savix: dict[str, Any]
) -> None:
    group = savix["groups"][0]["group_id"]
    log_in(browser, web_hub, VIEWER, f"/staff/groups/{group}")
    assert browser.find_elements(By.CSS_SELECTOR, "#member-list tr[data-member]")
    assert "Activation code" not in browser.find_element(By.ID, "member-list").text
    assert not browser.find_elements(By.CSS_SELECTOR, ".code-button, .reset-button")
    assert "Log" not in [a.text for a in browser.find_elements(By.CSS_SELECTOR, "header nav a")]
    csrf = browser.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")
    assert csrf
    cookie = session_cookie(browser)
    action = f"/staff/groups/{group}/members/M01/code"
    status, _headers, body = web_hub.fetch(action, cookie=cookie, form={"csrf": csrf})
    assert status == 403
    assert "Only an admin may do this." in body.decode()
    assert "Activation code for" not in body.decode()
    status, _headers, body = web_hub.fetch("/staff/log", cookie=cookie)
    assert status == 403
    assert "refused_admin" not in body.decode()  # the log itself is not shown
    open_page(browser, web_hub.url + "/staff/log")
    assert error_text(browser) == "Only an admin may do this."
    # The same cookie is a working session: the refusals are for the role, not the cookie.
    status, _headers, _body = web_hub.fetch("/staff/downloads", cookie=cookie)
    assert status == 200
    # The admin's log has both refusals, and no code was issued.
    log_in(browser, web_hub, ADMIN, "/staff/log")
    lines = log_lines(browser)
    assert (VIEWER.email, "refused_admin", action) in lines
    assert (VIEWER.email, "refused_admin", "/staff/log") in lines
    assert not [line for line in lines if line[1] == "activation_code" and group in line[2]]


def log_lines(driver: WebDriver) -> list[tuple[str, str, str]]:
    rows = driver.execute_script(
        "return [...document.querySelectorAll('#log tbody tr')].map("
        "tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim()));"
    )
    return [(str(r[1]), str(r[2]), str(r[3])) for r in rows]


def test_a_form_without_its_csrf_token_is_refused(
    browser: WebDriver, web_hub: WebHub, savix: dict[str, Any]
) -> None:
    from vsla.book.access import Check, MemberAccess
    from vsla.book.service import Book

    group = savix["groups"][1]["group_id"]
    action = f"/staff/groups/{group}/members/M01/code"
    log_in(browser, web_hub, ADMIN, f"/staff/groups/{group}")
    cookie = session_cookie(browser)
    for form in ({}, {"csrf": "not-the-token"}):
        status, _headers, body = web_hub.fetch(action, cookie=cookie, form=form)
        assert status == 403
        assert "This form has expired" in body.decode()
    open_page(browser, web_hub.url + "/staff/log")
    lines = log_lines(browser)
    assert lines.count((ADMIN.email, "refused_csrf", action)) == 2
    assert (ADMIN.email, "activation_code", f"{group}/M01") not in lines
    # With the token, from the page's own button: the code is shown once, and it works.
    open_page(browser, f"{web_hub.url}/staff/groups/{group}")
    assert not browser.find_elements(By.ID, "code")
    button = browser.find_element(By.CSS_SELECTOR, "tr[data-member=M01] .code-button")
    click_through(browser, button)
    assert path_of(browser) == f"/staff/groups/{group}"
    shown = browser.find_element(By.ID, "code").text
    found = re.fullmatch(r"Activation code for M01: (\d{6})", shown)
    assert found is not None, shown
    book = Book.open(web_hub.db)
    try:
        assert MemberAccess(book, KEY).check_code(group, "M01", found[1], NOW).check == Check.OK
    finally:
        book.close()
    open_page(browser, f"{web_hub.url}/staff/groups/{group}")
    assert not browser.find_elements(By.ID, "code")  # shown once only
    open_page(browser, web_hub.url + "/staff/log")
    assert (ADMIN.email, "activation_code", f"{group}/M01") in log_lines(browser)


# -- the language --------------------------------------------------------------------------------


def lingala(msgid: str) -> str:
    """The msgstr of `msgid` in vsla/locale/ln.po ("" when not translated)."""
    text = (ROOT / "vsla" / "locale" / "ln.po").read_text(encoding="utf-8")
    found = re.search(rf'^msgid "{re.escape(msgid)}"\nmsgstr "(.*)"$', text, re.MULTILINE)
    return found[1] if found else ""


def test_the_language_is_chosen_and_remembered_on_the_account(
    browser: WebDriver, web_hub: WebHub
) -> None:
    log_in(browser, web_hub, LINGALA, "/staff/groups")
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "en"
    nav = browser.find_element(By.CSS_SELECTOR, "header nav")
    assert "Groups" in nav.text
    Select(browser.find_element(By.ID, "language")).select_by_value("ln")
    button = browser.find_element(By.CSS_SELECTOR, "form[action='/staff/language'] button")
    click_through(browser, button)
    assert browser.execute_script("return document.documentElement.lang") == "ln"
    assert path_of(browser) == "/staff/groups"
    translated = {msgid: lingala(msgid) for msgid in ("Groups", "Programme", "Downloads")}
    translated = {msgid: text for msgid, text in translated.items() if text not in ("", msgid)}
    assert translated, "no word of the nav is translated in ln.po: the test shows nothing"
    nav_text = browser.find_element(By.CSS_SELECTOR, "header nav").text
    for msgid, text in translated.items():
        assert text in nav_text, msgid
        assert msgid not in nav_text.split(), msgid
    # Logged out, then in again from a new browser session: still Lingala.
    button = browser.find_element(By.ID, "logout")
    click_through(browser, button)
    assert urlsplit(browser.current_url).path == "/staff/login"
    log_in(browser, web_hub, LINGALA, "/staff/groups")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ln"
    nav_text = browser.find_element(By.CSS_SELECTOR, "header nav").text
    assert all(text in nav_text for text in translated.values())
    option = Select(browser.find_element(By.ID, "language")).first_selected_option
    assert option.get_attribute("value") == "ln"


def test_a_language_chosen_on_the_login_page_is_kept_and_remembered(
    browser: WebDriver, web_hub: WebHub
) -> None:
    browser.get(web_hub.url + "/staff/login")
    browser.delete_all_cookies()
    browser.get(web_hub.url + "/staff/login?lang=fr")
    assert browser.execute_script("return document.documentElement.lang") == "fr"
    fill_login(browser, FRENCH.email, FRENCH.password)
    assert path_of(browser) == "/staff/"
    assert browser.execute_script("return document.documentElement.lang") == "fr"
    browser.delete_all_cookies()  # a new browser: the account remembers it
    log_in(browser, web_hub, FRENCH, "/staff/groups")
    assert browser.execute_script("return document.documentElement.lang") == "fr"


# -- a phone ---------------------------------------------------------------------------------------

OVERFLOWING = """
return [...document.querySelectorAll('.scroll')]
  .filter(d => d.querySelector('table.figures') && d.scrollWidth > d.clientWidth)
  .map(d => d.querySelector('tr[data-figure]').dataset.figure);
"""


def test_the_figures_fit_a_360_pixel_phone(
    browser: WebDriver, web_hub: WebHub, savix: dict[str, Any]
) -> None:
    """All, women and men side by side without scrolling sideways, on the overview and on a
    group's page; no date is broken over two lines."""
    log_in(browser, web_hub, VIEWER)
    phone = {"width": 360, "height": 780, "deviceScaleFactor": 1, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", phone)
    try:
        group = savix["groups"][0]["group_id"]
        for path in ("/staff/", f"/staff/groups/{group}"):
            open_page(browser, web_hub.url + path)
            assert browser.execute_script("return document.documentElement.clientWidth") == 360
            assert browser.find_elements(By.CSS_SELECTOR, "table.figures")
            assert browser.execute_script(OVERFLOWING) == [], path
            assert browser.execute_script("return document.documentElement.scrollWidth") == 360
        due = browser.find_element(By.CSS_SELECTOR, "#late + .scroll td:nth-child(2)")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", due.text)
        line = browser.execute_script(
            "return parseFloat(getComputedStyle(arguments[0]).lineHeight)", due
        )
        assert due.size["height"] < 2 * line
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

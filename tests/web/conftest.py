"""The staff pages in a real browser: Debian's headless Chromium driven by Selenium, against a
hub on 127.0.0.1 over a copy of the demo book (4 groups in CDF and UGX, a year of meetings),
its clock fixed at 2026-11-29 12:00 UTC.

No driver or browser is ever downloaded: Selenium is given /usr/bin/chromedriver and
/usr/bin/chromium. Without them the module is skipped, unless VSLA_REQUIRE_BROWSER=1 (CI),
where it fails.
"""

from __future__ import annotations

import os
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.hub.conftest import free_port, settings, start
from ussd.app import create_hub
from vsla.book.service import Book
from vsla.book.staff import StaffAccounts

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
COOKIE = "vsla_staff"
WAIT = 10.0  # seconds for a page or an image


@dataclass(frozen=True)
class Account:
    email: str
    role: str
    password: str


ADMIN = Account("amina@example.org", "admin", "admin-password-0123")
VIEWER = Account("zola@example.org", "viewer", "viewer-password-4567")
LOCKED = Account("locked@example.org", "viewer", "locked-password-8901")  # the lockout test's
LINGALA = Account("mbuyi@example.org", "viewer", "lingala-password-2345")  # the language test's
FRENCH = Account("kasongo@example.org", "viewer", "french-password-6789")  # chosen at login
ACCOUNTS = (ADMIN, VIEWER, LOCKED, LINGALA, FRENCH)


def require_browser() -> None:
    """Skip the calling module without Chromium, ChromeDriver or Selenium; fail instead when
    VSLA_REQUIRE_BROWSER=1."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -r requirements/test.txt)")
    if not missing:
        return
    reason = (
        f"the staff pages are tested in Debian's headless Chromium; missing: "
        f"{', '.join(missing)} (apt-get install chromium chromium-driver)"
    )
    if os.environ.get("VSLA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"VSLA_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


@dataclass(frozen=True)
class WebHub:
    url: str
    db: Path

    def fetch(
        self,
        path: str,
        *,
        cookie: str | None = None,
        form: dict[str, str] | None = None,
        follow: bool = True,
    ) -> tuple[int, dict[str, str], bytes]:
        """A GET (or a POST of `form`) over urllib with the session cookie's value: the
        status, the headers and the body, whatever the status."""
        headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.url + path, data=data, headers=headers)
        opener = urllib.request.build_opener(*(() if follow else (_NoRedirect(),)))
        try:
            with opener.open(request, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture(scope="session")
def web_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo book as on 2026-11-29, made once per test session: copy it to change it."""
    from vsla.demo import ensure_demo

    path = tmp_path_factory.mktemp("web-demo") / "demo.sqlite"
    ensure_demo(path, today=TODAY)
    return path


@pytest.fixture(scope="module")
def web_hub(web_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebHub]:
    """A hub over this module's copy of the demo book, with the staff ACCOUNTS."""
    db = tmp_path_factory.mktemp("web-hub") / "hub.sqlite"
    shutil.copyfile(web_demo, db)
    book = Book.open(db)
    try:
        staff = StaffAccounts(book)
        for account in ACCOUNTS:
            staff.add(account.email, account.role, account.password, NOW)
    finally:
        book.close()
    port = free_port()
    server, thread = start(create_hub(settings(staff_https=False), db, clock=lambda: NOW), port)
    yield WebHub(f"http://127.0.0.1:{port}", db)
    server.should_exit = True
    thread.join(timeout=10)


def new_driver(width: int = 1280, height: int = 900) -> WebDriver:
    """Headless Chromium with its console kept (`goog:loggingPrefs`), never downloaded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-extensions",
        "--no-first-run",
        f"--window-size={width},{height}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    started = new_driver()
    try:
        yield started
    finally:
        started.quit()


def console(driver: WebDriver) -> list[dict[str, Any]]:
    """The browser console's entries since the last call (reading them empties the log)."""
    read: Callable[[str], list[dict[str, Any]]] = driver.get_log
    return read("browser")


def log_in(driver: WebDriver, hub: WebHub, account: Account, path: str = "/staff/") -> None:
    """A new session (no cookie kept) logged in as `account` from the login page that `path`
    sends to; waits for the page that follows."""
    from selenium.webdriver.common.by import By

    driver.get(hub.url + "/staff/login")
    driver.delete_all_cookies()
    driver.get(hub.url + path)
    fill_login(driver, account.email, account.password)
    assert not driver.find_elements(By.ID, "error"), driver.find_element(By.ID, "error").text
    assert "/staff/login" not in driver.current_url


def fill_login(driver: WebDriver, email: str, password: str) -> None:
    """Types into the login form and submits it, waiting for the next page to load."""
    from selenium.webdriver.common.by import By

    form = driver.find_element(By.ID, "email")
    form.clear()
    form.send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    click_through(driver, driver.find_element(By.ID, "submit"))


def click_through(driver: WebDriver, element: WebElement) -> None:
    """Clicks `element` and waits for the page it leads to to have loaded whole: the old
    page's window carries a mark the new one has not (element handles are no use here:
    asked about while the page changes, ChromeDriver may fail in other ways than "stale")."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.vslaOldPage = true;")
    element.click()
    WebDriverWait(driver, WAIT, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script(
            "return window.vslaOldPage === undefined && document.readyState === 'complete'"
        )
    )


def session_cookie(driver: WebDriver) -> str:
    found = driver.get_cookie(COOKIE)
    assert found is not None, "no session cookie in the browser"
    return str(found["value"])

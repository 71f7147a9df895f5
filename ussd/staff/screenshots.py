"""Screenshots of the staff pages for the docs, taken in Debian's headless Chromium:

    .venv/bin/python -m ussd.staff.screenshots            # into docs/ of the repository
    .venv/bin/python -m ussd.staff.screenshots --out DIR

Makes the demo book (as on 2026-11-29) in a temporary folder, starts a hub over it on
127.0.0.1 with its clock fixed at 2026-11-29 12:00 UTC, adds an admin, logs in with Selenium
and saves the programme's overview and one group's page on a desktop (1280 pixels wide) and
on a phone (360): staff-overview.png, staff-group.png, staff-overview-phone.png and
staff-group-phone.png. Each is the whole page up to MAX_HEIGHT pixels.

Nothing is downloaded: Selenium is given /usr/bin/chromedriver and /usr/bin/chromium
(`apt-get install chromium chromium-driver`); Selenium comes with the test requirements.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
EMAIL = "amina@example.org"
PASSWORD = "screenshots-only-0123"
GROUP = "bukavu-amani"  # late loans, flags and a long member list: the fullest page
MAX_HEIGHT = 2400
SIZES = {"": (1280, 900), "-phone": (360, 780)}  # file suffix: viewport width, height
PAGES = {"staff-overview": "/staff/", "staff-group": f"/staff/groups/{GROUP}"}
WAIT = 15.0


def default_out() -> Path:
    """docs/ of the repository this module is in, else of the current folder."""
    repository = Path(__file__).resolve().parents[2]
    return repository / "docs" if (repository / "pyproject.toml").exists() else Path("docs")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def demo_hub() -> Iterator[str]:
    """A hub over a new demo book with one admin, until the block ends: its address."""
    import uvicorn

    from ussd.app import create_hub
    from ussd.settings import HubSettings
    from vsla.book.service import Book
    from vsla.book.staff import StaffAccounts
    from vsla.demo import ensure_demo

    with tempfile.TemporaryDirectory(prefix="vsla-screenshots-") as folder:
        db = Path(folder) / "demo.sqlite"
        ensure_demo(db, today=TODAY)
        book = Book.open(db)
        try:
            StaffAccounts(book).add(EMAIL, "admin", PASSWORD, NOW)
        finally:
            book.close()
        settings = HubSettings.model_validate(
            {
                "path_token": "screenshots-path-token-0123",
                "pin_key": "screenshots-pin-key-0123456789",
                "service_codes": ["*384*123#"],
                "staff_https": False,
            }
        )
        port = _free_port()
        app = create_hub(settings, db, clock=lambda: NOW)
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the hub did not start")
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def browser() -> WebDriver:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for needed in (CHROMIUM, CHROMEDRIVER):
        if not needed.exists():
            raise SystemExit(f"{needed} is missing: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-color-profile=srgb",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def viewport(driver: WebDriver, width: int, height: int) -> None:
    """The page's viewport exactly `width` × `height` CSS pixels (a phone's: mobile)."""
    metrics: dict[str, Any] = {
        "width": width,
        "height": height,
        "deviceScaleFactor": 1,
        "mobile": width < 600,
    }
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def settled(driver: WebDriver) -> None:
    """Waits until the page and its images (lazy ones scrolled to first) have loaded."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    driver.execute_script(
        "document.querySelectorAll('img').forEach(i => i.scrollIntoView()); window.scrollTo(0, 0);"
    )
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("return [...document.images].every(i => i.complete)")
    )


def log_in(driver: WebDriver, url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url + "/staff/login")
    driver.find_element(By.ID, "email").send_keys(EMAIL)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, WAIT).until(lambda d: "/staff/login" not in d.current_url)


def shoot(driver: WebDriver, url: str, out: Path) -> list[Path]:
    saved = []
    for suffix, (width, height) in SIZES.items():
        for name, path in PAGES.items():
            viewport(driver, width, height)
            driver.get(url + path)
            settled(driver)
            full = int(driver.execute_script("return document.documentElement.scrollHeight"))
            viewport(driver, width, max(height, min(full, MAX_HEIGHT)))
            settled(driver)
            target = out / f"{name}{suffix}.png"
            if not driver.save_screenshot(str(target)):
                raise RuntimeError(f"no screenshot of {path}")
            saved.append(target)
    return saved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Screenshots of the staff pages for the docs.")
    parser.add_argument("--out", type=Path, default=default_out(), help="folder of the PNGs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with demo_hub() as url:
        driver = browser()
        try:
            log_in(driver, url)
            for path in shoot(driver, url, args.out):
                print(path)
        finally:
            driver.quit()


if __name__ == "__main__":
    main()

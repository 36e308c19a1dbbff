"""Fixtures and helpers for Liftoff's browser tests (headless Chromium driven by Selenium).

`demo` starts `liftoff demo` once per session on a free port, waits for its three "ready" lines and stops
it with Ctrl-C (SIGINT) at the end, asserting a clean exit (code 0). `browser` is a fresh headless
Chromium per test. The helpers (`login`, `wait_until`, `sandbox_ticket`, `http`, `screenshot`, ...) are
imported by the tests with `from conftest import ...`.

Environment: LIFTOFF_BIN (default .build/debug/liftoff, relative to the repository root).
"""

import json
import datetime as dt
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
PASSWORD = "liftoff-demo"
STARTUP_TIMEOUT = 180
SHUTDOWN_TIMEOUT = 20

_running_demo = None  # the Demo of this session, so failure reports can show its log


# MARK: - Waiting


def wait_until(fn, timeout, message, interval=0.25, seen=None):
    """Calls `fn` until it returns something truthy and returns that; fails after `timeout` seconds with
    `message`, what `seen()` describes (or the last value / exception) so a failure says what was seen."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = fn()
            if value:
                return value
            last = value
        except (WebDriverException, OSError, ValueError, KeyError) as error:
            last = error
        if time.monotonic() >= deadline:
            break
        time.sleep(interval)
    described = last
    if seen is not None:
        try:
            described = seen()
        except Exception as error:  # the description must never hide the real failure
            described = f"(could not describe the state: {error!r})"
    raise AssertionError(f"{message} — waited {timeout} s; last seen: {described!r}")


# MARK: - The demo server


class Demo:
    """A running `liftoff demo`: its URLs, sandbox credentials and the log it printed so far."""

    def __init__(self, process, start):
        self.process = process
        self.start = start  # the instant its clock started at (`--now`)
        self.launched = time.monotonic()
        self.lines = []
        self.lock = threading.Lock()
        self.url = None  # "http://127.0.0.1:P", no trailing slash
        self.sandbox_url = None  # "http://127.0.0.1:S/atservicesrest/"
        self.sandbox_headers = {}
        self.password = PASSWORD
        self.tech_id = None  # the `tech` user's technician (resource) id, as a string
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.process.stdout:
            with self.lock:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    def log(self, last=None):
        with self.lock:
            lines = list(self.lines)
        return "\n".join(lines[-last:] if last else lines)

    def page(self, path):
        return self.url + path

    def now(self):
        """The demo's time now: its `--now` start plus the real time since it was launched."""
        started = dt.datetime.fromisoformat(self.start.replace("Z", "+00:00"))
        return started + dt.timedelta(seconds=time.monotonic() - self.launched)

    def wait_ready(self):
        """Waits for the three contract lines; fails with the whole output on exit or timeout."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self._parse():
                return
            if self.process.poll() is not None:
                self.reader.join(timeout=5)
                if self._parse():
                    return
                pytest.fail(
                    f"liftoff demo exited with code {self.process.returncode} before printing its three "
                    f"ready lines (expected 'Liftoff demo: URL', 'Autotask sandbox: URL (...)', 'Logins "
                    f"(...)'); its output:\n{self.log()}",
                    pytrace=False,
                )
            time.sleep(0.1)
        pytest.fail(
            f"liftoff demo did not print its three ready lines within {STARTUP_TIMEOUT} s; output so far:\n"
            f"{self.log()}",
            pytrace=False,
        )

    def _parse(self):
        text = self.log()
        liftoff = re.search(r"^Liftoff demo: (http://\S+?)/?\s*$", text, re.M)
        sandbox = re.search(
            r"^Autotask sandbox: (http://\S+) \(integration code ([^,\s]+), user ([^,\s]+), secret ([^)\s]+)\)",
            text,
            re.M,
        )
        logins = re.search(r"^Logins \(password ([^)]+)\): .*\bid (\d+)", text, re.M)
        if not (liftoff and sandbox and logins):
            return False
        self.url = liftoff.group(1).rstrip("/")
        self.sandbox_url = sandbox.group(1) if sandbox.group(1).endswith("/") else sandbox.group(1) + "/"
        self.sandbox_headers = {
            "ApiIntegrationCode": sandbox.group(2),
            "UserName": sandbox.group(3),
            "Secret": sandbox.group(4),
            "Accept": "application/json",
        }
        self.password = logins.group(1)
        self.tech_id = logins.group(2)
        return True


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def mail_relay(tmp_path_factory):
    """A real SMTP relay (STARTTLS and a login required) the demo sends its booking confirmations to."""
    from mail_relay import MailRelay
    relay = MailRelay(tmp_path_factory.mktemp("mail-relay"), _free_port())
    relay.start()
    yield relay
    relay.stop()


@pytest.fixture(scope="session")
def demo(tmp_path_factory, mail_relay):
    global _running_demo
    binary = Path(os.environ.get("LIFTOFF_BIN", ".build/debug/liftoff"))
    if not binary.is_absolute():
        binary = REPO / binary
    if not binary.is_file():
        pytest.fail(f"no liftoff binary at {binary} (build it first or set LIFTOFF_BIN)", pytrace=False)
    state_dir = tmp_path_factory.mktemp("liftoff-state")
    # The demo runs on a pinned start instant (a Tuesday, 14:00 UTC: London and New York in their
    # shifts), so the pages look the same whatever day the tests run; LIFTOFF_BROWSER_NOW picks another.
    start = os.environ.get("LIFTOFF_BROWSER_NOW", "2026-09-08T14:00:00Z")
    command = [str(binary), "demo", "--port", str(_free_port()), "--state-dir", str(state_dir), "--now", start]
    environment = dict(os.environ, LIFTOFF_SMTP_URL=mail_relay.url, LIFTOFF_SMTP_CA_FILE=mail_relay.ca_file)
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, env=environment)
    running = Demo(process, start)
    _running_demo = running
    try:
        running.wait_ready()
    except BaseException:
        process.kill()
        process.wait()
        _running_demo = None
        raise
    yield running
    _running_demo = None
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(timeout=SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        running.reader.join(timeout=5)
        pytest.fail(
            f"liftoff demo did not exit within {SHUTDOWN_TIMEOUT} s of Ctrl-C (SIGINT); killed it. Log tail:\n"
            f"{running.log(last=100)}",
            pytrace=False,
        )
    running.reader.join(timeout=5)
    assert code == 0, (
        f"liftoff demo should exit with code 0 after Ctrl-C (SIGINT), exited with {code}; log tail:\n"
        f"{running.log(last=100)}"
    )


# MARK: - The browser

# Records every EventSource the page opens (window.__eventSources), so a test can wait until the live
# update stream is connected before it changes the plan from outside.
_TRACK_EVENT_SOURCES = """
(() => {
  const Native = window.EventSource;
  if (!Native || window.__eventSources) return;
  window.__eventSources = [];
  window.EventSource = class extends Native {
    constructor(...args) { super(...args); window.__eventSources.push(this); }
  };
})();
"""


def new_chromium(javascript=True):
    """A headless Chromium at 1280 x 900 (`javascript=False`: as a browser with scripts switched off)."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


@pytest.fixture
def browser():
    driver = new_chromium()
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _TRACK_EVENT_SOURCES})
    except WebDriverException:
        pass  # only the live-update test needs it, and it says so when the tracker is missing
    yield driver
    driver.quit()


def path_of(browser):
    return urllib.parse.urlparse(browser.current_url).path


def login(browser, demo, user, password=None, landing=None):
    """Logs in through the form and waits for the landing page: a technician's Workboard, or for a
    dispatcher or admin the day's calendar of everyone."""
    landing = landing or ("/workboard" if user == "tech" else "/calendar")
    browser.get(demo.page("/login"))
    browser.find_element(By.ID, "username").send_keys(user)
    browser.find_element(By.ID, "password").send_keys(password or demo.password)
    browser.find_element(By.ID, "login-submit").click()
    wait_until(
        lambda: path_of(browser).startswith(landing),
        20,
        f"after logging in as {user!r} the browser should land on {landing}…",
        seen=lambda: f"{browser.current_url} — {page_text(browser)[:300]}",
    )


def page_text(browser):
    try:
        return browser.find_element(By.TAG_NAME, "body").text
    except WebDriverException as error:
        return f"(no body: {error.msg})"


def text_of(browser, css):
    """The rendered text of the first element matching `css`, or None: read in one script, so a live update
    swapping the DOM between finding the element and reading it cannot make the reference stale."""
    return browser.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText : null", css)


def click(browser, css, timeout=15):
    """Clicks the first element matching `css`, retrying while live updates swap the DOM under it."""

    def attempt():
        elements = [e for e in browser.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
        if not elements:
            return False
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", elements[0])
        try:
            elements[0].click()
        except (StaleElementReferenceException, ElementClickInterceptedException):
            return False
        return True

    wait_until(attempt, timeout, f"a visible, clickable element {css!r} should exist on {browser.current_url}")


def wait_for_quiet_calendar(browser, quiet=1.0, timeout=20):
    """Waits until the calendar has taken no live update for `quiet` seconds. Background work of earlier
    tests (a reflow after a settings change) sends plan events that replace the calendar's items; a test
    that holds an item across such a swap holds a stale element."""

    def settled():
        seen = browser.execute_script("return document.body.dataset.liveUpdates || '0'")
        time.sleep(quiet)
        return browser.execute_script("return document.body.dataset.liveUpdates || '0'") == seen

    wait_until(settled, timeout, "the calendar should stop taking live updates")


def cookie_header(browser):
    return "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())


def csrf_token(browser):
    return browser.find_element(By.CSS_SELECTOR, "meta[name=csrf-token]").get_attribute("content")


def screenshot(browser, name, full_page=True):
    """Saves docs/screenshots/{name}.png; with `full_page` the window first grows to the page's height."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = browser.get_window_size()
    if full_page:
        height = browser.execute_script(
            "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)"
        )
        browser.set_window_size(size["width"], min(max(int(height) + 120, size["height"]), 4000))
        browser.execute_script("window.scrollTo(0, 0)")
    target = SCREENSHOTS / f"{name}.png"
    assert browser.save_screenshot(str(target)), f"could not save the screenshot {target}"
    if full_page:
        browser.set_window_size(size["width"], size["height"])
    return target


# MARK: - Plain HTTP (urllib)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http(url, method="GET", data=None, headers=None, follow_redirects=False):
    """One request; returns (status, headers, body text) for every status, redirects not followed."""
    body = None
    headers = dict(headers or {})
    if data is not None:
        body = urllib.parse.urlencode(data).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    opener = urllib.request.build_opener() if follow_redirects else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers or {}), error.read().decode("utf-8", "replace")


def sandbox_ticket(demo, ticket_id):
    """The sandbox's Autotask ticket as a dict (the `item` of GET /v1.0/Tickets/{id})."""
    status, _, body = http(f"{demo.sandbox_url}v1.0/Tickets/{ticket_id}", headers=demo.sandbox_headers)
    assert status == 200, f"sandbox GET Tickets/{ticket_id} should answer 200, answered {status}: {body[:300]}"
    return json.loads(body)["item"]


# MARK: - Failure reports


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    driver = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if driver is not None:
        try:
            console = "\n".join(f"{e['level']} {e['message']}" for e in driver.get_log("browser"))
            report.sections.append(
                ("browser", f"URL: {driver.current_url}\nconsole:\n{console or '(empty)'}\n"
                            f"page text:\n{page_text(driver)[:3000]}")
            )
        except WebDriverException as error:
            report.sections.append(("browser", f"(browser state unavailable: {error.msg})"))
    if _running_demo is not None:
        report.sections.append(("liftoff demo log (last 150 lines)", _running_demo.log(last=150)))

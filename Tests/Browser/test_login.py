"""Access control: a wrong password is refused on the login page, pages need a login (the calendar redirects
to /login), the JSON API answers 401 without credentials, /health is open, and a form POST without its
CSRF token is refused with 403 even with a valid session."""

from selenium.webdriver.common.by import By

from conftest import cookie_header, http, login, page_text, path_of, wait_until

SETTING = "minMinutesFreeBetweenActivities"


def test_wrong_password_stays_on_login(browser, demo):
    browser.get(demo.page("/login"))
    browser.find_element(By.ID, "username").send_keys("dispatcher")
    browser.find_element(By.ID, "password").send_keys("not-the-password")
    browser.find_element(By.ID, "login-submit").click()
    errors = wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, ".flash-error"), 15,
                        "a wrong password should show .flash-error", seen=lambda: page_text(browser)[:300])
    assert errors[0].text.strip(), "the .flash-error shown for a wrong password should say something"
    assert path_of(browser) == "/login", f"a failed login should stay on /login, is on {browser.current_url}"


def test_calendar_needs_login(browser, demo):
    browser.get(demo.page("/calendar"))
    wait_until(lambda: path_of(browser) == "/login", 15, "/calendar without a session should redirect to /login",
               seen=lambda: browser.current_url)
    assert browser.find_elements(By.ID, "login-form"), "the page /calendar redirected to should show #login-form"


def test_health_is_open_and_api_needs_credentials(demo):
    status, _, body = http(demo.page("/health"))
    assert status == 200, f"/health should answer 200 without login, answered {status}: {body[:200]}"
    status, _, body = http(demo.page("/api/v1/calendar"), headers={"Accept": "application/json"})
    assert status == 401, f"/api/v1/calendar without credentials should answer 401, answered {status}: {body[:200]}"


def test_form_post_without_csrf_token_is_refused(browser, demo):
    login(browser, demo, "dispatcher")
    browser.get(demo.page("/settings"))
    before = browser.find_element(By.ID, SETTING).get_attribute("value")
    status, _, body = http(
        demo.page("/settings/site"),
        method="POST",
        data={SETTING: "5"},
        headers={"Cookie": cookie_header(browser), "Origin": demo.url, "Referer": demo.page("/settings")},
    )
    browser.get(demo.page("/settings"))
    after = browser.find_element(By.ID, SETTING).get_attribute("value")
    assert status == 403, f"POST /settings/site without _csrf should answer 403, answered {status}: {body[:200]}"
    assert after == before, f"a refused POST must not change {SETTING}: was {before!r}, now {after!r}"


def test_metrics_are_exposed_in_prometheus_format(browser, demo):
    status, _, _ = http(demo.page("/metrics"))
    assert status == 401, f"/metrics without credentials should answer 401, answered {status}"
    login(browser, demo, "dispatcher")
    status, _, body = http(demo.page("/metrics"), headers={"Cookie": cookie_header(browser)})
    text = body if isinstance(body, str) else body.decode()
    assert status == 200, f"/metrics with a session should answer 200, answered {status}: {text[:200]}"
    for name in ["http_requests_total", "autotask_requests", "liftoff_reflow_runs_total"]:
        assert name in text, f"/metrics should report {name}; it has: {sorted(set(line.split('{')[0].split(' ')[0] for line in text.splitlines() if line and not line.startswith('#')))}"
    assert "# TYPE" in text, "/metrics should be in Prometheus's text format (# TYPE lines)"

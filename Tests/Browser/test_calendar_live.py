"""The calendar follows the plan without a reload, like the Workboard: a settings change that moves
blocks reaches an open calendar through the same server-sent events."""

import json
import urllib.request

from conftest import cookie_header, csrf_token, login, wait_until


def calendar_blocks(browser):
    return browser.execute_script(
        "return [...document.querySelectorAll('.cal-item[data-kind=activity]')]"
        ".map(i => i.dataset.activityId + '@' + i.dataset.start).sort()"
    )


def site_settings(browser, demo, body=None):
    request = urllib.request.Request(
        demo.page("/api/v1/settings/site"),
        data=None if body is None else json.dumps(body).encode(),
        method="GET" if body is None else "PUT",
        headers={"Cookie": cookie_header(browser), "X-CSRF-Token": csrf_token(browser),
                 "Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def test_the_calendar_updates_without_reload_after_a_settings_change(browser, demo):
    login(browser, demo, "dispatcher")  # lands on the day's calendar of everyone
    wait_until(lambda: browser.execute_script("return (window.__eventSources || []).some(s => s.readyState === 1)"),
               15, "the calendar should open its live-update EventSource (readyState OPEN)",
               seen=lambda: browser.execute_script(
                   "return (window.__eventSources || null) && window.__eventSources.map(s => [s.url, s.readyState])"))
    browser.execute_script("window.__marker = 1")
    before = calendar_blocks(browser)
    assert before, "the day's calendar should show activity blocks"
    original = site_settings(browser, demo)
    gap = original.get("minMinutesFreeBetweenActivities", 0)
    changed = dict(original, minMinutesFreeBetweenActivities=0 if gap >= 60 else 90)
    try:
        site_settings(browser, demo, changed)
        wait_until(lambda: calendar_blocks(browser) != before, 20,
                   "without a reload, the calendar should show the blocks moved by the new gap setting",
                   seen=lambda: calendar_blocks(browser)[:5])
        assert browser.execute_script("return window.__marker") == 1, "the page reloaded (window.__marker is gone)"
        assert int(browser.execute_script("return document.body.dataset.liveUpdates || '0'")) >= 1
    finally:
        site_settings(browser, demo, original)

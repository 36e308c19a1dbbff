"""A technician on the Workboard: starting an activity moves it into "Working now" and sets the Autotask
ticket to In Progress (8) in the sandbox; completing it removes it from the lanes and sets the ticket to
Complete (5). The page follows plan changes made elsewhere without reloading (Server-Sent Events), and a
technician cannot read another technician's Workboard."""

import json
import re

from selenium.webdriver.common.by import By

from conftest import click, cookie_header, csrf_token, http, login, path_of, sandbox_ticket, screenshot, text_of, wait_until

IN_PROGRESS, COMPLETE = 8, 5
OTHER_TECHNICIAN = "29682886"


def cards(browser):
    """(activity id, ticket id, state) of every card in "Next activities", in order."""
    return browser.execute_script(
        "return [...document.querySelectorAll('#lane-next li.activity-card')]"
        ".map(c => [c.dataset.activityId, c.dataset.ticketId || '', c.dataset.state])"
    )


def card_state(browser, activity_id):
    return browser.execute_script(
        "const c = [...document.querySelectorAll('#lane-next li.activity-card, #lane-notifications li.activity-card')]"
        ".find(c => c.dataset.activityId === arguments[0]); return c ? c.dataset.state : null",
        activity_id,
    )


def in_next_lane(browser, activity_id):
    return browser.execute_script(
        "return [...document.querySelectorAll('#lane-next [data-activity-id]')]"
        ".some(e => e.dataset.activityId === arguments[0])",
        activity_id,
    )


def has_notification(browser, activity_id):
    return browser.execute_script(
        "return [...document.querySelectorAll('#lane-notifications .notification')]"
        ".some(n => n.dataset.activityId === arguments[0])",
        activity_id,
    )


def still_listed(browser, activity_id):
    return browser.execute_script(
        "return [...document.querySelectorAll('#lane-next [data-activity-id], #lane-notifications [data-activity-id]')]"
        ".some(e => e.dataset.activityId === arguments[0])",
        activity_id,
    )


def open_own_workboard(browser, demo):
    login(browser, demo, "tech")
    browser.get(demo.page("/workboard"))
    expected = f"/workboard/{demo.tech_id}"
    wait_until(lambda: path_of(browser) == expected, 10, f"/workboard should redirect the technician to {expected}",
               seen=lambda: browser.current_url)
    wait_until(lambda: cards(browser), 15, "the technician's Next activities lane should list activity cards",
               seen=lambda: browser.find_element(By.ID, "lanes").get_attribute("innerHTML")[:500])


def open_card_with_ticket_status(browser, demo, skip=0):
    """The `skip`-th open card whose sandbox ticket is neither In Progress nor Complete."""
    candidates = []
    for activity_id, ticket_id, state in cards(browser):
        if state == "open" and ticket_id.isdigit():
            code, _, body = http(f"{demo.sandbox_url}v1.0/Tickets/{ticket_id}", headers=demo.sandbox_headers)
            if code == 200 and json.loads(body)["item"]["status"] not in (IN_PROGRESS, COMPLETE):
                candidates.append((activity_id, ticket_id))
                if len(candidates) > skip:
                    return candidates[skip]
    assert candidates, f"expected an open card whose ticket is not In Progress/Complete; cards: {cards(browser)}"
    return candidates[-1]


def complete(browser, demo, activity_id, ticket_id):
    notification = f'#lane-notifications .notification[data-activity-id="{activity_id}"] button[data-action=complete]'
    card = f'#lane-next li.activity-card[data-activity-id="{activity_id}"] button[data-action=complete]'
    click(browser, f"{notification}, {card}")
    wait_until(lambda: not still_listed(browser, activity_id), 20,
               f"after Complete, activity {activity_id} should leave Next activities and Working now",
               seen=lambda: cards(browser))
    wait_until(lambda: sandbox_ticket(demo, ticket_id)["status"] == COMPLETE, 30,
               f"after Complete, sandbox ticket {ticket_id} should have status {COMPLETE} (Complete)",
               interval=1, seen=lambda: sandbox_ticket(demo, ticket_id)["status"])


def test_start_and_complete_an_activity(browser, demo):
    open_own_workboard(browser, demo)
    activity_id, ticket_id = open_card_with_ticket_status(browser, demo)

    click(browser, f'#lane-next li.activity-card[data-activity-id="{activity_id}"] button[data-action=start]')
    wait_until(lambda: has_notification(browser, activity_id), 20,
               f"after Start, Working now should hold a notification for activity {activity_id}",
               seen=lambda: browser.find_element(By.ID, "lane-notifications").text)
    wait_until(lambda: card_state(browser, activity_id) == "started", 20,
               f"after Start, the card of activity {activity_id} should have data-state=started",
               seen=lambda: card_state(browser, activity_id))
    # Started work is shown once: under Working now, with its date, no longer in Next activities.
    assert not in_next_lane(browser, activity_id), (
        f"started activity {activity_id} should be shown once, under Working now, not also in Next activities")
    started = wait_until(
        lambda: text_of(browser, f'#lane-notifications [data-activity-id="{activity_id}"] .started'), 10,
        f"the started card {activity_id} under Working now should carry a started mark",
        seen=lambda: text_of(browser, "#lane-notifications"))
    assert re.fullmatch(r"started (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{2}:\d{2}", started), (
        f"the started mark should carry its date, e.g. 'started Tue 8 Sep 10:05', says {started!r}")
    wait_until(lambda: sandbox_ticket(demo, ticket_id)["status"] == IN_PROGRESS, 30,
               f"after Start, sandbox ticket {ticket_id} should have status {IN_PROGRESS} (In Progress)",
               interval=1, seen=lambda: sandbox_ticket(demo, ticket_id)["status"])
    screenshot(browser, "workboard")

    complete(browser, demo, activity_id, ticket_id)


def test_page_follows_plan_changes_without_reload(browser, demo):
    open_own_workboard(browser, demo)
    activity_id, ticket_id = open_card_with_ticket_status(browser, demo, skip=1)
    browser.execute_script("window.__marker = 1")
    wait_until(lambda: browser.execute_script("return (window.__eventSources || []).some(s => s.readyState === 1)"),
               15, "the Workboard should open its live-update EventSource (readyState OPEN)",
               seen=lambda: browser.execute_script(
                   "return (window.__eventSources || null) && window.__eventSources.map(s => [s.url, s.readyState])"))

    # Start the activity from outside the page: the same session, over plain HTTP.
    status, _, body = http(
        demo.page(f"/workboard/{demo.tech_id}/activities/{activity_id}/start"),
        method="POST",
        data={"_csrf": csrf_token(browser)},
        headers={"Cookie": cookie_header(browser), "X-CSRF-Token": csrf_token(browser), "Accept": "application/json"},
    )
    assert status < 400, f"POST …/activities/{activity_id}/start should succeed, answered {status}: {body[:300]}"

    try:
        wait_until(lambda: card_state(browser, activity_id) == "started", 20,
                   f"without a reload, the card of activity {activity_id} should turn data-state=started",
                   seen=lambda: card_state(browser, activity_id))
        assert browser.execute_script("return window.__marker") == 1, "the page reloaded (window.__marker is gone)"
        wait_until(lambda: browser.execute_script("return Number(document.body.dataset.liveUpdates || 0) >= 1"), 5,
                   "document.body.dataset.liveUpdates should count the live swap (>= 1)",
                   seen=lambda: browser.execute_script("return document.body.dataset.liveUpdates"))
    finally:
        browser.get(demo.page(f"/workboard/{demo.tech_id}"))  # a reload shows the started card in any case
        complete(browser, demo, activity_id, ticket_id)


def test_technician_cannot_read_another_workboard(browser, demo):
    open_own_workboard(browser, demo)
    fetch = (
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin', headers: {Accept: 'application/json'}})"
        ".then(r => done(r.status), e => done(String(e)))"
    )
    own = browser.execute_async_script(fetch, f"/api/v1/technicians/{demo.tech_id}/workboard")
    assert own == 200, f"the technician's own /api/v1/technicians/{demo.tech_id}/workboard should answer 200, got {own}"
    other = browser.execute_async_script(fetch, f"/api/v1/technicians/{OTHER_TECHNICIAN}/workboard")
    assert other == 403, f"/api/v1/technicians/{OTHER_TECHNICIAN}/workboard should answer 403 to a technician, got {other}"


def test_a_technician_lands_on_their_workboard_and_their_calendar_opens_on_the_day(browser, demo):
    login(browser, demo, "tech")
    wait_until(lambda: path_of(browser) == f"/workboard/{demo.tech_id}", 10,
               f"a technician should land on their own Workboard /workboard/{demo.tech_id}",
               seen=lambda: browser.current_url)
    browser.get(demo.page("/calendar"))
    calendar = browser.find_element(By.ID, "calendar")
    assert calendar.get_attribute("data-view") == "day", (
        f"a technician's /calendar should open on the day, opened on {calendar.get_attribute('data-view')!r}")


def test_a_dispatcher_lands_on_the_days_calendar_of_everyone(browser, demo):
    login(browser, demo, "dispatcher")
    calendar = wait_until(lambda: browser.find_elements(By.ID, "calendar"), 10,
                          "a dispatcher should land on the calendar", seen=lambda: browser.current_url)[0]
    assert calendar.get_attribute("data-view") == "day", "a dispatcher should land on the day view"
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-technician-id], .cal-row")
    assert len(rows) > 1, "the dispatcher's landing calendar should show every technician"

"""The Fixed Appointment Scheduler as a customer sees it (docs/booking.md): a dispatcher makes an
appointment type on Settings and a booking link; a customer books without an account — with and
without JavaScript, at phone width and by keyboard alone — gets an .ics file that two independent
readers (icalendar, vobject) place at the booked instant, moves and cancels it; of two customers
racing for one time the second is offered the nearest free ones; a tampered link gets a clear page."""

import datetime as dt
import json
import uuid

import icalendar
import pytest
import vobject
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import http, login, new_chromium, page_text, screenshot, wait_until


def api(browser, method, path, body=None):
    """Calls the API from the signed-in page (session cookie and CSRF token), returns (status, JSON)."""
    result = browser.execute_async_script(
        """
        const [method, path, body, done] = arguments;
        const token = document.querySelector('meta[name=csrf-token]').content;
        fetch(path, {method, credentials: 'same-origin',
                     headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token, 'Accept': 'application/json'},
                     body: body === null ? undefined : JSON.stringify(body)})
          .then(async r => done([r.status, await r.text()]), e => done([0, String(e)]));
        """,
        method, path, body)
    status, text = result
    return status, (json.loads(text) if text.startswith(("{", "[")) else text)


def make_link(browser, demo, name, minutes=30, technician=True, ticket_index=0):
    """As the dispatcher: an appointment type made on Settings › Appointment types, and a booking link
    for one of the demo technician's tickets. Returns the link's path."""
    login(browser, demo, "dispatcher")
    browser.get(demo.page("/settings/appointment-types"))
    browser.find_element(By.ID, "type-name").send_keys(name)
    length = browser.find_element(By.ID, "type-length")
    length.clear()
    length.send_keys(str(minutes))
    browser.find_element(By.ID, "save-type").click()
    wait_until(lambda: f"Appointment type “{name}” saved." in page_text(browser), 15,
               "saving the type should say so", seen=lambda: page_text(browser)[:400])
    type_id = browser.execute_script(
        "return [...document.querySelectorAll('tr[data-type-id]')]"
        ".find(r => r.querySelector('th').textContent.trim() === arguments[0])?.dataset.typeId", name)
    assert type_id, "the new type should be listed"
    status, activities = api(browser, "GET", f"/api/v1/activities?technicianId={demo.tech_id}")
    assert status == 200, activities
    ticket = [a for a in activities if a["state"] == "open"][ticket_index]["ticketId"]
    body = {"ticketId": ticket, "appointmentTypeId": type_id}
    if technician:
        body["technicianId"] = int(demo.tech_id)
    status, link = api(browser, "POST", "/api/v1/booking-links", body)
    assert status == 201, link
    return link["path"]


def as_customer(browser):
    """The same browser, signed out: a customer has no account."""
    browser.delete_all_cookies()


@pytest.fixture
def second_browser():
    driver = new_chromium()
    yield driver
    driver.quit()


@pytest.fixture
def browser_without_javascript():
    driver = new_chromium(javascript=False)
    yield driver
    driver.quit()


def times(browser):
    return [e for e in browser.find_elements(By.CSS_SELECTOR, "input[name=start]")]


def utc(value):
    return value.astimezone(dt.timezone.utc) if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def check_ics(text, start_utc, zone):
    """Both readers place the event at `start_utc`; the VTIMEZONE alone (icalendar's own tz built from
    it, not the system's zone) gives the same instant."""
    calendar = icalendar.Calendar.from_ical(text.encode())
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]).startswith("booking-"), event["UID"]
    assert utc(event["DTSTART"].dt) == start_utc, (event["DTSTART"].dt, start_utc)
    timezones = calendar.walk("VTIMEZONE")
    assert [str(t["TZID"]) for t in timezones] == [zone]
    own = timezones[0].to_tz()
    naive = event["DTSTART"].dt.replace(tzinfo=None)
    assert utc(naive.replace(tzinfo=own)) == start_utc, "the VTIMEZONE itself must give the same instant"
    parsed = vobject.readOne(text)
    assert utc(parsed.vevent.dtstart.value) == start_utc
    return event


def test_a_customer_books_without_javascript_and_the_ics_is_right(browser, browser_without_javascript, demo):
    path = make_link(browser, demo, f"Remote session {uuid.uuid4().hex[:4]}")
    customer = browser_without_javascript
    customer.get(demo.page(path + "?zone=Europe/London"))
    days = customer.find_elements(By.CSS_SELECTOR, "#days a")
    assert len(days) >= 2, page_text(customer)[:500]
    days[1].click()  # another day: a plain link
    wait_until(lambda: "aria-current" in (customer.find_element(By.CSS_SELECTOR, "#days li:nth-child(2) a")
                                           .get_attribute("outerHTML")), 10, "the second day should be chosen")
    screenshot(customer, "booking-page")
    choice = times(customer)[0]
    start = choice.get_attribute("value")
    choice.click()
    customer.find_element(By.ID, "customer-name").send_keys("Hannah Hart")
    customer.find_element(By.ID, "customer-email").send_keys("hannah@example.com")
    customer.find_element(By.ID, "customer-note").send_keys("Outlook keeps asking for my password.")
    customer.find_element(By.ID, "confirm-booking").click()
    wait_until(lambda: "You are booked" in page_text(customer), 15, "booking should confirm",
               seen=lambda: page_text(customer)[:500])
    assert "(Europe/London)" in page_text(customer)
    screenshot(customer, "booking-confirmed")
    ics_url = customer.find_element(By.ID, "add-to-calendar").get_attribute("href")
    status, headers, text = http(ics_url)
    assert status == 200 and headers.get("Content-Type", "").startswith("text/calendar"), (status, headers)
    check_ics(text, dt.datetime.fromisoformat(start.replace("Z", "+00:00")), "Europe/London")
    # The dispatcher's Workboard of the technician shows it in Fixed appointments, not as Imported.
    # Read in one script: live updates replace the lanes, and an element held across a swap is stale.
    browser.get(demo.page(f"/workboard/{demo.tech_id}"))
    cards = wait_until(lambda: browser.execute_script(
        "return [...document.querySelectorAll('#lane-fixed .fixed-card')]"
        ".map(c => c.innerText).filter(t => t.includes('Hannah Hart'))"), 20,
        "the booking should reach the technician's Fixed appointments lane",
        seen=lambda: browser.find_element(By.ID, "lane-fixed").text[:400])
    assert all("Imported" not in text for text in cards), cards


def test_the_customers_zone_is_detected_and_the_ics_carries_it(browser, demo):
    path = make_link(browser, demo, f"Call {uuid.uuid4().hex[:4]}", minutes=15)
    as_customer(browser)
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Australia/Lord_Howe"})
    browser.get(demo.page(path))
    wait_until(lambda: browser.find_element(By.ID, "zone").get_attribute("value") == "Australia/Lord_Howe", 15,
               "the page should switch to the browser's own zone",
               seen=lambda: browser.find_element(By.ID, "zone").get_attribute("value"))
    choice = times(browser)[0]
    start = choice.get_attribute("value")
    choice.click()
    browser.find_element(By.ID, "customer-name").send_keys("Lord Howe Customer")
    browser.find_element(By.ID, "customer-email").send_keys("lh@example.com")
    browser.find_element(By.ID, "confirm-booking").click()
    wait_until(lambda: "You are booked" in page_text(browser), 15, "booking should confirm",
               seen=lambda: page_text(browser)[:500])
    assert "(Australia/Lord_Howe)" in page_text(browser)
    _, _, text = http(browser.find_element(By.ID, "add-to-calendar").get_attribute("href"))
    check_ics(text, dt.datetime.fromisoformat(start.replace("Z", "+00:00")), "Australia/Lord_Howe")
    assert "TZOFFSETTO:+1100" in text and "TZOFFSETTO:+1030" in text, "Lord Howe's half-hour shift"


def test_of_two_customers_racing_for_one_time_the_second_is_offered_the_nearest(browser, second_browser, demo):
    # Two customers, two tickets of one technician: two links offering the same times.
    path = make_link(browser, demo, f"Race {uuid.uuid4().hex[:4]}", ticket_index=1)
    other = make_link(browser, demo, f"Race {uuid.uuid4().hex[:4]}", ticket_index=2)
    as_customer(browser)
    browser.get(demo.page(path + "?zone=America/New_York"))
    second_browser.get(demo.page(other + "?zone=America/New_York"))
    start = times(browser)[0].get_attribute("value")
    for customer, name in ((browser, "First Customer"), (second_browser, "Second Customer")):
        [e for e in times(customer) if e.get_attribute("value") == start][0].click()
        customer.find_element(By.ID, "customer-name").send_keys(name)
        customer.find_element(By.ID, "customer-email").send_keys("race@example.com")
    browser.find_element(By.ID, "confirm-booking").click()
    wait_until(lambda: "You are booked" in page_text(browser), 15, "the first should be booked")
    second_browser.find_element(By.ID, "confirm-booking").click()
    wait_until(lambda: "that time was just taken" in page_text(second_browser), 15,
               "the second should be told the time was just taken", seen=lambda: page_text(second_browser)[:500])
    offered = [e.get_attribute("value") for e in times(second_browser)]
    assert offered and start not in offered, offered
    assert second_browser.find_element(By.ID, "customer-name").get_attribute("value") == "Second Customer"
    screenshot(second_browser, "booking-taken")


def test_keyboard_only_at_phone_width_book_move_and_cancel(browser, demo):
    path = make_link(browser, demo, f"Phone {uuid.uuid4().hex[:4]}", technician=False)
    as_customer(browser)
    browser.set_window_size(390, 844)
    browser.get(demo.page(path + "?zone=America/New_York"))
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    first = times(browser)[0]
    first.send_keys(Keys.SPACE)
    assert first.is_selected(), "Space picks a time"
    browser.find_element(By.ID, "customer-name").send_keys("Keyboard Customer")
    email = browser.find_element(By.ID, "customer-email")
    email.send_keys("keys@example.com")
    screenshot(browser, "booking-phone")
    email.send_keys(Keys.ENTER)
    wait_until(lambda: "You are booked" in page_text(browser), 15, "Enter should book",
               seen=lambda: page_text(browser)[:400])
    booked_at = browser.find_element(By.ID, "booking-summary").text
    browser.find_element(By.ID, "reschedule").send_keys(Keys.ENTER)
    wait_until(lambda: "Now booked:" in page_text(browser), 15, "the move page should show the booked time")
    other = [e for e in times(browser) if not e.is_selected()][-1]
    other.send_keys(Keys.SPACE)
    browser.find_element(By.ID, "confirm-booking").send_keys(Keys.ENTER)
    wait_until(lambda: "Your appointment was moved" in page_text(browser), 15, "the move should be confirmed",
               seen=lambda: page_text(browser)[:400])
    assert browser.find_element(By.ID, "booking-summary").text != booked_at
    browser.find_element(By.ID, "cancel-booking").send_keys(Keys.ENTER)
    wait_until(lambda: browser.switch_to.alert, 5, "cancelling should ask first")
    browser.switch_to.alert.accept()
    wait_until(lambda: "is cancelled" in page_text(browser), 15, "the cancellation should be confirmed",
               seen=lambda: page_text(browser)[:400])


def test_a_tampered_link_gets_a_clear_page(browser, demo):
    path = make_link(browser, demo, f"Tamper {uuid.uuid4().hex[:4]}")
    as_customer(browser)
    tampered = path[:-1] + ("A" if path[-1] != "A" else "B")
    browser.get(demo.page(tampered))
    assert "This link does not work" in page_text(browser)
    assert not times(browser), "a tampered link offers no times"


def test_the_technicians_calendar_feed_reads_in_two_parsers(browser, demo):
    login(browser, demo, "tech")
    browser.get(demo.page(f"/workboard/{demo.tech_id}"))
    browser.find_element(By.CSS_SELECTOR, "#calendar-feed summary").click()
    url = browser.find_element(By.ID, "feed-url").get_attribute("value")
    assert f"/feeds/{demo.tech_id}-" in url, url
    status, headers, text = http(url)
    assert status == 200 and headers.get("Content-Type", "").startswith("text/calendar"), (status, headers)
    calendar = icalendar.Calendar.from_ical(text.encode())
    events = calendar.walk("VEVENT")
    assert events, "the feed should hold the technician's plan"
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)), "every event has its own UID"
    assert any(u.startswith("block-") for u in uids), "Next Activity blocks are in the feed"
    for event in events:
        assert utc(event["DTSTART"].dt) < utc(event["DTEND"].dt), event["UID"]
    parsed = vobject.readOne(text)
    assert len(parsed.vevent_list) == len(events), "a second reader sees the same events"


def test_an_open_booking_link_form_survives_a_live_update(browser, demo):
    """A dispatcher choosing a type in a card's Booking link… form keeps it open, with the choice,
    when a plan change swaps the lanes underneath (docs/web.md, live updates)."""
    from test_calendar_live import site_settings

    make_link(browser, demo, f"Second {uuid.uuid4().hex[:4]}")  # at least two types to choose from
    browser.get(demo.page(f"/workboard/{demo.tech_id}"))
    wait_until(lambda: browser.execute_script("return (window.__eventSources || []).some(s => s.readyState === 1)"),
               15, "the Workboard should open its live-update stream")

    def open_form():
        details = browser.find_element(By.CSS_SELECTOR, "#lane-next details.booking-link-action")
        if details.get_attribute("open") is None:
            details.find_element(By.CSS_SELECTOR, "summary").click()
        choices = details.find_elements(By.CSS_SELECTOR, "select[name=appointmentTypeId] option")
        choices[-1].click()
        return details.find_element(By.XPATH, "ancestor::li[@data-activity-id]").get_attribute("data-activity-id"), \
            choices[-1].get_attribute("value")

    card, chosen = wait_until(open_form, 15, "a card should offer Booking link…")
    swaps = int(browser.execute_script("return document.body.dataset.liveUpdates || '0'"))
    original = site_settings(browser, demo)
    gap = original.get("minMinutesFreeBetweenActivities", 0)
    try:
        site_settings(browser, demo, dict(original, minMinutesFreeBetweenActivities=0 if gap >= 60 else 90))
        wait_until(lambda: int(browser.execute_script("return document.body.dataset.liveUpdates || '0'")) > swaps,
                   20, "the lanes should be swapped by the live update")
    finally:
        site_settings(browser, demo, original)
    state = browser.execute_script(
        "const d = document.querySelector(`[data-activity-id=\"${arguments[0]}\"] details.booking-link-action`);"
        "return d && [d.open, d.querySelector('select[name=appointmentTypeId]').value];", card)
    assert state == [True, chosen], f"the form should stay open with the chosen type, is {state}"

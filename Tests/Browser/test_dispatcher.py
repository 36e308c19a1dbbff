"""The demo keeps an hour free between activities. A dispatcher lowers Min Minutes Free Between
Activities to 0 and raises it to 60 again: the calendar then keeps at least
an hour free between consecutive activity blocks of a technician (and shows the free gaps), while the
Workboard order of every technician stays exactly as it was. Clicking an activity in the calendar explains
why it is there."""

import datetime as dt

from selenium.common.exceptions import ElementClickInterceptedException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import click, login, page_text, path_of, screenshot, wait_for_quiet_calendar, wait_until

SETTING = "minMinutesFreeBetweenActivities"


def parse(iso):
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def week_dates(demo):
    """Week views from the demo's today and from today + 7: the planning horizon, even for a run at
    the weekend. (The server starts a week view at `date`; a server that shows the week containing it
    works too.)"""
    today = demo.now().date()
    return [today.isoformat(), (today + dt.timedelta(days=7)).isoformat()]


def calendar_items(browser, demo, dates=None):
    """Every `.cal-item` of the week views containing `dates`, as dicts (tech, kind, start, end, id)."""
    seen, items = set(), []
    for date in dates or week_dates(demo):
        browser.get(demo.page(f"/calendar?view=week&date={date}"))
        wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "#calendar .cal-row"), 15,
                   f"/calendar?view=week&date={date} should show #calendar with .cal-row rows",
                   seen=lambda: page_text(browser)[:300])
        for item in browser.execute_script(
            "return [...document.querySelectorAll('#calendar .cal-row .cal-item')].map(i => ({"
            "tech: i.closest('.cal-row').dataset.technicianId, kind: i.dataset.kind, start: i.dataset.start,"
            "end: i.dataset.end, id: i.dataset.activityId || ''}))"
        ):
            key = tuple(item.values())
            if key not in seen:
                seen.add(key)
                items.append(item)
    return items


def activity_gaps(items, after):
    """(technician, activity before, activity after, free minutes) for consecutive activity blocks of each
    technician, counting only pairs that lie wholly after `after` (past and started blocks do not move)."""
    rows = {}
    for item in items:
        if item["kind"] == "activity":
            rows.setdefault(item["tech"], []).append((parse(item["start"]), parse(item["end"]), item["id"]))
    gaps = []
    for tech, blocks in rows.items():
        blocks.sort()
        for before, following in zip(blocks, blocks[1:]):
            if before[0] >= after:
                minutes = (following[0] - before[1]).total_seconds() / 60
                gaps.append((tech, before[2], following[2], minutes))
    return gaps


def workboard_order(browser, demo, technician):
    browser.get(demo.page(f"/workboard/{technician}"))
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, f'#workboard[data-technician-id="{technician}"]'), 15,
               f"/workboard/{technician} should show #workboard[data-technician-id={technician}]",
               seen=lambda: browser.current_url)
    return browser.execute_script(
        "return [...document.querySelectorAll('#lane-next li.activity-card')].map(c => c.dataset.activityId)"
    )


def set_min_free(browser, demo, minutes):
    browser.get(demo.page("/settings"))
    field = browser.find_element(By.ID, SETTING)
    field.clear()
    field.send_keys(str(minutes))
    click(browser, "#save-site-settings")
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, ".flash-ok"), 15,
               f"saving {SETTING}={minutes} should show .flash-ok",
               seen=lambda: [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".flash")] or page_text(browser)[:300])
    shown = shown_min_free(browser)
    assert shown == minutes, f"after saving, #{SETTING} should show {minutes}, shows {shown!r}"


def shown_min_free(browser):
    """The site value in the form; blank means the default, 0."""
    text = browser.find_element(By.ID, SETTING).get_attribute("value").strip()
    return int(text) if text.isdigit() else (0 if text == "" else text)


def test_min_free_minutes_opens_gaps_but_keeps_workboard_order(browser, demo):
    login(browser, demo, "dispatcher")
    browser.get(demo.page("/workboard"))
    options = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#technician-picker option")]
    assert demo.tech_id in options, f"#technician-picker should list {demo.tech_id}, lists {options}"
    others = [o for o in options if o != demo.tech_id]
    assert others, f"#technician-picker should list more than one technician, lists {options}"
    technicians = [demo.tech_id, others[0]]
    orders = {t: workboard_order(browser, demo, t) for t in technicians}
    assert any(orders.values()), f"the Workboards of {technicians} should list activities, saw {orders}"

    browser.get(demo.page("/settings"))
    current = shown_min_free(browser)
    assert current == 60, f"the demo should start with {SETTING} = 60 (bookable gaps), settings show {current!r}"
    try:
        # Packed first, so raising the setting has something to open.
        set_min_free(browser, demo, 0)
        now = demo.now()

        def packed():
            gaps = activity_gaps(calendar_items(browser, demo), now)
            return [g for g in gaps if g[3] < 60], len(gaps)

        wait_until(lambda: packed()[0], 60, "with 0 free minutes, some consecutive activity blocks should be "
                   "less than 60 minutes apart", interval=2, seen=lambda: packed()[1])
        orders = {t: workboard_order(browser, demo, t) for t in technicians}
        set_min_free(browser, demo, 60)
        now = demo.now()

        def spaced():
            items = calendar_items(browser, demo)
            gaps = activity_gaps(items, now)
            short = [g for g in gaps if g[3] < 60]
            free = [i for i in items if i["kind"] == "free"]
            return (not short and gaps and free, short[:5], len(gaps), len(free))

        wait_until(lambda: spaced()[0], 60, "with 60 free minutes, every pair of consecutive activity blocks "
                   "should be >= 60 minutes apart and .cal-item[data-kind=free] gaps should show",
                   interval=2, seen=lambda: "(short gaps, pairs, free items) = %r" % (spaced()[1:],))

        # The pictures in the README: the week and the day at a dispatcher's 1920 px, gaps kept.
        browser.set_window_size(1920, 1080)
        browser.get(demo.page(f"/calendar?view=week&date={week_dates(demo)[0]}"))
        if not browser.find_elements(By.CSS_SELECTOR, ".cal-item[data-kind=activity]"):
            browser.get(demo.page(f"/calendar?view=week&date={week_dates(demo)[1]}"))
        screenshot(browser, "calendar")
        browser.get(demo.page(f"/calendar?view=day&date={demo.now().date().isoformat()}"))
        wait_for_quiet_calendar(browser)
        screenshot(browser, "calendar-day")

        after = {t: workboard_order(browser, demo, t) for t in technicians}
        assert after == orders, f"the Workboard order should not change: before {orders}, after {after}"
    finally:
        set_min_free(browser, demo, 60)  # as the demo started


def test_activity_item_explains_its_place(browser, demo):
    login(browser, demo, "dispatcher")
    for date in week_dates(demo):
        browser.get(demo.page(f"/calendar?view=week&date={date}"))
        if browser.find_elements(By.CSS_SELECTOR, ".cal-item[data-kind=activity]"):
            break
    def click_widest_activity():
        """Finds and clicks the widest activity item. A live update may replace the calendar between the
        find and the click (the element goes stale): `wait_until` then simply tries again."""
        items = [i for i in browser.find_elements(By.CSS_SELECTOR, ".cal-item[data-kind=activity]")
                 if i.is_displayed()]
        if not items:
            return False
        item = max(items, key=lambda i: i.size["width"])  # the widest is the easiest to hit
        browser.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", item)
        try:
            item.click()
        except ElementClickInterceptedException:  # a neighbouring item covers it: use the keyboard instead
            browser.execute_script("arguments[0].focus()", item)
            item.send_keys(Keys.ENTER)
        return True

    wait_for_quiet_calendar(browser)
    wait_until(click_widest_activity, 10, "the calendar should show an activity item to click")
    panel = browser.find_element(By.ID, "explain-panel")
    wait_until(lambda: panel.is_displayed() and panel.text.strip(), 10,
               "clicking an activity item should show #explain-panel with its explanation",
               seen=lambda: (panel.get_attribute("hidden"), panel.text))
    assert "position" in panel.text.lower(), f"#explain-panel should mention the Workboard position, shows {panel.text!r}"
    assert path_of(browser) == "/calendar", f"showing the explanation should not navigate, URL is {browser.current_url}"

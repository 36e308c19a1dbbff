"""One story on both pages: the Workboard gives the order and, for each activity, when it is on the
calendar (what Autotask and Outlook show) — the same blocks the calendar draws. The work plan's own
estimate appears only where a due date is at risk, and says which kind of risk and by how much. And
the demo looks like a real MSP's Tuesday: a few fires, most work on time."""

import re

from selenium.webdriver.common.by import By

from conftest import login, wait_until


def workboard_blocks(browser):
    """(activity id, start, end) of every block the Workboard's cards say is on the calendar."""
    blocks = set()
    for activity_id, spans in browser.execute_script(
        "return [...document.querySelectorAll('.lanes [data-activity-id]')]"
        ".map(c => [c.dataset.activityId, c.querySelector('.calendar-time')?.dataset.blocks || ''])"
    ):
        for span in spans.split():
            start, end = span.split("/")
            blocks.add((activity_id, start, end))
    return blocks


def calendar_blocks(browser):
    return {
        tuple(item)
        for item in browser.execute_script(
            "return [...document.querySelectorAll('.cal-item[data-kind=activity]')]"
            ".map(i => [i.dataset.activityId, i.dataset.start, i.dataset.end])"
        )
    }


def test_the_workboard_and_the_calendar_agree_on_every_blocks_time(browser, demo):
    login(browser, demo, "dispatcher")
    browser.get(demo.page("/workboard"))
    technicians = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#technician-picker option")]
    checked = 0
    for technician in technicians[:4]:
        browser.get(demo.page(f"/workboard/{technician}"))
        wait_until(lambda: browser.find_elements(By.ID, "lane-next"), 15, f"/workboard/{technician} has no lanes")
        on_workboard = workboard_blocks(browser)
        browser.get(demo.page(f"/calendar?view=week&technician={technician}"))
        calendar = browser.find_element(By.ID, "calendar")
        row = browser.find_element(By.CSS_SELECTOR, f'.cal-row[data-technician-id="{technician}"]')
        first, last = row.get_attribute("data-range-start"), row.get_attribute("data-range-end")
        on_calendar = calendar_blocks(browser)
        shown = {b for b in on_workboard if b[1] < last and b[2] > first}
        assert on_calendar == shown, (
            f"technician {technician}: the calendar ({calendar.get_attribute('data-start')}, "
            f"{len(on_calendar)} blocks) and the Workboard ({len(shown)} blocks in the same week) disagree; "
            f"only on the calendar: {sorted(on_calendar - shown)[:3]}, only on the Workboard: {sorted(shown - on_calendar)[:3]}")
        checked += len(shown)
    assert checked > 20, f"expected the demo's technicians to have blocks this week, found {checked}"


def test_at_risk_says_which_kind_and_by_how_much(browser, demo):
    login(browser, demo, "dispatcher")
    browser.get(demo.page("/workboard"))
    technicians = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#technician-picker option")]
    cards = at_risk = 0
    sentences = []
    for technician in technicians:
        browser.get(demo.page(f"/workboard/{technician}"))
        wait_until(lambda: browser.find_elements(By.ID, "lane-next"), 15, f"/workboard/{technician} has no lanes")
        # Read in one script: a live update swapping the lanes mid-loop cannot leave a stale reference.
        shown = browser.execute_script(
            "return [...document.querySelectorAll('#lane-next li.activity-card, #lane-notifications li.activity-card')]"
            ".map(c => { const b = c.querySelector('.badge-at-risk'), d = c.querySelector('.due');"
            " return [c.dataset.atRisk === 'true', b ? b.dataset.risk : null, b ? b.outerHTML : '',"
            " d ? d.innerText : ''] })")
        for risky, risk, badge_html, due in shown:
            cards += 1
            if risky:
                at_risk += 1
                sentences.append(due)
                if risk == "late":
                    assert re.search(r"^due .+; the work finishes .+, (\d+ d)?( ?\d+ h)?( ?\d+ min)? late$", due), (
                        f"a late card should say when it is due, when the work finishes and by how much: {due!r}")
                else:
                    assert risk == "not-within-horizon", (
                        f"an at-risk card should carry a late or not-within-horizon badge: {badge_html or 'no badge'}")
                    assert "does not finish within the planning horizon" in due, due
    assert cards > 100, f"the demo should have Next Activities on its Workboards, found {cards}"
    assert 0 < at_risk < cards * 0.25, (
        f"the demo should look like a real Tuesday, a few fires and most work on time: {at_risk} of {cards} "
        f"cards are at risk ({100 * at_risk / cards:.0f}%); some: {sentences[:3]}")

"""On a phone the calendar is a day agenda per technician: every block of the day as a readable line,
nothing squeezed into a time grid; a technician lands on their own day."""

from selenium.webdriver.common.by import By

from conftest import login, screenshot, wait_for_quiet_calendar, wait_until


def test_a_phone_shows_the_technicians_day_as_an_agenda_with_every_block(browser, demo):
    browser.set_window_size(390, 844)
    login(browser, demo, "tech")
    browser.get(demo.page("/calendar"))
    wait_for_quiet_calendar(browser)
    calendar = browser.find_element(By.ID, "calendar")
    assert calendar.get_attribute("data-view") == "day", "a technician's calendar should open on their day"
    blocks = browser.execute_script(
        "return [...document.querySelectorAll('.cal-track .cal-item[data-kind=activity]')]"
        ".map(i => i.dataset.activityId + '@' + i.dataset.start)")
    assert blocks, "the technician's day should have activity blocks"
    agenda = [e for e in browser.find_elements(By.CSS_SELECTOR, ".cal-agenda .agenda-item[data-kind=activity]")
              if e.is_displayed()]
    shown = {f"{e.get_attribute('data-activity-id')}@{e.get_attribute('data-start')}" for e in agenda}
    assert shown == set(blocks), (
        f"the phone agenda should list every block of the day: missing {sorted(set(blocks) - shown)[:3]}, "
        f"extra {sorted(shown - set(blocks))[:3]}")
    assert not any(e.is_displayed() for e in browser.find_elements(By.CSS_SELECTOR, ".cal-track")), (
        "on a phone the time grid should give way to the agenda")
    for entry in agenda:
        width = entry.size["width"]
        right = entry.rect["x"] + width
        assert width >= 300 and right <= 390, (
            f"an agenda line should use the phone's width and stay on screen, spans {entry.rect['x']}–{right}px: "
            f"{entry.text!r}")
        time_text = entry.find_element(By.CSS_SELECTOR, ".agenda-time").text
        assert "–" in time_text, f"each line should show its times, shows {time_text!r}"
    document_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert document_width <= 400, f"the page should not scroll sideways on a phone ({document_width}px wide)"
    # Selecting a line explains it, as a block does on a wide screen.
    agenda[0].click()
    panel = wait_until(lambda: [p for p in browser.find_elements(By.ID, "explain-panel") if p.is_displayed()], 5,
                       "selecting an agenda line should open its explanation")[0]
    assert "Workboard order" in panel.text, panel.text
    screenshot(browser, "calendar-phone")

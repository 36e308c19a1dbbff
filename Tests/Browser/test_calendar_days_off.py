"""A holiday does not look like missing data: the calendar labels it with its name, and days without
shifts say so (issue 12: New York's holiday Friday was blank)."""

import datetime as dt

from selenium.webdriver.common.by import By

from conftest import login


def day_notes(browser):
    return browser.execute_script(
        "return [...document.querySelectorAll('.cal-row[data-technician-id] .cal-day[data-off]')]"
        ".map(d => [d.closest('.cal-row').dataset.technicianId, d.dataset.off,"
        " d.querySelector('.cal-day-note')?.textContent || ''])"
    )


def test_holidays_and_days_without_shifts_are_labelled(browser, demo):
    login(browser, demo, "dispatcher")
    start = dt.date.fromisoformat(demo.start[:10])
    holidays, no_shifts = [], []
    # The demo's offices have public holidays within a few weeks of any date (Pune: Gandhi Jayanti on
    # 2 October; New York and London in the weeks around).
    for week in range(6):
        date = start + dt.timedelta(days=7 * week)
        browser.get(demo.page(f"/calendar?view=week&date={date}"))
        browser.find_element(By.ID, "calendar")
        for technician, off, note in day_notes(browser):
            if off == "holiday":
                holidays.append((date, technician, note))
            elif off == "no-shifts":
                no_shifts.append(note)
        if holidays:
            break
    assert holidays, "no holiday was labelled on the demo's calendar in six weeks"
    for date, technician, note in holidays:
        assert note.startswith("Holiday: ") and len(note) > len("Holiday: "), (
            f"technician {technician}'s holiday in the week of {date} should carry its name, says {note!r}")
    assert no_shifts and set(no_shifts) == {"No shifts"}, f"weekends should say 'No shifts', say {set(no_shifts)}"


def test_the_week_says_what_each_day_holds_in_words(browser, demo):
    browser.set_window_size(1400, 900)
    login(browser, demo, "dispatcher")
    browser.get(demo.page("/calendar?view=week"))
    summaries = browser.execute_script(
        "return [...document.querySelectorAll('.cal-row[data-technician-id] .cal-day')]"
        ".map(d => [d.dataset.off || '', d.querySelector('.cal-day-summary')?.textContent || ''])"
    )
    working = [text for off, text in summaries if not off]
    assert working, "the week should have working days"
    for text in working:
        assert ("booked" in text) and ("free" in text), (
            f"each working day of the week should say what is booked and free, says {text!r}")
    assert any("at risk" in text for text in working), "the week should count at-risk work where there is some"
    assert all(not text for off, text in summaries if off), "a day off carries its note, not a summary"

"""Service calls that Liftoff did not create (the demo's TimeZest bookings) are imported and shown in the
Fixed lane of the Workboard with an "Imported" badge, and nothing else sits in that lane.

Liftoff's own fixed appointments (the booking page, not built yet) would carry no such badge; the demo
has none, so that rule is not exercised here — the `fixed` branch below only guards against a
mislabelled card should one appear."""

import datetime as dt

from selenium.webdriver.common.by import By

from conftest import login, screenshot, wait_until


def fixed_cards(browser):
    return browser.execute_script(
        "return [...document.querySelectorAll('#lane-fixed .fixed-card')].map(c => ({"
        "kind: c.dataset.kind, start: c.dataset.start, end: c.dataset.end, text: c.innerText,"
        "badges: [...c.querySelectorAll('.badge-imported')].map(b => b.innerText.trim())}))"
    )


def test_imported_timezest_calls_are_labelled_in_the_fixed_lane(browser, demo):
    login(browser, demo, "dispatcher")
    browser.get(demo.page("/workboard"))
    technicians = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#technician-picker option")]
    assert len(technicians) > 1, f"#technician-picker should list the demo's technicians, lists {technicians}"

    imported_on, mislabelled = [], []
    for technician in technicians:
        browser.get(f"{demo.url}/workboard/{technician}")
        wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "#lane-fixed"), 15,
                   f"/workboard/{technician} should have a #lane-fixed lane", seen=lambda: browser.current_url)
        for card in fixed_cards(browser):
            if card["kind"] == "imported":
                assert card["badges"] == ["Imported"], (
                    f"an imported card on /workboard/{technician} should carry one .badge-imported 'Imported', "
                    f"carries {card['badges']}: {card['text']!r}")
                for edge in ("start", "end"):
                    assert card[edge] and dt.datetime.fromisoformat(card[edge].replace("Z", "+00:00")), (
                        f"an imported card should have an ISO 8601 data-{edge}, has {card[edge]!r}")
                imported_on.append(technician)
            elif card["kind"] == "fixed" and card["badges"]:
                mislabelled.append((technician, card["text"]))
            elif card["kind"] not in ("fixed", "imported"):
                mislabelled.append((technician, f"unknown data-kind {card['kind']!r}: {card['text']}"))

    assert imported_on, (
        f"at least one technician's Fixed lane should show an imported TimeZest call "
        f"(.fixed-card[data-kind=imported]); looked at {technicians}")
    assert not mislabelled, f"fixed appointments must not carry the Imported badge (or an unknown kind): {mislabelled}"

    browser.get(f"{demo.url}/workboard/{imported_on[0]}")
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "#lane-fixed .fixed-card[data-kind=imported]"), 15,
               f"/workboard/{imported_on[0]} should show its imported card again")
    screenshot(browser, "workboard-fixed")

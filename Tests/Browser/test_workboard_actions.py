"""Workboard actions confirm in place, offer Undo for a few seconds and keep the keyboard where it was
(docs/web.md): after Start the focus stays on the acted card; after Cancel the card leaves and its
confirmation stands where it was, with Undo focused; Undo brings the card and its ticket status back."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import click, login, sandbox_ticket, wait_until


def settled_action(browser, act, message):
    """Runs `act` (which finds its elements afresh and does one user action last) until it gets through:
    a live update may swap the lanes between finding an element and using it. The page keeps the user's
    place across a swap (focus, an open reason and its text), so doing the action again on the new
    element is what the user's own click or key would have done."""

    def attempt():
        act()
        return True

    wait_until(attempt, 15, message)


def active_card_id(browser):
    return browser.execute_script(
        "const a = document.activeElement;"
        "const c = a && a.closest('[data-activity-id]');"
        "return c ? c.dataset.activityId : (a ? a.tagName + '.' + a.className : null)")


def next_card(browser, position):
    """The activity id and ticket id of the Next activities card at `position` (1-based) with a Start button."""
    cards = wait_until(lambda: browser.execute_script(
        "return [...document.querySelectorAll('#lane-next li.activity-card')]"
        ".filter(c => c.querySelector('button[data-action=start]'))"
        ".map(c => [c.dataset.activityId, c.dataset.ticketId])"), 15,
        "Next activities should list cards with a Start button")
    assert len(cards) >= position, f"need {position} startable cards, have {cards}"
    return cards[position - 1]


def test_start_confirms_in_the_card_keeps_focus_and_undo_takes_it_back(browser, demo):
    login(browser, demo, "tech")
    browser.get(demo.page("/workboard"))
    activity_id, ticket_id = next_card(browser, 2)
    status_before = sandbox_ticket(demo, ticket_id)["status"]

    def press_start():
        start = browser.find_element(
            By.CSS_SELECTOR, f'#lane-next [data-activity-id="{activity_id}"] button[data-action=start]')
        browser.execute_script("arguments[0].focus()", start)
        start.send_keys(Keys.ENTER)

    settled_action(browser, press_start, "the Start button should take the Enter key")

    # Text and Undo read in one script: a live update may swap the lanes between two WebDriver calls.
    text, has_undo = wait_until(lambda: browser.execute_script(
        "const e = [...document.querySelectorAll(arguments[0])].find(e => e.offsetParent !== null);"
        "return e ? [e.innerText, !!e.querySelector('button.undo')] : null",
        f'.action-confirm[data-confirms="{activity_id}"]'), 15, "Start should be confirmed in the acted card")
    assert text.startswith("Started:"), f"the confirmation should say what happened: {text!r}"
    assert has_undo, "the confirmation should offer Undo"
    wait_until(lambda: active_card_id(browser) == activity_id, 10,
               "after Start the focus should stay on the acted card (now under Working now)",
               seen=lambda: active_card_id(browser))
    assert browser.execute_script("return document.activeElement !== document.body")

    click(browser, f'.action-confirm[data-confirms="{activity_id}"] button.undo')
    wait_until(lambda: browser.find_elements(
        By.CSS_SELECTOR, f'#lane-next [data-activity-id="{activity_id}"] button[data-action=start]'), 15,
        "Undo should bring the card back to Next activities with its Start button")
    done = wait_until(lambda: [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".action-confirm")
                               if e.text.startswith("Undone")], 10, "Undo should be confirmed too")[0]
    assert "open again" in done, done
    wait_until(lambda: active_card_id(browser) == activity_id, 10,
               "after Undo the focus should be on the card again", seen=lambda: active_card_id(browser))
    wait_until(lambda: sandbox_ticket(demo, ticket_id)["status"] == status_before, 30,
               f"Undo should give ticket {ticket_id} its earlier status {status_before} in Autotask",
               interval=1, seen=lambda: sandbox_ticket(demo, ticket_id)["status"])


def test_cancel_leaves_a_confirmation_where_the_card_stood_with_undo_focused(browser, demo):
    login(browser, demo, "tech")
    browser.get(demo.page("/workboard"))
    activity_id, _ = next_card(browser, 3)
    position = browser.execute_script(
        "return [...document.querySelectorAll('#lane-next .activity-list > li')]"
        ".findIndex(c => c.dataset.activityId === arguments[0])", activity_id)

    def cancel_with_reason():
        card = browser.find_element(By.CSS_SELECTOR, f'#lane-next [data-activity-id="{activity_id}"]')
        details = card.find_element(By.CSS_SELECTOR, "details.reason-action")
        if details.get_attribute("open") is None:
            details.find_element(By.CSS_SELECTOR, "summary").click()
        reason = card.find_element(By.CSS_SELECTOR, 'form[data-action=cancel] input[name="reason"]')
        reason.clear()
        reason.send_keys("customer fixed it themselves" + Keys.ENTER)

    settled_action(browser, cancel_with_reason, "the Cancel form should take a reason and Enter")

    wait_until(lambda: not browser.find_elements(
        By.CSS_SELECTOR, f'#lane-next li.activity-card[data-activity-id="{activity_id}"]'), 15,
        "a cancelled card should leave Next activities")
    # Text and place read in one script: a live update may swap the lane between two WebDriver calls.
    text, index = wait_until(lambda: browser.execute_script(
        "const e = document.querySelector(arguments[0]); if (!e) return null;"
        "return [e.innerText, [...document.querySelectorAll('#lane-next .activity-list > li')].indexOf(e)]",
        f'#lane-next .action-confirm-detached[data-confirms="{activity_id}"]'), 10,
        "the cancellation should be confirmed where the card stood")
    assert text.startswith("Cancelled:"), text
    assert index == position, f"the confirmation should stand at the card's place {position}, stands at {index}"
    focused = browser.switch_to.active_element
    assert "undo" in (focused.get_attribute("class") or ""), (
        f"with the card gone, focus should be on its Undo, is on {focused.tag_name}.{focused.get_attribute('class')}")

    settled_action(browser, lambda: browser.switch_to.active_element.send_keys(Keys.ENTER),
                   "the focused Undo should take the Enter key")
    wait_until(lambda: browser.find_elements(
        By.CSS_SELECTOR, f'#lane-next li.activity-card[data-activity-id="{activity_id}"]'), 15,
        "Undo should bring the cancelled card back")
    back = browser.execute_script(
        "return [...document.querySelectorAll('#lane-next .activity-list > li.activity-card')]"
        ".findIndex(c => c.dataset.activityId === arguments[0])", activity_id)
    assert back == position, f"the card should come back to its place {position}, came back at {back}"

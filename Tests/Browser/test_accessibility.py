"""Accessibility basics on every page a dispatcher and a technician use: one <h1>, a lang, a skip link
to #main, a label for every visible form field, names on every button, and the keyboard reaching a
calendar block and opening its explanation with Enter (Escape closes it and gives focus back)."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import login, wait_for_quiet_calendar, wait_until

UNLABELLED = """
return [...document.querySelectorAll('input, select, textarea')].filter(field => {
  if (field.type === 'hidden' || field.offsetParent === null) return false;
  if (field.getAttribute('aria-label') || field.getAttribute('aria-labelledby')) return false;
  if (field.closest('label')) return false;
  return !(field.id && document.querySelector(`label[for="${field.id}"]`));
}).map(field => field.outerHTML.slice(0, 120));
"""

NAMELESS_BUTTONS = """
return [...document.querySelectorAll('button')].filter(button =>
  !(button.textContent.trim() || button.getAttribute('aria-label'))).map(b => b.outerHTML.slice(0, 120));
"""


def check_page(browser, demo, path):
    browser.get(demo.page(path))
    wait_until(lambda: browser.find_elements(By.TAG_NAME, "h1"), 15, f"{path} should have a heading")
    assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1, f"{path} should have exactly one <h1>"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang"), f"{path} should declare its language"
    assert browser.execute_script(UNLABELLED) == [], f"{path}: form fields without a label"
    assert browser.execute_script(NAMELESS_BUTTONS) == [], f"{path}: buttons without a name"
    if path != "/login":
        assert browser.find_elements(By.CSS_SELECTOR, "a.skip-link[href='#main']"), f"{path} needs a skip link"
        assert browser.find_elements(By.ID, "main"), f"{path} needs the #main landmark the skip link targets"


def test_pages_have_labels_headings_and_skip_links(browser, demo):
    check_page(browser, demo, "/login")
    login(browser, demo, "dispatcher")
    for path in ["/workboard", "/calendar?view=week", "/calendar?view=day", "/settings"]:
        check_page(browser, demo, path)


def test_keyboard_opens_and_closes_a_block_explanation(browser, demo):
    login(browser, demo, "dispatcher")
    browser.get(demo.page("/calendar?view=week"))
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, ".cal-item[data-kind=activity]"), 15,
               "the week view should show activity blocks")
    wait_for_quiet_calendar(browser)
    block = browser.find_elements(By.CSS_SELECTOR, ".cal-item[data-kind=activity]")[0]
    block_id = block.get_attribute("data-activity-id")
    assert block.get_attribute("tabindex") == "0", "activity blocks must be reachable with Tab"
    browser.execute_script("arguments[0].focus()", block)
    block.send_keys(Keys.ENTER)
    panel = browser.find_element(By.ID, "explain-panel")
    wait_until(lambda: panel.is_displayed() and panel.text.strip(), 10, "Enter on a block should open #explain-panel")
    assert "Position" in panel.text, f"the explanation should give the Workboard position: {panel.text!r}"
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_until(lambda: not panel.is_displayed(), 10, "Escape should close #explain-panel")
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-activity-id") == block_id, \
        "closing the explanation should give focus back to the block"

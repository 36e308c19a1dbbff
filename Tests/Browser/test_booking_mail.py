"""Booking confirmations by e-mail (docs/booking.md, *Confirmation e-mail*), through a real SMTP relay
the tests start themselves (mail_relay.py: aiosmtpd, STARTTLS and a login required): the customer and
the technician each get a mail with the .ics attached when a customer books, and again when the
customer cancels; the mail went over TLS, logged in, and reads right in Python's own mail parser."""

import datetime as dt
import uuid

from selenium.webdriver.common.by import By

import test_booking as booking
from conftest import page_text, screenshot, wait_until


def test_booking_and_cancelling_mail_the_customer_and_the_technician(browser, demo, mail_relay):
    path = booking.make_link(browser, demo, f"Mailed {uuid.uuid4().hex[:4]}")
    # Settings says where confirmations go and offers the tenant's queues as teams.
    browser.get(demo.page("/settings/appointment-types"))
    relay_note = browser.find_element(By.ID, "mail-relay").text
    assert "go to the customer and the technician" in relay_note and "localhost" in relay_note, relay_note
    queues = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#type-queue option")]
    assert any(q.startswith("Monitoring Alerts (") for q in queues), queues
    screenshot(browser, "appointment-types")
    booking.as_customer(browser)
    browser.get(demo.page(path + "?zone=Europe/Dublin"))
    choice = booking.times(browser)[0]
    start = dt.datetime.fromisoformat(choice.get_attribute("value").replace("Z", "+00:00"))
    choice.click()
    customer = f"zoe.{uuid.uuid4().hex[:6]}@example.com"
    browser.find_element(By.ID, "customer-name").send_keys("Zoë Ó Briain")
    browser.find_element(By.ID, "customer-email").send_keys(customer)
    browser.find_element(By.ID, "confirm-booking").click()
    wait_until(lambda: "You are booked" in page_text(browser), 15, "booking should confirm",
               seen=lambda: page_text(browser)[:500])
    assert f"goes to {customer}" in page_text(browser), "the page says where the confirmation goes"
    confirmation = browser.current_url
    screenshot(browser, "booking-confirmed-mail")

    mine = mail_relay.wait_for(lambda m: m.recipients == [customer], 30, "the customer should get a confirmation")
    assert len(mine) == 1, [m.subject for m in mine]
    mail = mine[0]
    assert mail.tls and mail.authenticated, "sent inside STARTTLS, after logging in"
    assert mail.mail_from == "dispatch@demo-msp.example"
    assert str(mail.message["From"]) == "Demo MSP Dispatch <dispatch@demo-msp.example>"
    assert mail.subject.startswith("Booked: Mailed"), mail.subject
    assert "(Europe/Dublin)" in mail.subject
    assert "Hello Zoë Ó Briain," in mail.text
    assert confirmation.split("?")[0] in mail.text, "the mail links to the page that moves or cancels it"
    event = booking.check_ics(mail.ics, start, "Europe/Dublin")
    assert str(event["STATUS"]) == "CONFIRMED"

    technician = mail_relay.wait_for(
        lambda m: m.recipients != [customer] and "Zoë Ó Briain" in m.subject, 30,
        "the technician should be told of the booking")[0]
    assert technician.subject.startswith("Booked: Mailed")
    assert customer in technician.text
    assert str(technician.message["Reply-To"]).endswith(f"<{customer}>"), "a reply reaches the customer"

    browser.find_element(By.ID, "cancel-booking").click()
    wait_until(lambda: browser.switch_to.alert, 5, "cancelling should ask first")
    browser.switch_to.alert.accept()
    wait_until(lambda: "is cancelled" in page_text(browser), 15, "the cancellation should be confirmed")
    cancelled = mail_relay.wait_for(
        lambda m: m.recipients == [customer] and m.subject.startswith("Cancelled:"), 30,
        "the customer should be told of the cancellation")[0]
    cancelled_event = booking.check_ics(cancelled.ics, start, "Europe/Dublin")
    assert str(cancelled_event["STATUS"]) == "CANCELLED"
    assert int(cancelled_event["SEQUENCE"]) == 1
    assert str(cancelled_event["UID"]) == str(event["UID"]), "the same event, so a calendar removes it"

"""On a phone the main navigation folds behind a Menu button; on a desktop it is open."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_journey_accounts import log_in

pytestmark = pytest.mark.browser


def test_phone_menu_folds_the_navigation_and_desktop_shows_it(live_server, browser, world):
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, live_server, "sup@x.test")
    menu = phone.get_by_role("button", name="Menu")
    account = phone.get_by_role("navigation", name="Main").get_by_role("link", name="Account")
    expect(menu).to_be_visible()
    expect(account).not_to_be_visible()
    assert phone.locator(".site-header").bounding_box()["height"] < 80  # the page starts near the top
    menu.click()
    expect(account).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")

    desktop = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desktop, live_server, "sup@x.test")
    expect(desktop.get_by_role("button", name="Menu")).not_to_be_visible()
    expect(desktop.get_by_role("navigation", name="Main").get_by_role("link", name="Account")).to_be_visible()


def test_escape_closes_the_phone_menu_and_returns_to_its_button(live_server, browser, world):
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, live_server, "sup@x.test")
    menu = phone.get_by_role("button", name="Menu")
    account = phone.get_by_role("navigation", name="Main").get_by_role("link", name="Account")
    menu.click()
    expect(account).to_be_visible()
    account.focus()  # the focus inside the menu, as after tabbing into it
    phone.keyboard.press("Escape")
    expect(account).not_to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    phone.keyboard.press("Escape")  # nothing open: nothing happens
    expect(menu).to_have_attribute("aria-expanded", "false")


def test_a_table_wider_than_a_phone_scrolls_in_a_labelled_region_keyboard_users_can_reach(
    app, live_server, browser
):
    from app.demo.data import load_demo

    load_demo()  # the demo's cohort has a column per requirement: wider than a phone
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, live_server, "admin@demo.test")
    phone.goto(f"{live_server}/progress/cohort")
    hint = phone.get_by_text("Scroll sideways to see every column.")
    expect(hint).to_be_visible()
    region = phone.get_by_role("region", name="Cohort progress")
    expect(region).to_have_attribute("tabindex", "0")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls, not the page
    region.focus()  # a stop in the tab order, so arrow keys can scroll it
    expect(region).to_be_focused()
    phone.set_viewport_size({"width": 1280, "height": 900})  # wide enough: no hint, no extra tab stop
    expect(hint).to_have_count(0)
    expect(phone.locator(".table-wrap")).not_to_have_attribute("tabindex", "0")

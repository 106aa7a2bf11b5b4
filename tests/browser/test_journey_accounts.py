"""Journey: an admin invites a trainee, who sets a password, logs in and sees their home."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import main_nav

pytestmark = pytest.mark.browser


def log_in(page, base: str, email: str, password: str = "stillpoint-demo") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_invite_set_password_log_in_and_see_home(live_server, browser, world, tmp_path):
    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(admin, live_server, "admin@x.test")
    admin.get_by_role("link", name="Members", exact=True).first.click()
    admin.get_by_label("E-mail address").fill("newcomer@x.test")
    admin.get_by_label("Role", exact=True).select_option("trainee")
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_text("Invitation sent to newcomer@x.test")).to_be_visible()

    admin.get_by_role("link", name="Outbox").first.click()
    body = admin.locator(".mail-body").first.inner_text()
    link = re.search(r"http://\S+/invitations/\S+", body).group(0)
    admin.screenshot(path=str(tmp_path / "outbox.png"))

    newcomer = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    newcomer.goto(link)
    newcomer.get_by_label("Your name").fill("Nora Newcomer")
    newcomer.get_by_label("New password", exact=True).fill("a long enough passphrase")
    newcomer.get_by_label("Repeat the new password").fill("a long enough passphrase")
    newcomer.get_by_role("button", name="Join").click()
    expect(newcomer.get_by_role("heading", name="Welcome, Nora Newcomer")).to_be_visible()
    expect(newcomer.get_by_role("heading", name="Your training")).to_be_visible()
    newcomer.screenshot(path=str(tmp_path / "home.png"), full_page=True)

    main_nav(newcomer).get_by_role("button", name="Log out").click()
    expect(newcomer.get_by_text("You are logged out.")).to_be_visible()
    log_in(newcomer, live_server, "newcomer@x.test", "a long enough passphrase")
    expect(newcomer.get_by_role("heading", name="Welcome, Nora Newcomer")).to_be_visible()

    # The same link cannot be used twice.
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", name="Not possible now")).to_be_visible()

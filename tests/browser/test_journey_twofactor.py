"""Journeys: setting up an authenticator app and logging in with its code; registering
a passkey in Chromium's virtual authenticator and logging in with it alone."""

from __future__ import annotations

import time

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from tests.fixtures.browser import main_nav

pytestmark = pytest.mark.browser


def log_in(page, base: str, email: str, password: str = "stillpoint-demo") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("width", [390, 1280])
def test_set_up_an_app_then_log_in_with_its_code(live_server, browser, world, tmp_path, width):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server, "trainee@x.test")
    expect(page.get_by_role("heading", name="Welcome, Tomas Trainee")).to_be_visible()
    page.goto(f"{live_server}/account")
    page.get_by_role("link", name="Manage two-factor sign-in").click()
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    page.screenshot(path=str(tmp_path / f"enrol-{width}.png"), full_page=True)
    secret = page.locator(".tf-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".tf-codes li")).to_have_count(10)
    page.screenshot(path=str(tmp_path / f"codes-{width}.png"), full_page=True)

    main_nav(page).get_by_role("button", name="Log out").click()
    log_in(page, live_server, "trainee@x.test")
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    page.screenshot(path=str(tmp_path / f"challenge-{width}.png"), full_page=True)
    page.get_by_label("Code", exact=True).fill(totp.at(time.time() + 30))  # the next code: the first is spent
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Welcome, Tomas Trainee")).to_be_visible()


def test_register_a_passkey_then_log_in_with_it_alone(app, live_server, browser, world, tmp_path):
    # WebAuthn needs a host name (not an IP address); the RP id comes from BASE_URL.
    base = live_server.replace("127.0.0.1", "localhost")
    app.config["BASE_URL"] = base
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]
    log_in(page, base, "sup@x.test")
    expect(page.get_by_role("heading", name="Welcome, Sven Supervisor")).to_be_visible()
    page.goto(f"{base}/account/two-factor")
    page.get_by_label("Name of the passkey").fill("test laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Passkey added.")).to_be_visible()
    expect(page.get_by_text("test laptop")).to_be_visible()
    page.screenshot(path=str(tmp_path / "passkey-added.png"), full_page=True)
    added = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == world.supervisor.id))
    assert "two_factor.passkey_added" in list(added)

    # The passkey is now the second factor after a password...
    main_nav(page).get_by_role("button", name="Log out").click()
    log_in(page, base, "sup@x.test")
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", name="Welcome, Sven Supervisor")).to_be_visible()

    # ...and signs in on its own, without the password.
    main_nav(page).get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("heading", name="Welcome, Sven Supervisor")).to_be_visible()
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert [credential["isResidentCredential"] for credential in stored] == [True]
    assert stored[0]["signCount"] >= 2  # used twice: as second factor, then alone

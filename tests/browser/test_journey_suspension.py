"""Journey: an admin suspends a certificate during a complaint; a stranger's verification page
and the association's suspension list show it; the admin lifts it and the page shows the period."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from app.certificates import issuing, status_list
from app.extensions import db
from tests.browser.test_journey_accounts import log_in
from tests.requirements.records import add_session

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _suspension_bits(page, live_server) -> set[int]:
    listed = page.request.get(f"{live_server}/issuers/bsx/status/suspension").json()
    bits = status_list.decode(listed["credentialSubject"]["encodedList"])
    return {i for i in range(len(bits) * 8) if status_list.is_set(bits, i)}


def test_admin_suspends_stranger_sees_it_admin_lifts(live_server, browser, world, tmp_path):
    add_session(world.enrolment, dt.date(2025, 3, 4), signer=world.supervisor)
    add_session(world.enrolment, dt.date(2026, 1, 20), signer=world.supervisor)
    certificate = issuing.issue(world.admin, world.enrolment.id)
    db.session.commit()
    serial, index = certificate.serial, status_list.entry_of(certificate).list_index

    admin = browser.new_context(viewport=DESKTOP).new_page()
    log_in(admin, live_server, "admin@x.test")
    admin.goto(f"{live_server}/certificates/{certificate.id}")
    admin.get_by_text("Suspend", exact=True).click()
    admin.get_by_label("Reason for suspending").fill("A complaint is before the ethics committee.")
    admin.get_by_role("button", name="Suspend certificate").click()
    expect(admin.get_by_text(f"Certificate {serial} is suspended.")).to_be_visible()
    expect(admin.get_by_text("A complaint is before the ethics committee.")).to_be_visible()

    stranger = browser.new_context(viewport=PHONE).new_page()
    stranger.goto(f"{live_server}/verify/{serial}")
    expect(stranger.get_by_role("heading", name="Suspended since")).to_be_visible()
    assert stranger.get_by_text("ethics committee").count() == 0
    stranger.screenshot(path=str(tmp_path / "suspended-phone.png"), full_page=True)
    assert _suspension_bits(stranger, live_server) == {index}

    admin.locator("summary", has_text="Lift the suspension").click()
    admin.get_by_label("Note on lifting").fill("The committee did not uphold the complaint.")
    admin.get_by_role("button", name="Lift the suspension").click()
    expect(admin.get_by_text(f"The suspension of {serial} is lifted.")).to_be_visible()

    stranger.goto(f"{live_server}/verify/{serial}")
    expect(stranger.get_by_role("heading", name="Valid")).to_be_visible()
    expect(stranger.get_by_text("Suspended from")).to_be_visible()
    stranger.screenshot(path=str(tmp_path / "lifted-phone.png"), full_page=True)
    assert _suspension_bits(stranger, live_server) == set()

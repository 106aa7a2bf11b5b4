"""Journey: an admin issues a batch from the ready list through its preview; the holder finds
the certificate; a stranger verifies it."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.browser.test_journey_accounts import log_in
from tests.fixtures.browser import main_nav, press_final
from tests.requirements.records import add_session

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_admin_issues_holder_downloads_stranger_verifies(live_server, browser, world, tmp_path):
    add_session(world.enrolment, dt.date(2025, 3, 4), signer=world.supervisor)
    add_session(world.enrolment, dt.date(2026, 1, 20), signer=world.supervisor)
    db.session.commit()

    admin = browser.new_context(viewport=DESKTOP).new_page()
    log_in(admin, live_server, "admin@x.test")
    main_nav(admin).get_by_role("link", name="Certificates", exact=True).click()
    admin.get_by_role("link", name="Ready for a certificate").click()
    expect(admin.get_by_label("Tomas Trainee")).not_to_be_checked()  # nothing ticked for you
    admin.get_by_label("Tomas Trainee").check()
    admin.screenshot(path=str(tmp_path / "ready-desktop.png"), full_page=True)
    admin.get_by_role("button", name="Preview the batch").click()
    expect(admin.get_by_role("heading", name="Check the batch before it goes")).to_be_visible()
    expect(admin.get_by_role("cell", name="trainee@x.test")).to_be_visible()
    admin.screenshot(path=str(tmp_path / "preview-desktop.png"), full_page=True)
    assert admin.locator("text=certificates issued").count() == 0
    press_final(admin, "Issue 1 certificate and notify the holder")
    expect(admin.get_by_text("1 certificate issued.")).to_be_visible()
    admin.screenshot(path=str(tmp_path / "batch-desktop.png"), full_page=True)
    admin.get_by_role("link", name="BSX-", exact=False).first.click()
    serial = admin.locator("dd.cert-serial").inner_text().strip()
    admin.screenshot(path=str(tmp_path / "detail-desktop.png"), full_page=True)

    holder = browser.new_context(viewport=PHONE, accept_downloads=True).new_page()
    log_in(holder, live_server, "trainee@x.test")
    expect(holder.get_by_role("heading", name="Your certificate", exact=True)).to_be_visible()
    holder.screenshot(path=str(tmp_path / "home-phone.png"), full_page=True)
    with holder.expect_download() as download_info:
        holder.locator(".cert-home").get_by_role("link", name="Download PDF").click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")

    stranger = browser.new_context(viewport=PHONE).new_page()
    stranger.goto(f"{live_server}/verify")
    stranger.get_by_label("Serial number").fill(serial.lower())
    stranger.get_by_role("button", name="Look up").click()
    expect(stranger.get_by_role("heading", name="Valid")).to_be_visible()
    expect(stranger.get_by_text("Tomas Trainee")).to_be_visible()
    stranger.screenshot(path=str(tmp_path / "verify-phone.png"), full_page=True)

    stranger.goto(f"{live_server}/verify")
    stranger.get_by_label("Certificate PDF").set_input_files(str(pdf_path))
    stranger.get_by_role("button", name="Check").click()
    expect(stranger.get_by_role("heading", name="We issued this file, unaltered")).to_be_visible()
    expect(stranger.get_by_text(hashlib.sha256(pdf_path.read_bytes()).hexdigest())).to_be_visible()
    stranger.screenshot(path=str(tmp_path / "upload-phone.png"), full_page=True)

    admin.get_by_text("Revoke", exact=True).click()
    admin.get_by_label("Reason for revoking").fill("Issued before the final supervision report.")
    press_final(admin, "Revoke certificate")
    expect(admin.get_by_text(f"Certificate {serial} is revoked.")).to_be_visible()

    stranger.goto(f"{live_server}/verify/{serial}")
    expect(stranger.get_by_role("heading", name="Revoked on")).to_be_visible()
    assert stranger.get_by_text("final supervision report").count() == 0
    stranger.screenshot(path=str(tmp_path / "revoked-phone.png"), full_page=True)

"""Journey: a trainee logs a co-led session on a phone; the supervisor signs it from the queue on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.logbook.models import LogbookRecord, RecordStatus
from tests.fixtures.browser import main_nav, press_final
from tests.logbook.fixtures import accredit

pytestmark = pytest.mark.browser


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("stillpoint-demo")
    page.get_by_role("button", name="Log in").click()


def test_log_a_session_and_have_it_signed(live_server, browser, world, tmp_path):
    accredit(world.supervisor, world.association)

    trainee = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(trainee, live_server, "trainee@x.test")
    main_nav(trainee).get_by_role("link", name="Logbook", exact=True).click()
    expect(trainee.get_by_role("heading", name="Your logbook")).to_be_visible()
    trainee.get_by_role("link", name="Log a session").click()

    trainee.get_by_label("Date of the session").fill("2025-03-04")
    trainee.get_by_label("Your role").select_option("co-leader")
    trainee.get_by_label("Length in minutes").fill("5")
    trainee.get_by_label("Mode").select_option("online")
    trainee.get_by_label("Kind of group").select_option("ongoing")
    trainee.get_by_label("Setting", exact=True).select_option("hospital")
    trainee.get_by_label("Setting in your words (optional)").fill(
        "Foundation doctors, district general hospital"
    )
    trainee.get_by_label("Members in the group").fill("9")
    trainee.get_by_label("Cases discussed").fill("2")
    trainee.get_by_label("Or the co-leader's name").fill("Dr Helen Marsh")
    trainee.get_by_label("The co-leader is an accredited Balint leader").check()
    for phase in ("Opening", "Presentation", "Push-back", "Closing"):
        trainee.get_by_label(phase, exact=True).check()
    trainee.get_by_label("Reflection on your own leading").fill(
        "I waited before speaking after the presentation, and the group found its own questions."
    )
    press_final(trainee, "Save and submit for signature")

    # The mistake is explained beside its field; everything typed is still there.
    assert trainee.locator("#minutes-error").inner_text().startswith("Enter the length in minutes")
    assert trainee.get_by_label("Setting in your words (optional)").input_value() == (
        "Foundation doctors, district general hospital"
    )
    assert trainee.get_by_label("Push-back", exact=True).is_checked()
    trainee.screenshot(path=str(tmp_path / "1-trainee-error.png"), full_page=True)

    trainee.get_by_label("Length in minutes").fill("90")
    press_final(trainee, "Save and submit for signature")
    expect(trainee.get_by_text("Submitted for signature.")).to_be_visible()
    assert trainee.locator(".page-head .status").inner_text() == "Awaiting signature"
    trainee.screenshot(path=str(tmp_path / "2-trainee-submitted.png"), full_page=True)

    supervisor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(supervisor, live_server, "sup@x.test")
    assert main_nav(supervisor).locator(".nav-count").inner_text().startswith("1")
    main_nav(supervisor).get_by_role("link", name="Sign-off", exact=True).click()
    expect(supervisor.get_by_text("1 record waits for your signature")).to_be_visible()
    supervisor.screenshot(path=str(tmp_path / "3-supervisor-queue.png"), full_page=True)
    supervisor.get_by_role("checkbox").first.check()
    press_final(supervisor, "Sign the selected records")
    expect(supervisor.get_by_text("1 record signed.")).to_be_visible()
    assert supervisor.locator(".outcome.is-signed").count() == 1
    supervisor.screenshot(path=str(tmp_path / "4-supervisor-result.png"), full_page=True)

    record = db.session.scalar(db.select(LogbookRecord))
    db.session.refresh(record)
    assert record.status == RecordStatus.SIGNED
    supervisor.locator(".outcome a").first.click()
    expect(supervisor.get_by_text(record.content_hash)).to_be_visible()

    trainee.reload()
    assert trainee.locator(".page-head .status").inner_text() == "Signed"
    expect(trainee.get_by_text("Signed by Sven Supervisor")).to_be_visible()
    trainee.screenshot(path=str(tmp_path / "5-trainee-signed.png"), full_page=True)
    main_nav(trainee).get_by_role("link", name="Notifications").click()
    expect(trainee.get_by_text("Sven Supervisor signed your record")).to_be_visible()

"""Journey: on a phone, a trainee follows a requirement's link to log a co-led session, attaches
the signed attendance sheet as a PDF, submits it, and the progress page names it as waiting for
the supervisor. The same pages are then looked at on a desktop."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.attachments.models import EvidenceAttachment
from app.extensions import db
from tests.browser.test_journey_logbook import log_in
from tests.fixtures.browser import press_final

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
SHOTS = Path(os.environ.get("STILLPOINT_SHOTS", "/work/shots/trainee"))


def _no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


def _shoot(page, tmp_path, name: str) -> None:
    folder = SHOTS if SHOTS.parent.exists() else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_follow_a_requirement_log_a_session_attach_evidence_and_see_it_waiting(
    live_server, browser, world, tmp_path
):
    sheet = tmp_path / "attendance-sheet.pdf"
    sheet.write_bytes(PDF)
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, live_server, "trainee@x.test")
    phone.goto(f"{live_server}/progress/")
    expect(phone.get_by_role("heading", name="Your progress")).to_be_visible()
    _no_overflow(phone)
    _shoot(phone, tmp_path, "390-1-progress")

    # The requirement "Co-led sessions" links to the session form with the role chosen.
    requirement = phone.locator("li.req", has_text="Co-led sessions")
    requirement.get_by_role("link", name="Log a session").click()
    expect(phone.get_by_label("Your role")).to_have_value("co-leader")
    phone.get_by_label("Date of the session").fill("2026-12-03")
    phone.get_by_label("Length in minutes").fill("90")
    phone.get_by_label("Mode").select_option("in-person")
    phone.get_by_label("Kind of group").select_option("ongoing")
    phone.get_by_label("Setting", exact=True).select_option("primary-care")
    phone.get_by_label("Members in the group").fill("8")
    phone.get_by_label("Cases discussed").fill("2")
    phone.get_by_label("Or the co-leader's name").fill("Dr Helen Marsh")
    phone.get_by_label("Reflection on your own leading").fill(
        "I let the silence after the presentation last, and the group found its way in."
    )
    phone.get_by_role("button", name="Save as draft").click()
    expect(phone.get_by_text("Saved as a draft.")).to_be_visible()

    # The draft takes the signed attendance sheet as evidence.
    phone.get_by_label("Evidence file").set_input_files(str(sheet))
    phone.get_by_role("button", name="Attach the file").click()
    expect(phone.get_by_text("attendance-sheet.pdf is attached.")).to_be_visible()
    expect(phone.locator("#evidence").get_by_role("link", name="attendance-sheet.pdf")).to_be_visible()
    _no_overflow(phone)
    _shoot(phone, tmp_path, "390-2-record-with-evidence")

    press_final(phone, "Submit for signature")
    expect(phone.get_by_text("Submitted for signature.")).to_be_visible()
    # Submitted: the evidence is final, no remove button and no upload form.
    expect(phone.locator("#evidence").get_by_role("button", name="Remove")).to_have_count(0)
    expect(phone.get_by_label("Evidence file")).to_have_count(0)

    phone.goto(f"{live_server}/progress/")
    waiting = phone.locator("#waiting")
    expect(waiting).to_contain_text("1 record waiting for Sven Supervisor's signature since")
    _no_overflow(phone)
    _shoot(phone, tmp_path, "390-3-progress-waiting")

    attachment = db.session.scalar(db.select(EvidenceAttachment))
    assert attachment is not None and attachment.name == "attendance-sheet.pdf"

    # The supervisor, on a desktop, sees the evidence on the record they review.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desk, live_server, "sup@x.test")
    desk.goto(f"{live_server}/logbook/records/{attachment.record_id}")
    expect(desk.locator("#evidence").get_by_role("link", name="attendance-sheet.pdf")).to_be_visible()
    _shoot(desk, tmp_path, "1280-4-supervisor-record")
    with desk.expect_download() as download:
        desk.locator("#evidence").get_by_role("link", name="attendance-sheet.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF

    wide = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(wide, live_server, "trainee@x.test")
    wide.goto(f"{live_server}/progress/")
    expect(wide.locator("#waiting")).to_contain_text("Sven Supervisor")
    _shoot(wide, tmp_path, "1280-5-progress-waiting")

"""Journey: a trainee submits a record; the supervisor signs it from the e-mailed link on a phone.

The supervisor never logs in: the link in the message the app sent (read from the outbox,
where the app keeps mail when no SMTP server is set) opens that one record at 390 px, the
page has no horizontal overflow and no serious accessibility violation, the signature goes
through, and the same link then refuses a second use. Screenshots at 390 and 1280 px go to
``SHOTS`` (or the test's tmp folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.logbook.models import LogbookRecord, RecordStatus
from tests.browser.test_every_page import AXE, AXE_JS
from tests.fixtures.browser import main_nav, press_final
from tests.logbook.fixtures import a_session, accredit, create
from tests.maillinks.helpers import last_token

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("stillpoint-demo")
    page.get_by_role("button", name="Log in").click()


def no_overflow(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def no_serious_axe_violation(page) -> None:
    page.add_script_tag(path=str(AXE))
    serious = [v for v in page.evaluate(AXE_JS) if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def test_sign_a_record_from_the_e_mailed_link_on_a_phone(live_server, browser, world, tmp_path):
    shots = Path(os.environ.get("SHOTS", tmp_path))
    accredit(world.supervisor, world.association)

    trainee = browser.new_context(viewport=PHONE).new_page()
    log_in(trainee, live_server, "trainee@x.test")
    main_nav(trainee).get_by_role("link", name="Logbook", exact=True).click()
    trainee.get_by_role("link", name="Log a session").click()
    trainee.get_by_label("Date of the session").fill("2025-03-04")
    trainee.get_by_label("Your role").select_option("member")
    trainee.get_by_label("Length in minutes").fill("90")
    trainee.get_by_label("Mode").select_option("in-person")
    trainee.get_by_label("Kind of group").select_option("ongoing")
    trainee.get_by_label("Setting", exact=True).select_option("primary-care")
    trainee.get_by_label("Members in the group").fill("8")
    trainee.get_by_label("Cases discussed").fill("2")
    press_final(trainee, "Save and submit for signature")
    expect(trainee.get_by_text("Submitted for signature.")).to_be_visible()

    # The supervisor's phone opens the link from the e-mail: no login.
    link = f"{live_server}/m/{last_token('sup@x.test')}"
    phone = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()  # to inject axe
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Sign a logbook record")).to_be_visible()
    expect(phone.get_by_text("Trainee: Tomas Trainee")).to_be_visible()
    expect(phone.get_by_role("button", name="Sign this record")).to_be_visible()
    no_overflow(phone)
    no_serious_axe_violation(phone)
    phone.screenshot(path=str(shots / "1-link-390.png"), full_page=True)

    desktop = browser.new_context(viewport=DESKTOP).new_page()
    desktop.goto(link)  # looking does not spend the link
    expect(desktop.get_by_role("button", name="Sign this record")).to_be_visible()
    desktop.screenshot(path=str(shots / "2-link-1280.png"), full_page=True)

    # A return without a comment is refused beside the field; the link still works.
    phone.get_by_role("button", name="Return with my comment").click()
    expect(phone.get_by_text("Say what the author should change")).to_be_visible()
    no_overflow(phone)
    press_final(phone, "Sign this record")
    expect(phone.get_by_role("heading", name="Done, thank you")).to_be_visible()
    expect(phone.get_by_text("Signed. The record is now final.")).to_be_visible()
    no_overflow(phone)
    phone.screenshot(path=str(shots / "3-signed-390.png"), full_page=True)

    record = db.session.scalar(db.select(LogbookRecord))
    db.session.refresh(record)
    assert record.status == RecordStatus.SIGNED and record.signer_id == world.supervisor.id

    # The same link, a second time: refused, and it says why.
    phone.goto(link)
    expect(phone.get_by_text("This link has already been used.")).to_be_visible()
    no_overflow(phone)
    phone.screenshot(path=str(shots / "4-second-use-390.png"), full_page=True)

    trainee.reload()
    expect(trainee.get_by_text("Signed by Sven Supervisor")).to_be_visible()

    # The logged-in queue at both widths: each record previews in place, the trainee is a link.
    create(
        world,
        a_session(reflection="I waited before speaking; the group found its own questions."),
        submit=True,
    )
    for name, viewport in (("390", PHONE), ("1280", DESKTOP)):
        queue = browser.new_context(viewport=viewport).new_page()
        log_in(queue, live_server, "sup@x.test")
        queue.goto(f"{live_server}/logbook/queue")
        preview = queue.locator("details.record-preview").first
        preview.locator("summary").click()
        expect(preview.get_by_text("the group found its own questions")).to_be_visible()
        expect(queue.get_by_role("link", name="Progress of Tomas Trainee")).to_be_visible()
        no_overflow(queue)
        queue.screenshot(path=str(shots / f"5-queue-preview-{name}.png"), full_page=True)

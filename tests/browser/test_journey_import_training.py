"""Journey: an admin imports a trainee's earlier training: a file with errors, the fixed
file's preview, the attesting document, and the trainee's record reads "Imported, attested
by ...". The preview is checked at 390 and 1,280 px (overflow, duplicate ids, axe)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.extensions import db
from app.logbook.models import LogbookRecord
from tests.browser.test_every_page import AXE, AXE_JS, DUPLICATE_IDS_JS, FAILING_IMPACTS
from tests.browser.test_journey_accounts import log_in

pytestmark = pytest.mark.browser

SHOTS = Path("/work/shots/imported")
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
HEADER = "email,programme,kind,date,minutes,role,members,supervisor,event_kind,title,end_date\n"
WITH_ERRORS = (
    HEADER
    + "trainee@x.test,leaders,session,2023-03-12,90,co-lead,8,,,GP trainees,\n"
    + "trainee@x.test,leaders,supervision,2023-04-02,60,,,nobody@x.test,,,\n"
)
FIXED = (
    HEADER
    + "trainee@x.test,leaders,session,2023-03-12,90,co-leader,8,,,GP trainees,\n"
    + "trainee@x.test,leaders,supervision,2023-04-02,60,,,sup@x.test,,,\n"
    + "trainee@x.test,leaders,event,2023-05-17,720,,,,leadership-workshop,Leadership weekend,2023-05-19\n"
)


def _imported() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(LogbookRecord).where(LogbookRecord.is_imported))


def _checked(page, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert page.evaluate(DUPLICATE_IDS_JS) == []
    if page.evaluate("typeof axe") == "undefined":
        page.add_script_tag(path=str(AXE))
    violations = [v for v in page.evaluate(AXE_JS) if v["impact"] in FAILING_IMPACTS]
    assert violations == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def _both_widths(page, name: str) -> None:
    _checked(page, name)
    page.set_viewport_size(PHONE)
    _checked(page, name)
    page.set_viewport_size(WIDE)


def _upload(page, tmp_path: Path, text: str) -> None:
    path = tmp_path / "earlier.csv"
    path.write_text(text)
    page.get_by_label("CSV or Excel file of earlier training").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_import_earlier_training_with_its_attesting_document(live_server, browser, world, tmp_path):
    admin = browser.new_context(viewport=WIDE, bypass_csp=True).new_page()  # axe is injected
    log_in(admin, live_server, "admin@x.test")
    admin.goto(f"{live_server}/admin/import")
    admin.get_by_role("link", name="Import earlier training").click()
    expect(admin.get_by_role("heading", name="Import earlier training", level=1)).to_be_visible()

    _upload(admin, tmp_path, WITH_ERRORS)
    expect(admin.get_by_text("2 problems in the file.")).to_be_visible()
    problems = admin.get_by_role("table", name="Problems, by row")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("2role“co-lead” is not one of")
    expect(problems.get_by_role("row").nth(2)).to_contain_text("3supervisornobody@x.test is not a supervisor")
    expect(admin.get_by_role("button", name="Import and attest")).to_have_count(0)
    _both_widths(admin, "1-errors")
    assert _imported() == 0

    _upload(admin, tmp_path, FIXED)
    expect(admin.get_by_text("3 new records, no problems.")).to_be_visible()
    rows = admin.get_by_role("table", name="Rows of the file")
    expect(rows.get_by_text("added as imported, attested by you")).to_have_count(3)
    _both_widths(admin, "2-preview")
    assert _imported() == 0  # the preview wrote nothing

    scan = tmp_path / "logbook-2023.pdf"
    scan.write_bytes(b"%PDF-1.4\n% earlier logbook\n")
    admin.get_by_label("Attesting document").set_input_files(str(scan))
    admin.get_by_role("button", name="Import and attest").click()
    expect(admin.get_by_text("Imported 3 earlier records, attested by you.")).to_be_visible()
    assert _imported() == 3

    _upload(admin, tmp_path, FIXED)
    expect(
        admin.get_by_text("Nothing to change: every record in this file is already imported.")
    ).to_be_visible()
    expect(admin.get_by_role("button", name="Import and attest")).to_have_count(0)
    assert _imported() == 3

    trainee = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    log_in(trainee, live_server, "trainee@x.test")
    record_id = db.session.scalar(
        select(LogbookRecord.id).where(LogbookRecord.is_imported, LogbookRecord.kind == "session")
    )
    trainee.goto(f"{live_server}/logbook/records/{record_id}")
    expect(trainee.get_by_text("Imported, attested by Alma Admin on")).to_be_visible()
    expect(trainee.get_by_role("link", name="Attesting document: logbook-2023.pdf")).to_be_visible()
    expect(
        trainee.get_by_text("imported it as earlier training and attested it with a document")
    ).to_be_visible()
    _checked(trainee, "3-record")

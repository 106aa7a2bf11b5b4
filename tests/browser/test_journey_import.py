"""Journey: an admin imports a CSV with errors, reads the per-row problems, fixes the file,
imports it, and importing the same file a third time changes nothing. Then, on a phone,
invites a trainee and enrols them in one step, ticking the supervisors."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.accounts.models import Membership, User
from app.extensions import db
from app.programmes.models import Enrolment
from tests.browser.test_every_page import AXE, AXE_JS, DUPLICATE_IDS_JS, FAILING_IMPACTS
from tests.browser.test_journey_accounts import log_in
from tests.fixtures.browser import main_nav

pytestmark = pytest.mark.browser

SHOTS = Path("/work/shots/import")
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
HEADER = "email,name,role,programme,supervisors,started_on\n"
WITH_ERRORS = (
    HEADER
    + "sue@x.test,Sue Newsup,supervisor,,,\n"
    + "ann@x.test,Ann Ahn,trainee,leader,sue@x.test,2026-09-01\n"
    + "bob@x,Bob Bee,trainee,leaders,sup@x.test,1 Sept 2026\n"
)
FIXED = (
    HEADER
    + "sue@x.test,Sue Newsup,supervisor,,,\n"
    + "ann@x.test,Ann Ahn,trainee,leaders,sue@x.test,2026-09-01\n"
    + "bob@x.test,Bob Bee,trainee,leaders,sup@x.test;sue@x.test,2026-09-01\n"
)


def _counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(m)) for m in (User, Membership, Enrolment)
    )


def _checked(page, name: str) -> None:
    """No overflow, no duplicate id a label points to, no serious axe violation; a screenshot."""
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert page.evaluate(DUPLICATE_IDS_JS) == []
    if page.evaluate("typeof axe") == "undefined":
        page.add_script_tag(path=str(AXE))
    violations = [v for v in page.evaluate(AXE_JS) if v["impact"] in FAILING_IMPACTS]
    assert violations == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def _upload(page, tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    page.get_by_label("CSV or Excel file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_import_with_errors_fix_import_and_import_again(live_server, browser, world, tmp_path):
    admin = browser.new_context(viewport=WIDE, bypass_csp=True).new_page()  # axe is injected
    log_in(admin, live_server, "admin@x.test")
    main_nav(admin).get_by_role("link", name="Members", exact=True).click()
    admin.get_by_role("link", name="Import many members from a spreadsheet").click()
    expect(admin.get_by_role("heading", name="Import members and enrolments")).to_be_visible()
    with admin.expect_download() as download:
        admin.get_by_role("link", name="Download the template (CSV)").click()
    assert (
        Path(download.value.path()).read_text().startswith("email,name,role,programme,supervisors,started_on")
    )

    before = _counts()
    _upload(admin, tmp_path, "people.csv", WITH_ERRORS)
    expect(admin.get_by_text("3 problems in the file.")).to_be_visible()
    problems = admin.get_by_role("table", name="Problems, by row")
    expect(problems.get_by_role("row")).to_have_count(4)  # the header and three problems
    expect(problems.get_by_role("row").nth(1)).to_contain_text("3programmeNo programme “leader” here")
    expect(problems.get_by_role("row").nth(2)).to_contain_text("4email“bob@x” is not an e-mail address.")
    expect(problems.get_by_role("row").nth(3)).to_contain_text("4started_on“1 Sept 2026” is not a date")
    expect(admin.get_by_role("button", name="Import", exact=True)).to_have_count(0)
    _checked(admin, "1-errors")
    admin.set_viewport_size(PHONE)
    _checked(admin, "1-errors")
    admin.set_viewport_size(WIDE)
    assert _counts() == before

    _upload(admin, tmp_path, "people.csv", FIXED)
    expect(admin.get_by_text("3 rows checked, no problems.")).to_be_visible()
    rows = admin.get_by_role("table", name="Rows of the file")
    expect(rows.get_by_role("row").nth(2)).to_contain_text("enrolled on Leader training")
    _checked(admin, "2-preview")
    admin.get_by_role("button", name="Import", exact=True).click()
    expect(admin.get_by_text("Imported: 3 new accounts, 3 roles granted, 2 enrolments.")).to_be_visible()
    expect(admin.get_by_role("link", name="Ann Ahn")).to_be_visible()
    after = _counts()
    assert after == (before[0] + 3, before[1] + 3, before[2] + 2)

    admin.get_by_role("link", name="Import many members from a spreadsheet").click()
    _upload(admin, tmp_path, "people.csv", FIXED)
    expect(admin.get_by_text("Nothing to change: everyone in this file is already here")).to_be_visible()
    expect(admin.get_by_role("table", name="Rows of the file").get_by_text("no change")).to_have_count(3)
    expect(admin.get_by_role("button", name="Import", exact=True)).to_have_count(0)
    _checked(admin, "3-again")
    assert _counts() == after


def test_invite_and_enrol_on_a_phone_then_revoke_another(live_server, browser, world):
    admin = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    log_in(admin, live_server, "admin@x.test")
    main_nav(admin).get_by_role("link", name="Members", exact=True).click()
    admin.get_by_label("E-mail address").fill("nina@x.test")
    admin.get_by_label("Role", exact=True).select_option("trainee")
    admin.get_by_label("Enrol on a programme").select_option(label="Leader training")
    supervisors = admin.get_by_role("group", name="Supervisors")
    supervisors.get_by_label("Sven Supervisor").check()
    supervisors.get_by_label("Sara Second").check()
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.get_by_text("Invitation sent to nina@x.test")).to_be_visible()
    pending = admin.get_by_role("listitem").filter(has_text="nina@x.test")
    expect(pending).to_contain_text("Leader training (Sara Second, Sven Supervisor)")
    _checked(admin, "4-members")
    pending.get_by_role("button", name="Revoke").click()
    expect(admin.get_by_text("Invitation to nina@x.test revoked")).to_be_visible()
    expect(admin.get_by_text("No invitation is waiting for an answer.")).to_be_visible()

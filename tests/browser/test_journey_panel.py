"""Journey: a trainee applies for accreditation from a phone; two panel members review the
portfolio and recommend; the admin, as the panel's chair, accredits; the certificate appears
on the trainee's certificates page and the status level on their member page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_every_page import AXE, AXE_JS, FAILING_IMPACTS
from tests.browser.test_journey_accounts import log_in
from tests.fixtures.browser import main_nav, press_final
from tests.logbook.fixtures import signed

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _accessible(page) -> None:
    page.add_script_tag(path=str(AXE))
    failing = [v["id"] for v in page.evaluate(AXE_JS) if v["impact"] in FAILING_IMPACTS]
    assert not failing, failing


def _shots(tmp_path: Path) -> Path:
    """Screenshots go to SHOTS_DIR when set (to look at them), else to the test's tmp dir."""
    target = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def _open_application(page) -> None:
    main_nav(page).get_by_role("link", name="Applications", exact=True).click()
    page.get_by_role("link", name="Tomas Trainee").click()
    expect(page.get_by_role("heading", name="Application of Tomas Trainee")).to_be_visible()


def _recommend(page, reasons: str) -> None:
    page.get_by_label("Your recommendation").select_option("accredit")
    page.get_by_label("Your reasons").fill(reasons)
    page.get_by_role("button", name="Record my recommendation").click()
    expect(page.get_by_text("Your recommendation is recorded.")).to_be_visible()


def test_trainee_applies_two_members_review_the_panel_accredits_certificate_appears(
    live_server, browser, world, tmp_path
):
    shots = _shots(tmp_path)
    signed(world)  # two signed co-led sessions: ready; the supervisor is accredited by signing
    signed(world)

    trainee = browser.new_context(viewport=PHONE).new_page()
    log_in(trainee, live_server, "trainee@x.test")
    main_nav(trainee).get_by_role("link", name="Progress", exact=True).click()
    trainee.get_by_role("link", name="Apply for accreditation").click()
    trainee.get_by_label("A statement for the panel (optional)").fill("Two years of co-leading a GP group.")
    _fits(trainee)
    trainee.screenshot(path=str(shots / "1-apply-390.png"), full_page=True)
    trainee.get_by_role("button", name="Apply for accreditation").click()
    expect(trainee.get_by_text("Your application is with the panel.", exact=False)).to_be_visible()
    expect(trainee.get_by_text("Open: with the panel")).to_be_visible()
    _fits(trainee)
    trainee.screenshot(path=str(shots / "2-applied-390.png"), full_page=True)

    admin = browser.new_context(viewport=DESKTOP, bypass_csp=True).new_page()  # bypass: axe runs inline
    log_in(admin, live_server, "admin@x.test")
    _open_application(admin)
    for name in ("Alma Admin", "Sven Supervisor"):
        admin.get_by_label("Panel member").select_option(label=name)
        admin.get_by_role("button", name="Name to the panel").click()
        expect(admin.get_by_text("Named to the panel.")).to_be_visible()
    admin.get_by_text("records counted", exact=False).first.click()  # the evidence, opened
    _recommend(admin, "Both co-led sessions are signed; the statement fits the logbook.")

    supervisor = browser.new_context(viewport=PHONE).new_page()
    log_in(supervisor, live_server, "sup@x.test")
    _open_application(supervisor)
    _fits(supervisor)
    supervisor.screenshot(path=str(shots / "3-panel-member-390.png"), full_page=True)
    _recommend(supervisor, "I observed steady, safe leadership of the group.")

    admin.reload()
    expect(admin.get_by_text("recommends: Accredit")).to_have_count(2)
    _accessible(admin)
    admin.screenshot(path=str(shots / "4-chair-1280.png"), full_page=True)
    admin.get_by_label("The panel's decision").select_option("accredit")
    admin.get_by_label("Reasons (sent to the trainee)").fill("The panel finds every requirement met.")
    press_final(admin, "Sign and record the decision")  # a signed decision is final: the dialog asks first
    expect(admin.get_by_text("The decision is signed and sent to the trainee.")).to_be_visible()
    expect(admin.get_by_role("heading", name="The panel's decision: Accredit")).to_be_visible()
    admin.screenshot(path=str(shots / "5-decided-1280.png"), full_page=True)

    trainee.reload()  # the trainee's application page: the decision, signed
    expect(trainee.get_by_role("heading", name="The panel's decision: Accredit")).to_be_visible()
    expect(trainee.get_by_text("The panel finds every requirement met.")).to_be_visible()
    expect(trainee.get_by_text("Both co-led sessions are signed", exact=False)).to_have_count(0)
    _fits(trainee)
    trainee.screenshot(path=str(shots / "6-decision-390.png"), full_page=True)
    main_nav(trainee).get_by_role("link", name="Certificates", exact=True).click()
    expect(trainee.get_by_role("heading", name="Your certificates")).to_be_visible()
    expect(trainee.get_by_role("heading", name="Leader training")).to_be_visible()
    expect(trainee.locator("dd.cert-serial")).to_contain_text("BSX-")
    _fits(trainee)
    trainee.screenshot(path=str(shots / "7-certificate-390.png"), full_page=True)

    admin.goto(f"{live_server}/admin/members/{world.trainee.id}")
    expect(admin.get_by_text("Certified Balint group leader", exact=False)).to_be_visible()
    admin.set_viewport_size(PHONE)
    _fits(admin)

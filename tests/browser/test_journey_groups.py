"""Journey: a trainee leads a session from a phone through the run sheet, losing the
connection midway; closing it writes the co-leader's logbook record, which their
supervisor signs."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.groups.models import GroupSession
from tests.browser.test_journey_logbook import log_in
from tests.fixtures.browser import main_nav, press_final, run_sheet_ready
from tests.groups.conftest import scene  # noqa: F401  (the group the trainee leads)
from tests.logbook.fixtures import accredit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_lead_a_session_on_a_phone_offline_midway_and_have_the_co_leaders_record_signed(
    live_server,
    browser,
    world,
    scene,  # noqa: F811  (the fixture imported above)
    tmp_path,
):
    accredit(world.supervisor2, world.association)
    context = browser.new_context(viewport=PHONE)
    leader = context.new_page()
    log_in(leader, live_server, "trainee@x.test")
    main_nav(leader).get_by_role("link", name="Groups", exact=True).click()
    leader.get_by_role("link", name="Thursday GP group").click()
    leader.get_by_role("link", name="Plan a session").click()
    leader.get_by_label("Date").fill(date.today().isoformat())
    leader.get_by_label("Starts at").fill("18:30")
    leader.get_by_role("button", name="Plan the session").click()
    expect(leader.get_by_text("The session is planned.")).to_be_visible()
    leader.get_by_role("link", name="Open the run sheet").click()
    expect(leader.get_by_role("heading", name="Run sheet")).to_be_visible()
    run_sheet_ready(leader)
    _fits(leader)
    leader.screenshot(path=str(tmp_path / "1-run-sheet-390.png"), full_page=True)

    # The briefing: the full version this time.
    leader.get_by_label("Full version").check()
    expect(leader.get_by_text("Nobody owes the group that trust", exact=False)).to_be_visible()
    leader.get_by_role("button", name="Briefing given").click()
    status = leader.locator("[data-sync-status]")
    expect(status).to_have_text("All changes saved.")

    leader.get_by_role("button", name="Start: Ground rules and briefing").click()
    expect(leader.locator("#phase-opening")).to_have_class("card rs-phase is-current")
    expect(leader.locator("#phase-opening [data-timer]")).to_contain_text(" / 5:00")
    leader.get_by_role("button", name="Next: Presentation →").click()
    expect(status).to_have_text("All changes saved.")

    # The connection drops while attendance is taken: nothing is lost.
    context.set_offline(True)
    leader.get_by_role("group", name="Mira Member").get_by_label("Online").check()
    leader.get_by_role("group", name="Gus Guest").get_by_label("In the room").check()
    leader.get_by_role("button", name="Next: Clarifying questions →").click()
    expect(status).to_contain_text("Offline: 3 change(s) kept on this phone")
    assert len(leader.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]))")) == 3
    expect(leader.locator("#phase-questions")).to_have_class("card rs-phase is-current")
    leader.screenshot(path=str(tmp_path / "2-offline-390.png"), full_page=True)
    context.set_offline(False)
    expect(status).to_have_text("All changes saved.")
    assert leader.evaluate("localStorage.length") == 0

    leader.get_by_role("button", name="Next: The presenter steps back →").click()
    leader.get_by_role("button", name="Next: The presenter returns →").click()
    expect(status).to_have_text("All changes saved.")
    leader.set_viewport_size({"width": 1280, "height": 900})
    leader.screenshot(path=str(tmp_path / "3-run-sheet-1280.png"), full_page=True)
    leader.set_viewport_size(PHONE)

    leader.get_by_label("Number of cases").fill("1")
    leader.get_by_label("I have checked attendance").check()
    leader.get_by_role("button", name="Close the session").click()
    expect(leader.get_by_text("The session is closed. 3 logbook record(s) were written")).to_be_visible()
    _fits(leader)
    leader.screenshot(path=str(tmp_path / "4-closed-390.png"), full_page=True)
    session = db.session.scalar(db.select(GroupSession))
    db.session.refresh(session)
    assert session.briefing_version == "full" and [p.phase for p in session.phases] == [
        "opening",
        "presentation",
        "questions",
        "push-back",
        "return",
    ]
    assert {(a.member_id, a.is_online) for a in session.attendance if a.is_present} == {
        (scene.enrolled_member.id, True),
        (scene.guest.id, False),
    }

    co_leader = browser.new_context(viewport=PHONE).new_page()
    log_in(co_leader, live_server, "trainee2@x.test")
    main_nav(co_leader).get_by_role("link", name="Logbook", exact=True).click()
    expect(co_leader.get_by_text("Awaiting signature").first).to_be_visible()
    co_leader.screenshot(path=str(tmp_path / "5-co-leader-logbook-390.png"), full_page=True)

    supervisor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(supervisor, live_server, "sup2@x.test")
    main_nav(supervisor).get_by_role("link", name="Sign-off", exact=True).click()
    expect(supervisor.get_by_text("1 record waits for your signature")).to_be_visible()
    supervisor.get_by_role("checkbox").first.check()
    press_final(supervisor, "Sign the selected records")
    expect(supervisor.get_by_text("1 record signed.")).to_be_visible()
    supervisor.goto(f"{live_server}/groups/sessions/{session.id}")
    expect(supervisor.get_by_text("Logbook records written on closing")).to_be_visible()
    supervisor.screenshot(path=str(tmp_path / "6-supervisor-session-1280.png"), full_page=True)

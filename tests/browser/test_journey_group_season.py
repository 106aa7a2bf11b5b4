"""Journey (issue 16, "done means"), on a phone: a trainee leader plans a session and runs
it through the run sheet, briefing included, losing the connection midway without losing
anything typed; closing it writes the leaders' logbook records, submitted, which their
supervisors sign; a member confirms their attendance from the e-mailed link; an
accredited leader of the group issues the member a certificate of attendance, whose
public page verifies it."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.accounts.models import Role
from app.extensions import db
from app.groups.models import AttendanceAnswer, GroupLeader, GroupSession
from app.logbook.models import LogbookRecord
from app.mail.models import MailDelivery
from app.statuslevels import services as status_levels
from tests.browser.test_journey_logbook import log_in
from tests.fixtures.browser import main_nav, press_final, run_sheet_ready
from tests.groups.conftest import scene  # noqa: F401  (the group: Mira Member and Gus Guest)
from tests.logbook.fixtures import accredit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def add_issuing_leader(world, make_user, group):
    """A leader of ``group`` who may issue attendance confirmations: Ada, an accredited
    Balint leader who co-leads with the trainees.

    The one place this journey says who may issue: the association's status levels (Ada
    holds the certified-leader level, which allows confirming attendance by default).
    There is no service to add a leader to an existing group, so the row is added as
    ``create_group`` adds it.
    """
    ada = make_user("ada@x.test", world.association, Role.SUPERVISOR, name="Ada Accredited")
    db.session.add(GroupLeader(group_id=group.id, user_id=ada.id, role="co-leader", is_accredited=True))
    status_levels.grant(world.admin, world.association.id, ada.id, "certified-leader", date(2020, 1, 1))
    db.session.commit()
    return ada


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("STILLPOINT_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _fits(page) -> None:
    """Nothing runs off the side of the phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _mailed_link(recipient: str, pattern: str) -> str:
    body = db.session.scalar(
        sa.select(MailDelivery.body)
        .where(sa.func.lower(MailDelivery.recipient) == recipient)
        .where(MailDelivery.body.contains(pattern.split("/")[1]))
        .order_by(MailDelivery.id.desc())
    )
    assert body is not None, f"no mail to {recipient} with a {pattern} link"
    return re.search(r"https?://\S+" + pattern + r"\S+", body).group(0)


def _sign_everything_waiting(browser, live_server: str, email: str, count: int) -> None:
    page = browser.new_context(viewport=PHONE).new_page()
    log_in(page, live_server, email)
    main_nav(page).get_by_role("link", name="Sign-off", exact=True).click()
    waits = f"{count} record waits" if count == 1 else f"{count} records wait"
    expect(page.get_by_text(f"{waits} for your signature")).to_be_visible()
    for box in page.locator("input[name=record_ids]").all():
        box.check()
    press_final(page, "Sign the selected records")
    signed = "1 record signed." if count == 1 else f"{count} records signed."
    expect(page.get_by_text(signed)).to_be_visible()
    page.context.close()


def test_a_season_day_on_a_phone_from_planning_to_a_verified_certificate_of_attendance(
    live_server,
    browser,
    world,
    make_user,
    scene,  # noqa: F811  (the fixture imported above)
    tmp_path,
):
    shots = _shots(tmp_path)
    accredit(world.supervisor, world.association)
    accredit(world.supervisor2, world.association)
    add_issuing_leader(world, make_user, scene.group)

    # The trainee leader plans today's session on their phone.
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
    leader.screenshot(path=str(shots / "1-run-sheet-390.png"), full_page=True)

    # The briefing opens the session: the short version, recorded as given.
    status = leader.locator("[data-sync-status]")
    leader.get_by_label("Short version").check()
    leader.get_by_role("button", name="Briefing given").click()
    expect(status).to_have_text("All changes saved.")
    leader.get_by_role("button", name="Start: Ground rules and briefing").click()
    leader.get_by_role("button", name="Next: Presentation →").click()
    expect(status).to_have_text("All changes saved.")

    # The connection drops midway. The figures for closing are typed, and closing is
    # tried: the page stays, says why, and keeps them. Attendance and a phase are kept
    # on the phone until the connection returns.
    context.set_offline(True)
    leader.get_by_label("Number of cases").fill("2")
    leader.get_by_label("How long the session ran, in minutes").fill("85")
    leader.get_by_label("I have checked attendance").check()
    leader.get_by_role("button", name="Close the session").click()
    expect(leader.locator("[data-close-message]")).to_contain_text("Closing needs a connection")
    leader.get_by_role("group", name="Mira Member").get_by_label("Online").check()
    leader.get_by_role("group", name="Gus Guest").get_by_label("In the room").check()
    leader.get_by_role("button", name="Next: Clarifying questions →").click()
    expect(status).to_contain_text("Offline: 3 change(s) kept on this phone")
    _fits(leader)
    leader.screenshot(path=str(shots / "2-run-sheet-offline-390.png"), full_page=True)
    context.set_offline(False)
    expect(status).to_have_text("All changes saved.")
    assert leader.evaluate("localStorage.length") == 0
    expect(leader.get_by_label("Number of cases")).to_have_value("2")
    expect(leader.get_by_label("How long the session ran, in minutes")).to_have_value("85")
    expect(leader.get_by_label("I have checked attendance")).to_be_checked()

    leader.get_by_role("button", name="Next: The presenter steps back →").click()
    leader.get_by_role("button", name="Next: The presenter returns →").click()
    expect(status).to_have_text("All changes saved.")
    leader.screenshot(path=str(shots / "3-run-sheet-last-phase-390.png"), full_page=True)
    leader.get_by_role("button", name="Close the session").click()
    # The trainee's, the co-leading trainee's and the enrolled member's; Ada is enrolled nowhere.
    expect(leader.get_by_text("The session is closed. 3 logbook record(s) were written")).to_be_visible()
    _fits(leader)
    session = db.session.scalar(sa.select(GroupSession))
    db.session.refresh(session)
    assert (session.cases, session.minutes, session.briefing_version) == (2, 85, "short")
    assert [p.phase for p in session.phases] == [
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

    # The members present are asked to confirm their attendance themselves.
    leader.get_by_role("button", name="Ask members to confirm by e-mail").click()
    expect(leader.get_by_text("Asked 2 members to confirm")).to_be_visible()

    # The co-leader finds their record submitted; the supervisors sign what waits for them.
    co_leader = browser.new_context(viewport=PHONE).new_page()
    log_in(co_leader, live_server, "trainee2@x.test")
    main_nav(co_leader).get_by_role("link", name="Logbook", exact=True).click()
    expect(co_leader.get_by_text("Awaiting signature").first).to_be_visible()
    co_leader.context.close()
    _sign_everything_waiting(browser, live_server, "sup2@x.test", 1)  # the co-leading trainee's
    _sign_everything_waiting(browser, live_server, "sup@x.test", 2)  # the leader's and Mira's
    leader.reload()
    expect(leader.get_by_text("Logbook records written on closing")).to_be_visible()
    db.session.expire_all()
    records = [db.session.get(LogbookRecord, link.record_id) for link in session.record_links]
    assert len(records) == 3 and {record.status for record in records} == {"signed"}

    # Gus (no account) confirms from the link in his e-mail.
    guest = browser.new_context(viewport=PHONE).new_page()
    guest.goto(_mailed_link("gus@example.org", "/attendance/answer/"))
    expect(guest.get_by_role("heading", name="Were you there?")).to_be_visible()
    guest.get_by_role("button", name="Yes, I was there").click()
    expect(guest.get_by_text("Thank you: your answer is recorded.")).to_be_visible()
    answer = db.session.scalar(
        sa.select(AttendanceAnswer).where(AttendanceAnswer.member_id == scene.guest.id)
    )
    db.session.refresh(answer)
    assert answer.answer == "confirmed"

    # Ada, the accredited leader, issues him a certificate of attendance.
    ada = browser.new_context(viewport=PHONE).new_page()
    log_in(ada, live_server, "ada@x.test")
    main_nav(ada).get_by_role("link", name="Groups", exact=True).click()
    ada.get_by_role("link", name="Thursday GP group").click()
    ada.get_by_role("link", name="Attendance confirmations for Gus Guest").click()
    ada.get_by_role("button", name="Check against the participant rules").click()
    expect(ada.locator("#preview")).to_contain_text("of 30 teaching hours")
    ada.get_by_role("button", name="Issue the confirmation").click()
    expect(ada.get_by_text("The confirmation is issued and sent to Gus Guest.")).to_be_visible()
    _fits(ada)

    # The link Gus is sent shows it valid to anyone.
    guest.goto(_mailed_link("gus@example.org", "/attendance/AT-"))
    expect(guest.get_by_role("heading", name="Valid")).to_be_visible()
    main = guest.locator("main")
    expect(main).to_contain_text("Gus Guest")
    expect(main).to_contain_text("Thursday GP group")
    expect(main).to_contain_text("Ada Accredited")
    _fits(guest)
    # The serial stays on one line, to be read out and compared as one piece.
    assert guest.locator(".cert-verdict-label .serial").evaluate("el => el.getClientRects().length") == 1
    guest.screenshot(path=str(shots / "4-attendance-verified-390.png"), full_page=True)

"""Journey: on a phone, an accredited leader checks a member's attendance against the
participant rules and issues a certificate of attendance; the link the member is sent
shows it valid to anyone."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.mail.models import MailDelivery
from tests.browser.test_journey_logbook import log_in
from tests.fixtures.browser import main_nav
from tests.groups.attendance_support import accredited_group, hold

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("STILLPOINT_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_leader_issues_a_certificate_of_attendance_and_the_members_link_shows_it_valid(
    live_server, browser, world, tmp_path, viewport
):
    shots, width = _shots(tmp_path), viewport["width"]
    scene = accredited_group(world, size=8)
    everyone = {member.id: "room" for member in scene.members}
    hold(world, scene.group, date(2025, 1, 8), everyone)
    hold(world, scene.group, date(2025, 2, 5), {**everyone, scene.members[0].id: "online"})
    hold(world, scene.group, date(2025, 3, 5), everyone, minutes=120)

    leader = browser.new_context(viewport=viewport).new_page()
    log_in(leader, live_server, "trainee@x.test")
    main_nav(leader).get_by_role("link", name="Groups", exact=True).click()
    leader.get_by_role("link", name="Wednesday Balint group").click()
    leader.get_by_role("link", name="Attendance confirmations for Member 01").click()
    expect(leader.get_by_role("heading", name="Attendance confirmations for Member 01")).to_be_visible()
    expect(leader.get_by_label("From")).to_have_value("2025-01-08")
    leader.get_by_role("button", name="Check against the participant rules").click()

    preview = leader.locator("#preview")
    expect(preview).to_contain_text("5 in total: 3.5 in person, 1.5 online")
    expect(preview).to_contain_text("6.67 of 30 teaching hours (45 minutes).")
    expect(preview).to_contain_text("does not meet 3 rules")
    _fits(leader)
    leader.screenshot(path=str(shots / f"1-check-{width}.png"), full_page=True)
    leader.get_by_role("button", name="Issue the confirmation").click()
    expect(leader.get_by_text("The confirmation is issued and sent to Member 01.")).to_be_visible()
    expect(leader.get_by_role("heading", name="Certificate of attendance")).to_be_visible()
    _fits(leader)
    leader.screenshot(path=str(shots / f"2-issued-{width}.png"), full_page=True)

    mail = db.session.scalar(sa.select(MailDelivery).where(MailDelivery.recipient == "m1@example.org"))
    link = re.search(r"https?://\S+/attendance/AT-[0-9A-Z-]+", mail.body).group(0)
    assert link.startswith(live_server)

    member = browser.new_context(viewport=viewport).new_page()  # no login
    member.goto(link)
    expect(member.get_by_role("heading", name="Valid")).to_be_visible()
    expect(member.locator("main")).to_contain_text("Member 01")
    expect(member.locator("main")).to_contain_text("Wednesday Balint group")
    expect(member.locator("main")).to_contain_text("Tomas Trainee")
    _fits(member)
    member.screenshot(path=str(shots / f"3-verify-{width}.png"), full_page=True)

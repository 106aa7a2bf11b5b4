"""Journey: a trainee's progress dashboard reflects a session the supervisor has just signed."""

from __future__ import annotations

import datetime as dt

import pytest

from app.extensions import db
from app.logbook import signoff
from app.logbook.models import SupervisorAccreditation
from tests.fixtures.browser import main_nav
from tests.requirements.records import add_session

pytestmark = pytest.mark.browser


def test_dashboard_shows_a_newly_signed_session(live_server, browser, world, tmp_path):
    db.session.add(
        SupervisorAccreditation(
            association_id=world.association.id,
            supervisor_id=world.supervisor.id,
            valid_from=dt.date(2020, 1, 1),
            granted_by_id=world.admin.id,
        )
    )
    add_session(world.enrolment, dt.date.today() - dt.timedelta(days=3), status="submitted")
    submitted = add_session(world.enrolment, dt.date.today() - dt.timedelta(days=2), status="submitted")
    db.session.commit()

    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill("trainee@x.test")
    page.get_by_label("Password").fill("stillpoint-demo")
    page.get_by_role("button", name="Log in").click()
    main_nav(page).get_by_role("link", name="Progress").click()
    requirement = page.locator(".req", has_text="Co-led sessions")
    assert "0 / 2 sessions" in requirement.inner_text()
    assert "2 more sessions." in requirement.inner_text()

    signoff.sign(world.supervisor, world.association.id, submitted.id)
    db.session.commit()

    page.reload()
    requirement = page.locator(".req", has_text="Co-led sessions")
    assert "1 / 2 sessions" in requirement.inner_text()
    assert "1 more session." in requirement.inner_text()
    page.screenshot(path=str(tmp_path / "progress.png"), full_page=True)

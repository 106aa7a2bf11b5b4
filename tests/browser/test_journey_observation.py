"""Journey: on a phone, a trainee leader asks a leader trainer to observe their session;
the observer fills in the competency rubric and signs; the trainee reads the signed report
and finds the observation signed in their logbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.groups.models import ObservationReport
from tests.browser.test_every_page import AXE, AXE_JS, DUPLICATE_IDS_JS, FAILING_IMPACTS
from tests.browser.test_journey_logbook import log_in
from tests.groups.conftest import (
    plan,
    scene,  # noqa: F401  (the group the trainee leads)
)
from tests.logbook.fixtures import accredit

pytestmark = pytest.mark.browser

SHOTS = Path("/work/shots/observe")
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


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


def test_a_leader_trainer_observes_and_signs_and_the_trainee_reads_it(
    live_server,
    browser,
    world,
    scene,  # noqa: F811  (the fixture imported above)
):
    accredit(world.supervisor2, world.association)
    session = plan(world, scene.group)
    db.session.commit()

    trainee = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()  # axe is injected
    log_in(trainee, live_server, "trainee@x.test")
    trainee.goto(f"{live_server}/groups/sessions/{session.id}")
    trainee.get_by_role("link", name="Ask for an observer").click()
    expect(trainee.get_by_role("heading", name="Ask for an observer")).to_be_visible()
    _checked(trainee, "1-assign")
    trainee.get_by_label("Observer", exact=True).select_option(label="Sara Second")
    trainee.get_by_label("The observer observes as").select_option(label="Leader trainer")
    trainee.get_by_role("button", name="Ask them to observe").click()
    expect(trainee.get_by_text("Sara Second is asked to observe the session.")).to_be_visible()
    expect(trainee.get_by_text("waiting for the observer")).to_be_visible()
    _checked(trainee, "2-session")

    report = db.session.scalar(db.select(ObservationReport))
    for viewport in (PHONE, WIDE):
        observer = browser.new_context(viewport=viewport, bypass_csp=True).new_page()
        log_in(observer, live_server, "sup2@x.test")
        observer.goto(f"{live_server}/groups/observations/{report.id}/sign")
        expect(observer.get_by_role("heading", name="Observation of Tomas Trainee")).to_be_visible()
        _checked(observer, "3-form")
        if viewport is WIDE:
            break
        observer.context.close()
    first = observer.get_by_role("group", name="C1 · ", exact=False).first
    first.get_by_label("4 · ", exact=False).check()
    first.get_by_label("Evidence (optional)").fill("Restated the ground rules before the first case.")
    observer.get_by_role("group", name="Overall outcome").get_by_label("Satisfactory").check()
    observer.get_by_label("What you observed").fill("A calm, well-held group, focused on the relationship.")
    observer.get_by_role("button", name="Sign the observation report").click()
    expect(observer.get_by_text("Tick the box to confirm")).to_be_visible()
    observer.get_by_label("I understand that this report is signed").check()
    observer.get_by_role("button", name="Sign the observation report").click()
    expect(
        observer.get_by_text("The observation report is signed and sent to Tomas Trainee.")
    ).to_be_visible()
    _checked(observer, "4-report")

    trainee.goto(f"{live_server}/groups/observations/{report.id}")
    expect(trainee.get_by_text("Outcome: Satisfactory")).to_be_visible()
    expect(trainee.get_by_text("Restated the ground rules before the first case.")).to_be_visible()
    _checked(trainee, "5-report")
    trainee.goto(f"{live_server}/logbook/")
    expect(trainee.get_by_text("Observation", exact=False).first).to_be_visible()

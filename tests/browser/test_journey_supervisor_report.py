"""Journeys of a supervisor with ten minutes: write and sign a rubric report on a phone, which
the trainee acknowledges with a comment; review a revised reflection and see what changed."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.requirements import reports
from tests.browser.test_journey_accounts import log_in
from tests.fixtures.browser import press_final
from tests.requirements.records import add_session
from tests.vignettes.test_revisions import revised

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def shots(tmp_path: Path) -> Path:
    """Where screenshots go: SHOTS_DIR when set (to look at them), else the test's tmp dir."""
    folder = Path(os.environ.get("SHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def no_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_supervisor_writes_and_signs_a_rubric_report_and_the_trainee_acknowledges(
    live_server, browser, world, tmp_path
):
    out = shots(tmp_path)
    add_session(world.enrolment, dt.date(2025, 3, 4), signer=world.supervisor)
    db.session.commit()
    competencies = reports.competencies_for(world.enrolment)

    supervisor = browser.new_context(viewport=PHONE).new_page()
    log_in(supervisor, live_server, "sup@x.test")
    supervisor.goto(f"{live_server}/progress/enrolments/{world.enrolment.id}")
    supervisor.get_by_role("link", name="Write a report").click()
    expect(supervisor.get_by_role("heading", name="Competency report for Tomas Trainee")).to_be_visible()
    expect(supervisor.get_by_label("Ready: I recommend accreditation")).not_to_be_checked()
    expect(supervisor.get_by_label("Not yet ready")).not_to_be_checked()
    no_overflow(supervisor)
    supervisor.screenshot(path=str(out / "report-form-phone.png"), full_page=True)

    # Saving too early names what is missing, beside each field and at the top.
    supervisor.get_by_role("button", name="Save draft").click()
    summary = supervisor.get_by_role("alert")
    expect(summary).to_contain_text("Write the narrative: how the trainee has developed as a leader.")
    expect(summary).to_contain_text("Choose a level from 1 to 5 for “Keeps confidentiality”.")
    supervisor.screenshot(path=str(out / "report-errors-phone.png"), full_page=True)

    supervisor.get_by_label("Kind of report").select_option("final")
    supervisor.get_by_label("Period to").fill("2025-11-01")
    for competency in competencies:
        group = supervisor.get_by_role("group", name=competency.label)
        group.get_by_label("4 · Established").check()
    presenter = supervisor.get_by_role("group", name="Protects the presenter")
    presenter.get_by_text("Evidence").click()
    presenter.get_by_label("Group session of", exact=False).check()
    expect(presenter.get_by_role("link", name="open Group session of", exact=False)).to_have_attribute(
        "href", f"/logbook/records/{_record_id(world)}"
    )
    supervisor.get_by_label("Narrative").fill(
        "Tomas holds the frame calmly. Tomas Trainee protects the presenter and keeps the group "
        "with the relationship."
    )
    supervisor.get_by_label("Ready: I recommend accreditation").check()
    supervisor.get_by_role("button", name="Save draft").click()
    expect(supervisor.get_by_text("Draft saved. Sign it when it is complete.")).to_be_visible()
    expect(supervisor.get_by_text("Check for identifying details")).to_have_count(0)  # his own name is fine
    press_final(supervisor, "Sign the report (final)")
    expect(supervisor.get_by_text("The report is signed and final.")).to_be_visible()
    supervisor.get_by_role("link", name="Final report", exact=False).first.click()
    expect(supervisor.get_by_text("Not yet acknowledged by the trainee.")).to_be_visible()
    no_overflow(supervisor)
    supervisor.screenshot(path=str(out / "report-signed-phone.png"), full_page=True)
    report_url = supervisor.url

    trainee = browser.new_context(viewport=PHONE).new_page()
    log_in(trainee, live_server, "trainee@x.test")
    trainee.goto(report_url)
    expect(trainee.get_by_text("Level 4 of 5 · Established").first).to_be_visible()
    trainee.get_by_label("Your comment (optional)").fill(
        "Thank you. I would like more practice as co-leader."
    )
    trainee.get_by_role("button", name="Acknowledge the report").click()
    expect(trainee.get_by_text("You acknowledged the report.")).to_be_visible()
    expect(trainee.get_by_text("Acknowledged by Tomas Trainee on")).to_be_visible()
    expect(trainee.get_by_text("I would like more practice as co-leader.")).to_be_visible()
    expect(trainee.get_by_role("button", name="Acknowledge the report")).to_have_count(0)
    no_overflow(trainee)
    trainee.screenshot(path=str(out / "report-acknowledged-phone.png"), full_page=True)
    pdf = trainee.request.get(report_url + ".pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    (out / "report.pdf").write_bytes(pdf.body())

    desktop = browser.new_context(viewport=DESKTOP).new_page()
    log_in(desktop, live_server, "sup@x.test")
    desktop.goto(report_url)
    expect(desktop.get_by_text("Acknowledged by Tomas Trainee on")).to_be_visible()
    desktop.screenshot(path=str(out / "report-acknowledged-desktop.png"), full_page=True)
    desktop.goto(f"{live_server}/progress/enrolments/{world.enrolment.id}/reports/new")
    desktop.screenshot(path=str(out / "report-form-desktop.png"), full_page=True)


def _record_id(world) -> int:
    from app.logbook.models import LogbookRecord

    return db.session.query(LogbookRecord.id).filter_by(enrolment_id=world.enrolment.id).scalar()


def test_supervisor_reviews_a_revised_reflection_and_sees_what_changed(live_server, browser, world, tmp_path):
    out = shots(tmp_path)
    _v1, v2, _first, _second = revised(world)
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = browser.new_context(viewport=viewport).new_page()
        log_in(page, live_server, "sup@x.test")
        page.goto(f"{live_server}/vignettes/review")
        page.get_by_role("link", name="Tomas Trainee: ", exact=False).click()
        expect(page).to_have_url(f"{live_server}/vignettes/review/{v2.id}")
        expect(page.get_by_text("This is a revision.")).to_be_visible()
        first = page.locator(".vg-exercise").first
        expect(first.get_by_role("heading", name="Changes since version 1")).to_be_visible()
        expect(first.locator(".vg-diff ins")).to_contain_text("of losing")
        expect(first.locator(".vg-diff del")).to_contain_text("for")
        expect(first.get_by_role("heading", name="Your comment on version 1")).to_be_visible()
        expect(first.get_by_text("What might the son be afraid of?")).to_be_visible()
        expect(page.get_by_text("Unchanged since version 1.").first).to_be_visible()
        no_overflow(page)
        page.screenshot(path=str(out / f"review-revision-{name}.png"), full_page=True)

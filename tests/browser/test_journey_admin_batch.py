"""The admin's batch journey (issue 15): from the dashboard on the home page, "Ready for
certificate" leads to the one ready list; nobody is ticked; the admin ticks two people,
sees who will be issued a certificate and e-mailed, confirms, and both certificates exist.

Each page of the journey is also looked at on a phone (390 px): no horizontal overflow.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.certificates.models import Certificate
from app.extensions import db
from tests.browser.test_journey_accounts import log_in
from tests.certificates.conftest import make_ready
from tests.certificates.test_views import _enrol_ready
from tests.fixtures.browser import press_final

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = "/work/shots/dashboard"


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_an_admin_issues_a_batch_of_two_from_the_dashboard(live_server, browser, world, make_user):
    make_ready(world.enrolment, world.supervisor)
    second = _enrol_ready(world, make_user, 2)
    _enrol_ready(world, make_user, 3)  # ready too, but not chosen

    admin = browser.new_context(viewport=DESKTOP).new_page()
    log_in(admin, live_server, "admin@x.test")
    expect(admin.get_by_role("link", name="stalled trainees", exact=False)).to_be_visible()
    admin.screenshot(path=f"{SHOTS}/home-1280.png", full_page=True)
    admin.get_by_role("link", name="Ready for certificate").click()

    expect(admin.get_by_role("heading", name="Ready for a certificate")).to_be_visible()
    boxes = admin.get_by_role("checkbox")
    expect(boxes).to_have_count(3)
    for index in range(3):
        expect(boxes.nth(index)).not_to_be_checked()  # nothing chosen for the admin
    admin.get_by_label("Tomas Trainee").check()
    admin.get_by_label("Ready 002").check()
    admin.screenshot(path=f"{SHOTS}/ready-1280.png", full_page=True)
    admin.get_by_role("button", name="Preview the batch").click()

    expect(admin.get_by_role("heading", name="Check the batch before it goes")).to_be_visible()
    expect(admin.get_by_role("cell", name="trainee@x.test")).to_be_visible()
    expect(admin.get_by_role("cell", name="ready2@x.test")).to_be_visible()
    expect(admin.get_by_role("cell", name="Ready 003")).to_have_count(0)
    admin.screenshot(path=f"{SHOTS}/preview-1280.png", full_page=True)
    assert db.session.scalar(select(Certificate.id)) is None  # nothing before the confirm
    press_final(admin, "Issue 2 certificates and notify the holders")

    expect(admin.get_by_text("2 certificates issued.")).to_be_visible()
    db.session.expire_all()
    issued = set(db.session.scalars(select(Certificate.enrolment_id)))
    assert issued == {world.enrolment.id, second.id}

    for name, path in (
        ("cohort", "/progress/cohort"),
        ("audit", "/admin/audit"),
        ("outbox", "/admin/outbox"),
    ):
        admin.goto(f"{live_server}{path}")
        admin.screenshot(path=f"{SHOTS}/{name}-1280.png", full_page=True)

    # On a phone: the dashboard, the ready list (one left) and the audit trail fit.
    phone = browser.new_context(viewport=PHONE).new_page()
    log_in(phone, live_server, "admin@x.test")
    for name, path in (
        ("home", "/home"),
        ("ready", "/certificates/ready"),
        ("cohort", "/progress/cohort"),
        ("audit", "/admin/audit"),
        ("outbox", "/admin/outbox"),
        ("stalled", "/admin/stalled"),
        ("waiting", "/admin/waiting"),
    ):
        phone.goto(f"{live_server}{path}")
        expect(phone.locator("h1")).to_be_visible()
        phone.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
        assert _overflow(phone) <= 0, f"{path} overflows at 390 px"
    phone.goto(f"{live_server}/admin/audit")
    expect(phone.get_by_text("Alma Admin issued certificate", exact=False).first).to_be_visible()

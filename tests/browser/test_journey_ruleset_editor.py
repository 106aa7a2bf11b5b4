"""An admin edits a rule set in forms: picks a kind (its fields appear), fills them and a
filter, sees a problem beside its field with the text kept, previews who would change,
and publishes after the final confirmation; at 1280 and 390 px nothing overflows."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.browser.test_journey_accounts import log_in
from tests.fixtures.browser import press_final
from tests.requirements.records import add_session

pytestmark = pytest.mark.browser

SHOTS = "/work/shots/editor"


def _no_overflow(page, what: str, width: int) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{what} overflows at {width} px"


def _script_ready(page) -> None:
    """static/ruleset_editor.js has bound its listeners (it hides the no-script button)."""
    expect(page.locator("button.re-choose.visually-hidden")).to_have_count(1)


def test_an_admin_adds_a_requirement_previews_and_publishes(live_server, browser, world):
    add_session(world.enrolment, dt.date(2025, 2, 1))
    add_session(world.enrolment, dt.date(2025, 3, 1))
    db.session.commit()
    editor = f"{live_server}/admin/programmes/{world.programme.id}/editor"
    for width, height in ((1280, 900), (390, 844)):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        log_in(page, live_server, "admin@x.test")
        page.goto(editor)
        page.get_by_role("link", name="Add a requirement").click()
        _script_ready(page)
        page.get_by_label("Kind").select_option("total")  # the script shows the kind's fields
        expect(page.get_by_label("at_least")).to_be_visible()
        page.get_by_label("Id").fill(f"sup-{width}")
        page.get_by_label("Label").fill("Individual supervision")
        _script_ready(page)
        page.get_by_label("records").select_option("supervision")  # the fields follow the records
        expect(page.locator("#where-0-field option[value=channel]")).to_have_count(1)
        page.get_by_label("at_least").fill("-4")
        page.locator("#where-0-field").select_option("mode")
        page.locator("#where-0-value").fill("individual")
        page.get_by_role("button", name="Save in the draft").click()
        expect(page.locator("#e-at_least")).to_contain_text("positive number")
        expect(page.get_by_label("Label")).to_have_value("Individual supervision")
        expect(page.locator("#where-0-value")).to_have_value("individual")
        _no_overflow(page, "the requirement form", width)
        page.screenshot(path=f"{SHOTS}/requirement-error-{width}.png", full_page=True)
        page.get_by_label("at_least").fill("4")
        page.get_by_role("button", name="Save in the draft").click()
        expect(page.locator("#requirements")).to_contain_text(f"sup-{width}")
        _no_overflow(page, "the editor", width)
        page.screenshot(path=f"{SHOTS}/editor-{width}.png", full_page=True)
        page.get_by_role("link", name="Preview and publish").click()
        expect(page.locator("#preview")).to_contain_text("1 would no longer be ready.")
        expect(page.locator("#preview")).to_contain_text("Individual supervision")
        _no_overflow(page, "the preview", width)
        page.screenshot(path=f"{SHOTS}/preview-{width}.png", full_page=True)
        press_final(page, "Publish as a new version")
        version = 2 if width == 1280 else 3
        expect(page.get_by_text(f"Published as version {version}.")).to_be_visible()
        page.context.close()

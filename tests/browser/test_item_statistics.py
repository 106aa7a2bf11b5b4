"""Journey: an admin opens the question statistics on a phone and can read them without
scrolling sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import main_nav
from tests.learning.test_item_stats import take_designed_attempts

pytestmark = pytest.mark.browser


def test_an_admin_reads_the_question_statistics_on_a_phone(app, live_server, page, world, tmp_path):
    app.config["ITEM_STATS_MIN_ANSWERS"] = 6
    take_designed_attempts(world)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail address").fill("admin@x.test")
    page.get_by_label("Password").fill("stillpoint-demo")
    page.get_by_role("button", name="Log in").click()
    main_nav(page).get_by_role("link", name="Question statistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question statistics")
    row = page.locator("#item-mz-definition")
    expect(row).to_contain_text("too easy")
    expect(row.locator("td[data-label='Facility']")).to_contain_text("1.00")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "item-statistics.png"), full_page=False)
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "item-statistics-row.png"))

"""An admin opens a programme made from the ANZ preset and reads, beside each requirement,
the published line it encodes; on a phone (390 px) the table stacks without overflow."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.programmes import services as programmes
from tests.browser.test_journey_accounts import log_in

pytestmark = pytest.mark.browser

ANZ = (Path(__file__).resolve().parents[2] / "curriculum" / "programmes" / "anz-style.yaml").read_text()
SHOTS = "/work/shots/presets"


def test_an_admin_reads_the_source_of_each_requirement(live_server, browser, world):
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="anz", title="ANZ pathway", rule_set_source=ANZ
    )
    db.session.commit()
    for width, height in ((1280, 900), (390, 844)):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        log_in(page, live_server, "admin@x.test")
        page.goto(f"{live_server}/admin/programmes/{programme.id}")
        table = page.locator("#requirements")
        expect(table.get_by_role("heading", name="Requirements of version 1")).to_be_visible()
        expect(table.get_by_text("'at least ten (10) supervision sessions each year'")).to_be_visible()
        expect(table.get_by_text("Stillpoint: not in the society's rules")).to_be_visible()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the programme page overflows at {width} px"
        table.screenshot(path=f"{SHOTS}/requirements-{width}.png")
        page.context.close()

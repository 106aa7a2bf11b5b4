"""Journey: a supervisor signs a record with the keyboard alone (Tab, Enter, Space), the
"this cannot be undone" dialog included, and can always see where the focus is."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.logbook.models import LogbookRecord, RecordStatus
from tests.logbook.fixtures import accredit, create

pytestmark = pytest.mark.browser

#: More Tab presses than any page here has controls before the one wanted.
MAX_TABS = 60


def _describe_focus(page) -> str:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return [el.tagName, el.getAttribute('name') || '', el.getAttribute('type') || '',
                  (el.innerText || el.value || el.getAttribute('aria-label') || '').trim()].join('|');
        }"""
    )


def tab_to(page, wanted: str, *, backwards: bool = False) -> None:
    """Press Tab until the focused element's description contains ``wanted``."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if wanted in _describe_focus(page):
            assert_focus_visible(page)
            return
    raise AssertionError(f"Tab never reached {wanted!r}; last focus: {_describe_focus(page)}")


def assert_focus_visible(page) -> None:
    """The focused control shows an outline (the :focus-visible ring of stillpoint.css)."""
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                  return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )
    assert style[0] != "none" and style[1] >= 2, f"no visible focus on {_describe_focus(page)}: {style}"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_supervisor_signs_from_the_queue_with_the_keyboard_only(
    live_server, browser, world, width, tmp_path
):
    accredit(world.supervisor, world.association)
    record = create(world, submit=True)
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(10_000)

    page.goto(f"{live_server}/login")
    tab_to(page, "|email|")
    page.keyboard.type("sup@x.test")
    tab_to(page, "|password|")
    page.keyboard.type("stillpoint-demo")
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_be_visible()

    if width < 640:  # the phone's folded menu: open it with the keyboard
        tab_to(page, "Menu")
        page.keyboard.press("Enter")
    tab_to(page, "|Sign-off")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sign-off queue")).to_be_visible()

    tab_to(page, "|record_ids|checkbox|")
    page.keyboard.press("Space")
    expect(page.locator("input[name=record_ids]").first).to_be_checked()
    tab_to(page, "Sign the selected records")
    page.keyboard.press("Enter")

    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="This cannot be undone")).to_be_visible()
    expect(dialog.locator("[data-role=cancel]")).to_be_focused()  # the safe choice first
    assert_focus_visible(page)
    page.screenshot(path=str(tmp_path / f"dialog-{width}.png"))

    page.keyboard.press("Escape")  # changing one's mind: nothing is signed, focus goes back
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Sign the selected records")).to_be_focused()
    db.session.expire_all()
    assert db.session.get(LogbookRecord, record.id).status == RecordStatus.SUBMITTED

    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")
    expect(dialog.locator("[data-role=confirm]")).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    expect(page.get_by_text("1 record signed.")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(LogbookRecord, record.id).status == RecordStatus.SIGNED
    page.context.close()

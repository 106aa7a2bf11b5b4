"""Journey: the colleague test and the reader's response on a phone and on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import press_final

pytestmark = pytest.mark.browser

COLLEAGUE = "what-the-interpreter-left-out"
READER = "a-doctor-from-here"


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("stillpoint-demo")
    page.get_by_role("button", name="Log in").click()


def test_a_trainee_marks_details_on_a_phone_and_sees_what_was_found(live_server, browser, world, tmp_path):
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.set_default_timeout(10_000)
    log_in(phone, live_server, "trainee@x.test")
    phone.goto(f"{live_server}/vignettes/{COLLEAGUE}")
    exercise = phone.locator("#exercise-colleague-test")
    expect(exercise.locator(".vg-passage")).to_contain_text("weekend language school")
    exercise.get_by_label("the only family from their country in the district").check()
    exercise.get_by_label("The mother rarely speaks in meetings").check()
    exercise.get_by_label("How would you change the details you marked").fill("Say they came from abroad.")
    exercise.scroll_into_view_if_needed()
    exercise.screenshot(path=str(tmp_path / "colleague-test-phone.png"))
    phone.get_by_role("button", name="Save draft").click()
    expect(phone.get_by_text("Draft saved.")).to_be_visible()
    expect(exercise.get_by_label("the only family from their country in the district")).to_be_checked()
    expect(exercise.get_by_label("A fourteen-year-old girl")).not_to_be_checked()

    # Answer the rest on a desktop and submit; the comparison opens.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    desk.set_default_timeout(10_000)
    log_in(desk, live_server, "trainee@x.test")
    desk.goto(f"{live_server}/vignettes/{COLLEAGUE}")
    for name in ("questions", "feelings-interpreter", "dimensions", "intervention"):
        desk.locator(f'textarea[name="{name}__text"]').fill("An answer that stays with the people.")
    for key in ("automatic-controlled", "self-other", "external-internal", "affective-cognitive"):
        desk.locator(f'input[name="dimensions__{key}"][value="-1"]').check()
    desk.locator('input[name="intervention__choice"]').first.check()
    desk.locator("#exercise-colleague-test").screenshot(path=str(tmp_path / "colleague-test-desktop.png"))
    press_final(desk, "Submit for review")
    expect(desk.get_by_text("Submitted. Your supervisor has been told")).to_be_visible()
    result = desk.locator("#exercise-colleague-test")
    expect(result).to_contain_text("Found 1 of 4 identifying details; 1 marked that would not identify.")
    expect(result.get_by_text("missed: identifying")).to_have_count(3)
    result.screenshot(path=str(tmp_path / "colleague-result-desktop.png"))


def test_the_reader_response_form_on_a_phone(live_server, browser, world, tmp_path):
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.set_default_timeout(10_000)
    log_in(phone, live_server, "trainee@x.test")
    phone.goto(f"{live_server}/vignettes/{READER}")
    exercise = phone.locator("#exercise-reader-response")
    exercise.get_by_label("What did you feel while reading the case?").fill("Angry for her.")
    exercise.get_by_label("the nurse in charge").check()
    exercise.screenshot(path=str(tmp_path / "reader-response-phone.png"))
    phone.get_by_role("button", name="Save draft").click()
    expect(phone.get_by_text("Draft saved.")).to_be_visible()
    expect(phone.locator("#exercise-reader-response").get_by_label("the nurse in charge")).to_be_checked()

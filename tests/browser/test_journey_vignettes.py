"""Journey: a trainee drafts and submits a reflection on a phone; the supervisor accepts it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import main_nav, press_final
from tests.vignettes.helpers import SLUG

pytestmark = pytest.mark.browser

ANSWERS = {
    "questions__text": "Who else sees her in a week?\nHow often does the son visit?",
    "feelings-son__text": "Frightened of the call that says she has fallen, and guilty at living so far away.",
    "dimensions__text": "Warm about her, but the son is only a voice on the phone.",
    "image__text": "A window: the son outside, watching a kind stranger having tea with his mother.",
    "intervention__text": "The son has vanished from the talk, as he is kept out of her kitchen.",
}
RATINGS = {
    "automatic-controlled": "-2",
    "self-other": "-1",
    "external-internal": "-2",
    "affective-cognitive": "-2",
}


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("stillpoint-demo")
    page.get_by_role("button", name="Log in").click()


def test_trainee_drafts_and_submits_then_supervisor_accepts(live_server, browser, world, tmp_path):
    trainee = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    trainee.set_default_timeout(10_000)
    log_in(trainee, live_server, "trainee@x.test")
    main_nav(trainee).get_by_role("link", name="Vignettes", exact=True).click()
    expect(trainee.get_by_role("heading", name="Case vignettes")).to_be_visible()
    trainee.screenshot(path=str(tmp_path / "library-phone.png"))
    trainee.get_by_role("link", name="The tablets in the tin").click()

    # A first draft: one answer, saved, still there afterwards.
    trainee.locator('textarea[name="questions__text"]').fill(ANSWERS["questions__text"])
    trainee.get_by_role("button", name="Save draft").click()
    expect(trainee.get_by_text("Draft saved.")).to_be_visible()
    assert trainee.locator('textarea[name="questions__text"]').input_value() == ANSWERS["questions__text"]

    # Submitting with a rating missing is refused, and nothing typed is lost.
    for name, text in ANSWERS.items():
        trainee.locator(f'textarea[name="{name}"]').fill(text)
    for key, value in list(RATINGS.items())[:3]:
        trainee.locator(f'input[name="dimensions__{key}"][value="{value}"]').check()
    trainee.locator('input[name="intervention__choice"][value="wonder-about-son"]').check()
    press_final(trainee, "Submit for review")
    summary = trainee.get_by_role("alert").filter(has_text="please check these answers")
    expect(summary.get_by_text("Exercise 3: Choose a rating before submitting.")).to_be_visible()
    expect(trainee.get_by_text("Choose a rating before submitting.", exact=True)).to_be_visible()
    assert trainee.locator('textarea[name="image__text"]').input_value() == ANSWERS["image__text"]
    trainee.screenshot(path=str(tmp_path / "refused-phone.png"))  # what the trainee sees first

    trainee.locator('input[name="dimensions__affective-cognitive"][value="-2"]').check()
    press_final(trainee, "Submit for review")
    expect(trainee.get_by_text("Submitted. Your supervisor has been told")).to_be_visible()
    expect(trainee.get_by_role("heading", name="What experienced leaders notice").first).to_be_visible()
    chart = trainee.get_by_role("img", name="Your ratings beside those of experienced leaders")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    trainee.screenshot(path=str(tmp_path / "submitted-phone.png"), full_page=True)

    # The supervisor reviews on a desktop and accepts with a comment.
    supervisor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    supervisor.set_default_timeout(10_000)
    log_in(supervisor, live_server, "sup@x.test")
    expect(supervisor.get_by_text("1 reflection is waiting for your feedback.")).to_be_visible()
    supervisor.get_by_role("link", name="Reviews", exact=True).click()
    supervisor.get_by_role("link", name="Tomas Trainee: The tablets in the tin").click()
    supervisor.locator('textarea[name="image__comment"]').fill("A vivid image; say it in fewer words.")
    supervisor.get_by_label("Overall feedback").fill("A thoughtful reflection that keeps the son in view.")
    supervisor.screenshot(path=str(tmp_path / "review-desktop.png"), full_page=True)
    press_final(supervisor, "Accept")
    expect(supervisor.get_by_text("Accepted. Tomas Trainee has been told.")).to_be_visible()
    expect(supervisor.get_by_text("Nothing is waiting for your review.")).to_be_visible()

    # The trainee reads the feedback; the reflection is final.
    trainee.reload()
    expect(trainee.get_by_role("heading", name="Feedback on version 1")).to_be_visible()
    expect(trainee.get_by_text("A thoughtful reflection that keeps the son in view.")).to_be_visible()
    expect(trainee.get_by_text("A vivid image; say it in fewer words.")).to_be_visible()
    trainee.screenshot(path=str(tmp_path / "accepted-phone.png"), full_page=True)
    trainee.goto(f"{live_server}/vignettes/{SLUG}")
    expect(trainee.get_by_text("This reflection is final.")).to_be_visible()
    assert trainee.locator('textarea[name="questions__text"]').count() == 0

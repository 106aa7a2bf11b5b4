"""Journey: a trainee opens the module, reads a lesson, marks it complete, takes the
final test (answering with the keyboard too) and reads the feedback, on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.content.curriculum import get_curriculum
from app.extensions import db
from app.learning.models import QuizAttempt
from tests.fixtures.browser import main_nav

pytestmark = pytest.mark.browser


def log_in(page, base: str, email: str, password: str = "stillpoint-demo") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def open_final_attempt(trainee_id: int) -> QuizAttempt:
    db.session.expire_all()
    return db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.trainee_id == trainee_id, QuizAttempt.submitted_at.is_(None))
    ).one()


def right_values(question) -> list[str]:
    if question.kind == "classify":
        return [":".join(question.answer)]
    return [str(index) for index in sorted(question.correct_options)]


def test_trainee_reads_a_lesson_and_passes_the_final_test(live_server, page, world, tmp_path):
    log_in(page, live_server, "trainee@x.test")
    main_nav(page).get_by_role("link", name="Module", exact=True).click()
    expect(page.get_by_role("heading", name="Mentalization for Balint group leaders")).to_be_visible()
    total = len(get_curriculum().lessons)
    expect(page.get_by_text(f"0 of {total} lessons completed")).to_be_visible()
    page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)

    page.get_by_role("link", name="How the session restores balance").click()
    expect(page.get_by_role("heading", level=1, name="How the session restores balance")).to_be_visible()
    figure = page.get_by_role("img", name="Mentalizing across one Balint session")
    figure.scroll_into_view_if_needed()
    expect(figure).to_be_visible()
    box = figure.bounding_box()
    assert box["width"] <= 390  # fits the phone without sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    figure.screenshot(path=str(tmp_path / "figure.png"))
    page.screenshot(path=str(tmp_path / "lesson.png"), full_page=True)

    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("Lesson marked as complete.")).to_be_visible()
    expect(page.get_by_text("You completed this lesson on")).to_be_visible()
    main_nav(page).get_by_role("link", name="Module", exact=True).click()
    expect(page.get_by_text(f"1 of {total} lessons completed")).to_be_visible()

    page.get_by_role("link", name="The final test").click()
    page.get_by_role("button", name="Start the final test").click()
    expect(page.get_by_role("heading", name="Final test")).to_be_visible()
    attempt = open_final_attempt(world.trainee.id)
    questions = get_curriculum().questions_by_id
    page.screenshot(path=str(tmp_path / "test.png"), full_page=True)

    for number, qid in enumerate(attempt.question_ids, start=1):
        for value in right_values(questions[qid]):
            control = page.locator(f'input[name="q{number}"][value="{value}"]')
            if number == 1:  # the keyboard works: focus the answer and press space
                control.focus()
                page.keyboard.press("Space")
            else:
                control.check()
            assert control.is_checked()
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_role("heading", name=re.compile(r"Your score: .*\(100%\)"))).to_be_visible()
    expect(page.get_by_text("Passed.")).to_be_visible()
    first = questions[attempt.question_ids[0]]
    expect(page.get_by_text(first.explanation)).to_be_visible()
    page.screenshot(path=str(tmp_path / "feedback.png"), full_page=True)

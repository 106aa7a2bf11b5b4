"""Journey: on a phone, a trainee reads one of the leader lessons added by issue 17
(co-leading), marks it complete, takes its knowledge check and reads the feedback."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.content.curriculum import get_curriculum
from app.extensions import db
from app.learning.models import QuizAttempt
from tests.browser.test_journey_learning import log_in, right_values
from tests.fixtures.browser import main_nav

pytestmark = pytest.mark.browser


def open_attempt(trainee_id: int) -> QuizAttempt:
    db.session.expire_all()
    return db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.trainee_id == trainee_id, QuizAttempt.submitted_at.is_(None))
    ).one()


def test_trainee_takes_the_co_leading_lesson_and_its_knowledge_check(live_server, page, world, tmp_path):
    lesson = get_curriculum().lesson("co-leading")
    total = len(get_curriculum().lessons)
    log_in(page, live_server, "trainee@x.test")
    main_nav(page).get_by_role("link", name="Module", exact=True).click()
    expect(page.get_by_text(f"0 of {total} lessons completed")).to_be_visible()

    page.get_by_role("link", name=lesson.title).click()
    expect(page.get_by_role("heading", level=1, name=lesson.title)).to_be_visible()
    expect(page.get_by_role("heading", name="Disagreeing after the session, not in it")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.screenshot(path=str(tmp_path / "lesson.png"), full_page=True)

    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("Lesson marked as complete.")).to_be_visible()

    page.get_by_role("button", name="Check your understanding").click()
    expect(page.get_by_role("heading", level=1, name=f"Knowledge check: {lesson.title}")).to_be_visible()
    attempt = open_attempt(world.trainee.id)
    questions = get_curriculum().questions_by_id
    assert sorted(attempt.question_ids) == sorted(q.id for q in lesson.questions)
    for number, qid in enumerate(attempt.question_ids, start=1):
        for value in right_values(questions[qid]):
            control = page.locator(f'input[name="q{number}"][value="{value}"]')
            control.check()
            expect(control).to_be_checked()
    page.screenshot(path=str(tmp_path / "check.png"), full_page=True)
    page.get_by_role("button", name="Submit answers").click()

    expect(page.get_by_role("heading", name=re.compile(r"Your score: .*\(100%\)"))).to_be_visible()
    first = questions[attempt.question_ids[0]]
    expect(page.get_by_text(first.explanation)).to_be_visible()
    main_nav(page).get_by_role("link", name="Module", exact=True).click()
    expect(page.get_by_text(f"1 of {total} lessons completed")).to_be_visible()

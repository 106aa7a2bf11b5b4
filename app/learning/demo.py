"""Demo data of the learning feature, loaded by ``flask demo`` after people and enrolments exist.

Trainees at different points in the module, made through the same services the
pages use; dates are moved into the past afterwards so the history looks lived-in.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.content.curriculum import DIMENSIONS, Question, get_curriculum
from app.database import utcnow
from app.extensions import db
from app.learning import quizzes, services
from app.learning.models import LessonCompletion, QuizKind
from app.learning.scoring import Answer

#: Every lesson of the module, however many it has (the module grows; the plans should not).
ALL = None

# e-mail -> (lessons completed, lesson checks taken, final attempts as share of right answers)
PLANS = {
    "trainee@demo.test": (7, 3, [0.9]),
    "trainee2@demo.test": (1, 0, []),
    "trainee3@demo.test": (5, 2, [0.55]),
    "trainee4@demo.test": (ALL, ALL, [0.7, 0.95]),
}


def load(users: dict, associations: dict) -> None:
    """``users`` maps demo e-mail to User, ``associations`` maps slug to Association."""
    association = associations["demo"]
    curriculum = get_curriculum()
    for email, (lessons_done, checks, finals) in PLANS.items():
        trainee = users[email]
        started = db.session.scalar(
            select(LessonCompletion.id).where(
                LessonCompletion.association_id == association.id, LessonCompletion.trainee_id == trainee.id
            )
        )
        if started:
            continue
        lessons_done = len(curriculum.lessons) if lessons_done is ALL else lessons_done
        checks = len(curriculum.lessons) if checks is ALL else checks
        days_ago = max(40, 3 * lessons_done + 4 * len(finals) + 5)  # every date stays in the past
        for lesson in curriculum.lessons[:lessons_done]:
            completion = services.complete_lesson(trainee, association.id, lesson.slug)
            completion.completed_at = utcnow() - timedelta(days=days_ago)
            if lesson.position <= checks:
                _take(trainee, association.id, QuizKind.LESSON, lesson.slug, 0.8, days_ago)
            days_ago -= 3
        for share in finals:
            _take(trainee, association.id, QuizKind.FINAL, None, share, days_ago)
            days_ago -= 4
    db.session.flush()


def _take(
    trainee, association_id: int, kind: QuizKind, slug: str | None, share: float, days_ago: int
) -> None:
    """Start and submit an attempt with about ``share`` of the answers right."""
    when = utcnow() - timedelta(days=days_ago)
    attempt = quizzes.start_attempt(trainee, association_id, kind, slug, now=when)
    attempt.started_at = when - timedelta(minutes=25)
    questions = get_curriculum().questions_by_id
    right = round(share * len(attempt.question_ids))
    answers = {
        qid: _answer(questions[qid], is_right=index < right) for index, qid in enumerate(attempt.question_ids)
    }
    quizzes.submit_attempt(trainee, association_id, attempt.id, answers, now=when)


def _answer(question: Question, *, is_right: bool) -> Answer:
    if question.kind == "classify":
        dimension, pole = question.answer
        if not is_right:
            dimension = next(other for other in DIMENSIONS if other != dimension)
            pole = DIMENSIONS[dimension][0]
        return Answer(dimension=dimension, pole=pole)
    if is_right:
        return Answer(options=question.correct_options)
    wrong = next(index for index, option in enumerate(question.options) if not option.is_correct)
    return Answer(options=frozenset({wrong}))

"""Knowledge checks and the final test: drawing questions, attempts, answers and scores.

An attempt opens with its questions drawn and their options shuffled, both stored, so
a reload shows the same test and review shows the options in the order the trainee
saw them; submitting scores it with app.learning.scoring and stores everything with the
content versions and the pass mark it was judged by.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.accounts.models import User
from app.audit.services import record
from app.content.curriculum import DIMENSIONS, Curriculum, Question, get_curriculum
from app.database import utcnow
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.learning.models import QuizAttempt, QuizKind
from app.learning.scoring import Answer, is_pass, score_percent, score_question
from app.learning.services import extra_final_attempts, get_lesson, pass_mark_for, retake_status

_system_random = random.SystemRandom()


def draw_final_questions(curriculum: Curriculum, rng: random.Random = _system_random) -> list[str]:
    """``final_test.questions`` ids at random, spread evenly over the lessons, then shuffled."""
    pools = [rng.sample(lesson.questions, len(lesson.questions)) for lesson in curriculum.lessons]
    rng.shuffle(pools)
    drawn: list[Question] = []
    while len(drawn) < curriculum.final_test_questions and any(pools):
        for pool in pools:
            if pool and len(drawn) < curriculum.final_test_questions:
                drawn.append(pool.pop())
    rng.shuffle(drawn)
    return [question.id for question in drawn]


def start_attempt(
    actor: User,
    association_id: int,
    kind: str,
    lesson_slug: str | None = None,
    *,
    now: datetime | None = None,
) -> QuizAttempt:
    """Open an attempt (or return the one already open) with its questions drawn and fixed."""
    policy.require_take_module(actor, association_id)
    now = now or utcnow()
    curriculum = get_curriculum()
    if kind == QuizKind.LESSON:
        lesson = get_lesson(actor, association_id, lesson_slug or "")
        question_ids = [question.id for question in lesson.questions]
    elif kind == QuizKind.FINAL:
        lesson_slug, question_ids = None, []
    else:
        raise NotFound(_("There is no such test."))
    attempts = list(
        db.session.scalars(
            select(QuizAttempt).where(
                QuizAttempt.association_id == association_id,
                QuizAttempt.trainee_id == actor.id,
                QuizAttempt.kind == kind,
                QuizAttempt.lesson_slug.is_(None)
                if lesson_slug is None
                else QuizAttempt.lesson_slug == lesson_slug,
            )
        )
    )
    open_attempt = next((attempt for attempt in attempts if attempt.is_open), None)
    if open_attempt is not None:
        if any(qid not in curriculum.questions_by_id for qid in open_attempt.question_ids):
            # Content changed under an unanswered attempt: draw again rather than show gaps.
            open_attempt.question_ids = question_ids or draw_final_questions(curriculum)
        record_option_order(open_attempt, curriculum)
        return open_attempt
    extra = extra_final_attempts(actor.id, association_id) if kind == QuizKind.FINAL else 0
    status = retake_status(curriculum, kind, [a for a in attempts if not a.is_open], now, extra=extra)
    if not status.is_allowed:
        raise InvalidState(status.message)
    attempt = QuizAttempt(
        association_id=association_id,
        trainee_id=actor.id,
        kind=str(kind),
        lesson_slug=lesson_slug,
        question_ids=question_ids or draw_final_questions(curriculum),
        pass_mark=pass_mark_for(actor.id, association_id, curriculum),
        started_at=now,
    )
    db.session.add(attempt)
    db.session.flush()  # the id seeds the option order
    record_option_order(attempt, curriculum, is_new=True)
    record("quiz.started", attempt, actor=actor, kind=str(kind), lesson=lesson_slug)
    return attempt


def get_attempt(actor: User, association_id: int, attempt_id: int) -> QuizAttempt:
    """One of the actor's own attempts; anyone else's reads as not found."""
    policy.require_take_module(actor, association_id)
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.association_id != association_id or attempt.trainee_id != actor.id:
        raise NotFound(_("There is no such attempt."))
    return attempt


def submit_attempt(
    actor: User,
    association_id: int,
    attempt_id: int,
    answers: dict[str, Answer],
    *,
    now: datetime | None = None,
) -> QuizAttempt:
    """Score and store an open attempt. Every question needs an answer."""
    attempt = get_attempt(actor, association_id, attempt_id)
    if not attempt.is_open:
        raise InvalidState(_("These answers were already submitted."))
    curriculum = get_curriculum()
    questions = [
        curriculum.questions_by_id[qid] for qid in attempt.question_ids if qid in curriculum.questions_by_id
    ]
    missing = {q.id: [_("Choose an answer.")] for q in questions if not _is_complete(q, answers.get(q.id))}
    if missing:
        raise ValidationError(
            _("Please answer every question (%(n)d left).", n=len(missing)),
            fields=missing,
        )
    record_option_order(attempt, curriculum)  # as shown on the page answered, for review
    points = {q.id: score_question(q, answers[q.id]) for q in questions}
    percent = score_percent(points.values())
    attempt.question_ids = [q.id for q in questions]
    attempt.answers = {qid: {**answers[qid].to_json(), "points": float(points[qid])} for qid in points}
    attempt.question_versions = {q.id: q.version for q in questions}
    attempt.score_percent = round(float(percent), 1)
    attempt.is_passed = is_pass(percent, attempt.pass_mark)
    attempt.submitted_at = now or utcnow()
    record(
        "quiz.submitted",
        attempt,
        actor=actor,
        kind=attempt.kind,
        lesson=attempt.lesson_slug,
        score=attempt.score_percent,
        passed=attempt.is_passed,
    )
    return attempt


def _is_complete(question: Question, answer: Answer | None) -> bool:
    """Answered, and only with values that exist for this question."""
    if answer is None:
        return False
    if question.kind == "classify":
        return answer.dimension in DIMENSIONS and answer.pole in DIMENSIONS[answer.dimension]
    valid = set(range(len(question.options)))
    if not answer.options or not answer.options <= valid:
        return False
    return question.kind == "multiple" or len(answer.options) == 1


@dataclass(frozen=True)
class ShownOption:
    """One option as the trainee saw it: its index in the content file (what answers store)."""

    index: int
    text: str
    is_correct: bool


@dataclass(frozen=True)
class PresentedQuestion:
    """A question as one attempt shows it: its number, form field name and options in order."""

    number: int
    question: Question
    options: tuple[ShownOption, ...]  # empty for classify items

    @property
    def field_name(self) -> str:
        return f"q{self.number}"

    @property
    def order(self) -> tuple[int, ...]:
        """Content indices of the options, in display order."""
        return tuple(option.index for option in self.options)


def presented_questions(attempt: QuizAttempt, curriculum: Curriculum) -> list[PresentedQuestion]:
    """The attempt's questions that still exist in the content, numbered, options as shown.

    A submitted attempt shows the options it recorded, so review shows what the trainee
    saw even after the content was edited. An open attempt uses its recorded order
    while that still matches the content.
    """
    questions = [curriculum.questions_by_id.get(qid) for qid in attempt.question_ids]
    present = [question for question in questions if question is not None]
    recorded = attempt.presented_options or {}
    return [
        PresentedQuestion(number, question, _shown_options(attempt, question, recorded.get(question.id)))
        for number, question in enumerate(present, start=1)
    ]


def _shown_options(
    attempt: QuizAttempt, question: Question, recorded: list | None
) -> tuple[ShownOption, ...]:
    if question.kind == "classify":
        return ()
    if recorded:
        shown = tuple(ShownOption(item["index"], item["text"], item["correct"]) for item in recorded)
        if not attempt.is_open or _matches_content(shown, question):
            return shown
    return _in_order(question, legacy_option_order(attempt, question))


def _in_order(question: Question, order: list[int]) -> tuple[ShownOption, ...]:
    return tuple(ShownOption(i, question.options[i].text, question.options[i].is_correct) for i in order)


def _matches_content(shown: tuple[ShownOption, ...], question: Question) -> bool:
    return sorted((o.index, o.text) for o in shown) == [(i, o.text) for i, o in enumerate(question.options)]


def record_option_order(attempt: QuizAttempt, curriculum: Curriculum, *, is_new: bool = False) -> None:
    """Store, with the attempt, the order its choice questions' options are shown in.

    A new attempt shuffles every question. Later calls keep the recorded order, and
    shuffle again only a question whose options were edited under the open attempt (or
    that is new to it); attempts from before orders were recorded keep the seeded order
    they were shown in. The order is random per attempt but reproducible from the attempt
    id and the app's secret, so tests are deterministic and trainees cannot work it out.
    """
    had_record = attempt.presented_options is not None
    recorded = dict(attempt.presented_options or {})
    for item in presented_questions(attempt, curriculum):
        question = item.question
        if question.kind == "classify":
            continue
        previous = recorded.get(question.id)
        is_stale = previous is not None and not _matches_content(
            tuple(ShownOption(o["index"], o["text"], o["correct"]) for o in previous), question
        )
        options = item.options
        if is_new or is_stale or (previous is None and had_record):
            order = list(range(len(question.options)))
            _attempt_random(attempt, question).shuffle(order)
            options = _in_order(question, order)
        recorded[question.id] = [
            {"index": option.index, "text": option.text, "correct": option.is_correct} for option in options
        ]
    attempt.presented_options = recorded


def _attempt_random(attempt: QuizAttempt, question: Question) -> random.Random:
    secret = current_app.config["SECRET_KEY"]
    return random.Random(f"{secret}:{attempt.id}:{question.id}")  # noqa: S311  (layout, not security)


def legacy_option_order(attempt: QuizAttempt, question: Question) -> list[int]:
    """The order attempts started before orders were recorded were shown in (seeded by ids).

    Content authors list the correct option first; without shuffling the answer would
    always be the top one.
    """
    order = list(range(len(question.options)))
    random.Random(f"{attempt.id}:{question.id}").shuffle(order)  # noqa: S311  (layout, not security)
    return order

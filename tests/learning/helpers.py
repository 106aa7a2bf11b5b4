"""Helpers for learning tests: answers that score as wanted, and a query counter."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from app.content.curriculum import DIMENSIONS, Question, get_curriculum
from app.extensions import db
from app.learning.scoring import Answer


def answer(question: Question, *, is_right: bool) -> Answer:
    """A complete answer, fully right or fully wrong."""
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


def answers(question_ids: list[str], right: int | None = None) -> dict[str, Answer]:
    """Answers to ``question_ids``: the first ``right`` of them right (all by default), the rest wrong."""
    questions = get_curriculum().questions_by_id
    right = len(question_ids) if right is None else right
    return {qid: answer(questions[qid], is_right=index < right) for index, qid in enumerate(question_ids)}


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Every SQL statement run on the app's engine inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

"""Best final-test scores for many trainees at once, for the requirement engine."""

from __future__ import annotations

from sqlalchemy import func, select, tuple_

from app.extensions import db
from app.learning.models import QuizAttempt


def best_final_scores(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """(trainee id, association id) -> best submitted final-test score, in one query."""
    if not pairs:
        return {}
    query = (
        select(QuizAttempt.trainee_id, QuizAttempt.association_id, func.max(QuizAttempt.score_percent))
        .where(
            QuizAttempt.kind == "final",
            QuizAttempt.score_percent.is_not(None),
            tuple_(QuizAttempt.trainee_id, QuizAttempt.association_id).in_(list(pairs)),
        )
        .group_by(QuizAttempt.trainee_id, QuizAttempt.association_id)
    )
    return {(trainee, association): float(score) for trainee, association, score in db.session.execute(query)}

"""Module progress of many trainees at once, for supervisors and admins.

Computed with set-based queries: one page of trainees, then one grouped query for
lesson completions and one for attempts, whatever the number of trainees or attempts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, select

from app import policy
from app import search as text_search
from app.accounts.models import Membership, Role, User
from app.content.curriculum import get_curriculum
from app.extensions import db
from app.learning.models import LessonCompletion, QuizAttempt, QuizKind
from app.pagination import Page, paginate
from app.programmes.models import Enrolment, enrolment_supervisor


@dataclass(frozen=True)
class ModuleResult:
    """One trainee's standing in the module, as supervisors and the requirements see it."""

    lessons_done: int
    lessons_total: int
    final_attempts: int
    check_attempts: int
    best_final_score: float | None
    is_passed: bool
    last_activity_at: datetime | None
    final_questions: int = 0  # questions in a final test, to show the best score as points of them


@dataclass(frozen=True)
class TraineeProgress:
    trainee: User
    result: ModuleResult


def module_results(association_id: int, trainee_ids: list[int]) -> dict[int, ModuleResult]:
    """Each trainee's module result in two grouped queries (no permission check: callers do it)."""
    curriculum = get_curriculum()
    slugs = [lesson.slug for lesson in curriculum.lessons]
    results = {trainee_id: ModuleResult(0, len(slugs), 0, 0, None, False, None) for trainee_id in trainee_ids}
    if not trainee_ids:
        return results
    done: dict[int, tuple[int, datetime | None]] = {
        trainee_id: (count, latest)
        for trainee_id, count, latest in db.session.execute(
            select(
                LessonCompletion.trainee_id,
                func.count(LessonCompletion.id),
                func.max(LessonCompletion.completed_at),
            )
            .where(
                LessonCompletion.association_id == association_id,
                LessonCompletion.trainee_id.in_(trainee_ids),
                LessonCompletion.lesson_slug.in_(slugs),
            )
            .group_by(LessonCompletion.trainee_id)
        )
    }
    is_final = QuizAttempt.kind == QuizKind.FINAL.value
    rows = db.session.execute(
        select(
            QuizAttempt.trainee_id,
            func.sum(case((is_final, 1), else_=0)),
            func.sum(case((is_final, 0), else_=1)),
            func.max(case((is_final, QuizAttempt.score_percent), else_=None)),
            func.max(case((is_final & QuizAttempt.is_passed.is_(True), 1), else_=0)),
            func.max(QuizAttempt.submitted_at),
        )
        .where(
            QuizAttempt.association_id == association_id,
            QuizAttempt.trainee_id.in_(trainee_ids),
            QuizAttempt.submitted_at.is_not(None),
        )
        .group_by(QuizAttempt.trainee_id)
    )
    attempts = {row[0]: row[1:] for row in rows}
    for trainee_id in trainee_ids:
        lessons_done, completed_at = done.get(trainee_id, (0, None))
        finals, checks, best, passed, submitted_at = attempts.get(trainee_id, (0, 0, None, 0, None))
        moments = [moment for moment in (completed_at, submitted_at) if moment is not None]
        results[trainee_id] = ModuleResult(
            lessons_done=lessons_done,
            lessons_total=len(slugs),
            final_attempts=int(finals or 0),
            check_attempts=int(checks or 0),
            best_final_score=float(best) if best is not None else None,
            is_passed=bool(passed),
            last_activity_at=_aware(max(moments)) if moments else None,
            final_questions=get_curriculum().final_test_questions,
        )
    return results


def _aware(moment: datetime) -> datetime:
    """Aggregates skip the column type, so SQLite hands back naive UTC (or a string)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def progress_of_trainees(actor: User, association_id: int, *, search: str = "", page: int = 1) -> Page:
    """A page of trainees with their module progress.

    Admins see every trainee of the association; a supervisor sees the trainees
    assigned to them on any enrolment.
    """
    policy.require_see_module_progress(actor, association_id)
    if policy.is_admin(actor, association_id):
        trainee_ids = select(Membership.user_id).where(
            Membership.association_id == association_id,
            Membership.role == Role.TRAINEE.value,
            Membership.is_active.is_(True),
        )
    else:
        trainee_ids = (
            select(Enrolment.trainee_id)
            .join(enrolment_supervisor, enrolment_supervisor.c.enrolment_id == Enrolment.id)
            .where(
                Enrolment.association_id == association_id, enrolment_supervisor.c.supervisor_id == actor.id
            )
        )
    query = select(User).where(User.id.in_(trainee_ids))
    if search.strip():
        query = query.where(text_search.matches(search, User.name, User.email))
    result = paginate(query.order_by(func.lower(User.name), User.id), page=page)
    results = module_results(association_id, [user.id for user in result.items])
    items = [TraineeProgress(user, results[user.id]) for user in result.items]
    return Page(items=items, page=result.page, per_page=result.per_page, total=result.total)

"""A trainee's way through the module: lessons read, progress, pass mark and retake policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, literal, select
from sqlalchemy.exc import IntegrityError

from app import formatting, policy, summaries
from app.accounts.models import User
from app.audit.services import record
from app.content.curriculum import Briefing, Curriculum, Lesson, get_curriculum
from app.database import utcnow
from app.errors import NotFound
from app.extensions import db
from app.learning.models import ExtraAttempts, LessonCompletion, QuizAttempt, QuizKind
from app.programmes.models import Enrolment, EnrolmentStatus, Programme

# --- reading the state ----------------------------------------------------------------


@dataclass(frozen=True)
class RetakeStatus:
    """Whether another attempt at one check may start now, and if not, why and until when."""

    is_allowed: bool
    attempts_used: int
    max_attempts: int
    message: str = ""
    available_at: datetime | None = None


@dataclass(frozen=True)
class LessonState:
    lesson: Lesson
    completion: LessonCompletion | None
    check_attempts: tuple[QuizAttempt, ...]  # submitted, newest first
    check_retake: RetakeStatus

    @property
    def is_completed(self) -> bool:
        return self.completion is not None

    @property
    def is_updated_since_completed(self) -> bool:
        """Completed against an older version of the lesson file (still counts as done)."""
        return self.completion is not None and self.completion.content_version != self.lesson.version

    @property
    def best_check_score(self) -> float | None:
        return max((attempt.score_percent for attempt in self.check_attempts), default=None)

    @property
    def best_check_attempt(self) -> QuizAttempt | None:
        return max(self.check_attempts, key=lambda attempt: attempt.score_percent or 0, default=None)


@dataclass(frozen=True)
class ModuleProgress:
    curriculum: Curriculum
    lessons: tuple[LessonState, ...]
    final_attempts: tuple[QuizAttempt, ...]  # submitted, newest first
    open_final: QuizAttempt | None
    open_checks: dict[str, QuizAttempt]  # lesson slug -> open attempt
    pass_mark: int
    final_retake: RetakeStatus

    @property
    def completed_count(self) -> int:
        return sum(state.is_completed for state in self.lessons)

    @property
    def best_final_score(self) -> float | None:
        return max((attempt.score_percent for attempt in self.final_attempts), default=None)

    @property
    def best_final_attempt(self) -> QuizAttempt | None:
        return max(self.final_attempts, key=lambda attempt: attempt.score_percent or 0, default=None)

    @property
    def is_passed(self) -> bool:
        return any(attempt.is_passed for attempt in self.final_attempts)

    @property
    def next_lesson(self) -> Lesson | None:
        return next((state.lesson for state in self.lessons if not state.is_completed), None)

    def state_of(self, slug: str) -> LessonState:
        return next(state for state in self.lessons if state.lesson.slug == slug)


def pass_mark_for(trainee_id: int, association_id: int, curriculum: Curriculum) -> int:
    """The final test's pass mark: the strictest programme the trainee is actively on.

    Taking the highest mark means one pass satisfies every programme they follow; a
    trainee on no programme gets the module's default.
    """
    mark = summaries.read(pass_mark_numbers(trainee_id, association_id)).get("mark")
    return int(mark) if mark is not None else curriculum.pass_mark


def pass_mark_numbers(trainee_id: int, association_id: int) -> summaries.Numbers:
    """The strictest pass mark of the trainee's active programmes (NULL when none sets one)."""
    return summaries.Numbers(
        f"module_pass_mark:{trainee_id}:{association_id}",
        select(literal("mark"), func.max(Programme.module_pass_mark))
        .join(Enrolment, Enrolment.programme_id == Programme.id)
        .where(
            Enrolment.trainee_id == trainee_id,
            Enrolment.association_id == association_id,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        ),
    )


def retake_status(
    curriculum: Curriculum, kind: str, submitted: list[QuizAttempt], now: datetime, *, extra: int = 0
) -> RetakeStatus:
    """Apply module.yaml's policy: at most ``max_attempts`` per check (plus ``extra``
    granted by a supervisor or admin), and for the final test a cooldown of
    ``cooldown_hours`` after a failed attempt. A passed final test is not taken again."""
    used, limit = len(submitted), curriculum.max_attempts + extra

    def refuse(message: str, available_at: datetime | None = None) -> RetakeStatus:
        return RetakeStatus(False, used, limit, message, available_at)

    if kind == QuizKind.FINAL and any(attempt.is_passed for attempt in submitted):
        return refuse(_("You have passed the final test; there is no need to take it again."))
    if used >= limit:
        return refuse(
            _("You have used all %(n)d attempts at this test. Please talk to your supervisor.", n=limit)
        )
    if kind == QuizKind.FINAL and submitted and curriculum.cooldown_hours:
        last = max(submitted, key=lambda attempt: attempt.submitted_at)
        available_at = last.submitted_at + timedelta(hours=curriculum.cooldown_hours)
        if now < available_at:
            return refuse(
                _(
                    "After a test that did not pass, wait %(hours)d hours before the next attempt. "
                    "You can take it again from %(when)s.",
                    hours=curriculum.cooldown_hours,
                    when=formatting.datetime(available_at),
                ),
                available_at,
            )
    return RetakeStatus(True, used, limit)


def module_progress(actor: User, association_id: int, *, now: datetime | None = None) -> ModuleProgress:
    """Everything the overview and lesson pages show, in three queries."""
    policy.require_take_module(actor, association_id)
    now = now or utcnow()
    curriculum = get_curriculum()
    completions = {
        completion.lesson_slug: completion
        for completion in db.session.scalars(
            select(LessonCompletion).where(
                LessonCompletion.association_id == association_id, LessonCompletion.trainee_id == actor.id
            )
        )
    }
    attempts = list(
        db.session.scalars(
            select(QuizAttempt)
            .where(QuizAttempt.association_id == association_id, QuizAttempt.trainee_id == actor.id)
            .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
        )
    )
    submitted = [attempt for attempt in attempts if not attempt.is_open]
    states = []
    for lesson in curriculum.lessons:
        checks = [a for a in submitted if a.kind == QuizKind.LESSON and a.lesson_slug == lesson.slug]
        states.append(
            LessonState(
                lesson,
                completions.get(lesson.slug),
                tuple(checks),
                retake_status(curriculum, QuizKind.LESSON, checks, now),
            )
        )
    finals = [attempt for attempt in submitted if attempt.kind == QuizKind.FINAL]
    open_attempts = [attempt for attempt in attempts if attempt.is_open]
    return ModuleProgress(
        curriculum=curriculum,
        lessons=tuple(states),
        final_attempts=tuple(finals),
        open_final=next((a for a in open_attempts if a.kind == QuizKind.FINAL), None),
        open_checks={a.lesson_slug: a for a in open_attempts if a.kind == QuizKind.LESSON},
        pass_mark=pass_mark_for(actor.id, association_id, curriculum),
        final_retake=retake_status(
            curriculum, QuizKind.FINAL, finals, now, extra=extra_final_attempts(actor.id, association_id)
        ),
    )


def extra_final_attempts(trainee_id: int, association_id: int) -> int:
    """Attempts at the final test granted to the trainee beyond the module's policy."""
    granted = summaries.read(extra_attempts_numbers(trainee_id, association_id)).get("granted")
    return int(granted or 0)


def extra_attempts_numbers(trainee_id: int, association_id: int) -> summaries.Numbers:
    return summaries.Numbers(
        f"extra_final_attempts:{trainee_id}:{association_id}",
        select(literal("granted"), func.coalesce(func.sum(ExtraAttempts.attempts), 0)).where(
            ExtraAttempts.association_id == association_id, ExtraAttempts.trainee_id == trainee_id
        ),
    )


def best_final_numbers(trainee_id: int, association_id: int) -> summaries.Numbers:
    """The trainee's best submitted final-test score here (NULL before any)."""
    return summaries.Numbers(
        f"best_final_score:{trainee_id}:{association_id}",
        select(literal("best"), func.max(QuizAttempt.score_percent)).where(
            QuizAttempt.association_id == association_id,
            QuizAttempt.trainee_id == trainee_id,
            QuizAttempt.kind == QuizKind.FINAL.value,
            QuizAttempt.score_percent.is_not(None),
        ),
    )


def get_lesson(actor: User, association_id: int, slug: str) -> Lesson:
    policy.require_take_module(actor, association_id)
    lesson = get_curriculum().lesson(slug)
    if lesson is None:
        raise NotFound(_("There is no such lesson."))
    return lesson


# --- changing it ------------------------------------------------------------------------


def complete_lesson(actor: User, association_id: int, slug: str) -> LessonCompletion:
    """Mark a lesson as read, against its current version. Marking again after the
    lesson changed records the new version; nothing is ever deleted."""
    lesson = get_lesson(actor, association_id, slug)
    completion = _completion(actor.id, association_id, slug)
    if completion is not None and completion.content_version == lesson.version:
        return completion
    if completion is None:
        completion = LessonCompletion(
            association_id=association_id,
            trainee_id=actor.id,
            lesson_slug=slug,
            content_version=lesson.version,
        )
        try:
            with db.session.begin_nested():
                db.session.add(completion)
        except IntegrityError:  # the same form submitted twice at once: keep the first
            return _completion(actor.id, association_id, slug)
    else:
        completion.content_version = lesson.version
        completion.completed_at = utcnow()
    db.session.flush()
    record("lesson.completed", completion, actor=actor, lesson=slug, version=lesson.version)
    return completion


def _completion(trainee_id: int, association_id: int, slug: str) -> LessonCompletion | None:
    return db.session.scalar(
        select(LessonCompletion).where(
            LessonCompletion.association_id == association_id,
            LessonCompletion.trainee_id == trainee_id,
            LessonCompletion.lesson_slug == slug,
        )
    )


def get_briefing(actor: User, association_id: int) -> Briefing:
    """The one-page session briefing, for every member of the association."""
    policy.require_member(actor, association_id)
    return get_curriculum().briefing

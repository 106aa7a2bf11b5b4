"""The supervisor's side of the reflection workflow: the queue, feedback and the decision.

Only a supervisor assigned to the trainee's enrolment reviews, and never their own
reflection (a person may be a supervisor and a trainee in the same association).
A decision is final; a revision request starts the next version as a draft that
copies the answers, so the trainee continues where they were.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import policy, summaries
from app.accounts.models import Membership, Role, User
from app.audit.services import record
from app.database import utcnow
from app.errors import InvalidState, ValidationError
from app.extensions import db
from app.notifications.services import link_to, notify
from app.pagination import Page, paginate
from app.privacy.guard import guard_free_text
from app.programmes.models import enrolment_supervisor
from app.vignettes.answers import field_name
from app.vignettes.content import library
from app.vignettes.models import Decision, Reflection, ReflectionFeedback, ReflectionStatus
from app.vignettes.services import ReflectionView, load_reflection, versions_of

MAX_COMMENT_LENGTH = 10_000


def _assigned_to(supervisor: User, association_id: int):
    """Reflections of this association whose enrolment the supervisor is assigned to."""
    return (
        select(Reflection)
        .join(enrolment_supervisor, enrolment_supervisor.c.enrolment_id == Reflection.enrolment_id)
        .where(
            Reflection.association_id == association_id,
            enrolment_supervisor.c.supervisor_id == supervisor.id,
            Reflection.trainee_id != supervisor.id,
        )
    )


def _waiting(actor: User, association_id: int):
    return _assigned_to(actor, association_id).where(Reflection.status == ReflectionStatus.SUBMITTED.value)


def review_queue_query(actor: User, association_id: int):
    """Submitted reflections of the supervisor's trainees, as a query each caller orders."""
    policy.require_supervisor(actor, association_id)
    return _waiting(actor, association_id)


def review_queue(actor: User, association_id: int, *, page: int = 1) -> Page:
    """Submitted reflections of the supervisor's trainees, the longest waiting first."""
    query = (
        review_queue_query(actor, association_id)
        .options(selectinload(Reflection.trainee))
        .order_by(Reflection.submitted_at, Reflection.id)
    )
    return paginate(query, page=page)


def waiting_count(actor: User, association_id: int) -> int:
    """How many reflections the review queue lists: one query, for the home page and reminders."""
    waiting = _waiting(actor, association_id).subquery()
    return db.session.scalar(select(func.count()).select_from(waiting)) or 0


def get_for_review(actor: User, association_id: int, reflection_id: int) -> ReflectionView:
    """The reflection with its history, for a supervisor assigned to its trainee."""
    reflection = load_reflection(actor, association_id, reflection_id)
    policy.require_reviewer_of(actor, reflection)
    return ReflectionView(
        reflection,
        library().get(reflection.vignette_slug),
        versions_of(reflection.enrolment_id, reflection.vignette_slug),
    )


def review_reflection(
    actor: User,
    association_id: int,
    reflection_id: int,
    *,
    decision: str,
    overall_comment: str,
    exercise_comments: dict[str, str],
    is_confirmed: bool = False,
) -> ReflectionFeedback:
    """Give feedback and accept, or request a revision (which opens the next version)."""
    reflection = load_reflection(actor, association_id, reflection_id, for_update=True)
    policy.require_reviewer_of(actor, reflection)
    if reflection.status != ReflectionStatus.SUBMITTED.value:
        raise InvalidState(_("This reflection has already been reviewed."))
    if decision not in {item.value for item in Decision}:
        raise ValidationError(_("Choose to accept or to request a revision."))
    vignette = library().get(reflection.vignette_slug)
    exercise_ids = [exercise.id for exercise in vignette.exercises] if vignette else list(reflection.answers)
    comments = {
        exercise_id: text.strip()
        for exercise_id, text in exercise_comments.items()
        if exercise_id in exercise_ids and text and text.strip()
    }
    overall = (overall_comment or "").strip()
    too_long = {
        name: [_("Please keep this under %(n)d characters.", n=MAX_COMMENT_LENGTH)]
        for name, text in [("overall_comment", overall)]
        + [(field_name(key, "comment"), value) for key, value in comments.items()]
        if len(text) > MAX_COMMENT_LENGTH
    }
    if too_long:
        raise ValidationError(_("Some comments are too long."), fields=too_long)
    if decision == Decision.REVISION_REQUESTED.value and not overall:
        raise ValidationError(
            _("Please say what the trainee should revise."),
            fields={"overall_comment": [_("Say what the trainee should revise.")]},
        )
    guard_free_text(
        {"overall_comment": overall} | {field_name(key, "comment"): value for key, value in comments.items()},
        is_confirmed=is_confirmed,
        actor=actor,
        obj=reflection,
        association_id=association_id,
    )
    now = utcnow()
    feedback = ReflectionFeedback(
        reflection=reflection,
        author_id=actor.id,
        overall_comment=overall,
        exercise_comments=comments,
        decision=decision,
        created_at=now,
    )
    db.session.add(feedback)
    reflection.status = decision
    reflection.reviewed_at = now
    reflection.reviewer_id = actor.id
    if decision == Decision.REVISION_REQUESTED.value:
        db.session.add(
            Reflection(
                association_id=reflection.association_id,
                enrolment_id=reflection.enrolment_id,
                trainee_id=reflection.trainee_id,
                vignette_slug=reflection.vignette_slug,
                content_version=vignette.version if vignette else reflection.content_version,
                version=reflection.version + 1,
                previous_id=reflection.id,
                answers=dict(reflection.answers),
                option_order=dict(reflection.option_order or {}),
                created_at=now,
                updated_at=now,
            )
        )
    db.session.flush()
    record(
        f"reflection.{decision}",
        reflection,
        actor=actor,
        vignette=reflection.vignette_slug,
        version=reflection.version,
    )
    _tell_trainee(reflection, decision, vignette.title if vignette else reflection.vignette_slug)
    return feedback


def _tell_trainee(reflection: Reflection, decision: str, title: str) -> None:
    """In the app and by e-mail, with a link to where the feedback can be read."""
    if decision == Decision.ACCEPTED.value:
        subject = _("Your reflection on \u201c%(title)s\u201d was accepted", title=title)
        message = _(
            "Your reflection on \u201c%(title)s\u201d was accepted. Read your supervisor's feedback.",
            title=title,
        )
        link = link_to("vignettes.reflection", reflection_id=reflection.id)
    else:
        subject = _("Please revise your reflection on \u201c%(title)s\u201d", title=title)
        message = _(
            "Your supervisor asks you to revise your reflection on \u201c%(title)s\u201d. "
            "A new version with your answers and the feedback is ready.",
            title=title,
        )
        link = link_to("vignettes.vignette", slug=reflection.vignette_slug)
    notify(reflection.trainee_id, reflection.association_id, message, link, email_subject=subject)


# --- the admin's overview ------------------------------------------------------------------


@dataclass(frozen=True)
class TraineeCounts:
    trainee: User
    drafts: int
    waiting: int
    accepted: int


def overview(actor: User, association_id: int, *, page: int = 1) -> tuple[Page, list[TraineeCounts]]:
    """Per trainee, how many reflections are drafts, waiting or accepted: two queries and a count."""
    policy.require_admin(actor, association_id)
    trainees = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.role == Role.TRAINEE.value,
            Membership.is_active.is_(True),
        )
        .order_by(func.lower(User.name), User.id)
    )
    result = paginate(trainees, page=page)
    counts = {user.id: {} for user in result.items}
    if counts:
        for trainee_id, status, number in db.session.execute(
            select(Reflection.trainee_id, Reflection.status, func.count())
            .where(Reflection.association_id == association_id, Reflection.trainee_id.in_(counts))
            .group_by(Reflection.trainee_id, Reflection.status)
        ):
            counts[trainee_id][status] = number
    rows = [
        TraineeCounts(
            user,
            counts[user.id].get(ReflectionStatus.DRAFT.value, 0),
            counts[user.id].get(ReflectionStatus.SUBMITTED.value, 0),
            counts[user.id].get(ReflectionStatus.ACCEPTED.value, 0),
        )
        for user in result.items
    ]
    return result, rows


def trainee_summary_numbers(actor: User, association_id: int) -> summaries.Numbers:
    """The trainee's reflections by status, as numbers the home page fetches with its others."""
    return summaries.Numbers(
        f"reflections_by_status:{actor.id}:{association_id}",
        select(Reflection.status, func.count())
        .where(
            Reflection.trainee_id == actor.id,
            Reflection.association_id == association_id,
            Reflection.status != ReflectionStatus.REVISION_REQUESTED.value,  # superseded versions
        )
        .group_by(Reflection.status),
    )


def trainee_summary(actor: User, association_id: int) -> dict[str, int]:
    """The trainee's reflections by status, for their home page: one query at most."""
    return {
        status: int(count)
        for status, count in summaries.read(trainee_summary_numbers(actor, association_id)).items()
    }

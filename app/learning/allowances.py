"""More attempts at the final test, granted by a trainee's supervisor or an admin.

The module's retake policy (``curriculum/module.yaml``) caps the attempts at the final
test. A trainee who used them all without passing would otherwise be stuck for good,
and the page tells them to talk to their supervisor; this is what the supervisor can
then do. Each grant names a reason, is kept as a row and in the audit trail, and tells
the trainee.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import exists, select

from app import policy
from app.accounts.models import User
from app.audit.services import record
from app.content.curriculum import get_curriculum
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.learning.models import ExtraAttempts, QuizAttempt, QuizKind
from app.learning.services import extra_final_attempts
from app.notifications.services import link_to, notify
from app.privacy.guard import guard_free_text
from app.programmes.models import Enrolment, enrolment_supervisor

MAX_PER_GRANT = 3


def _supervises(actor: User, association_id: int, trainee_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Enrolment.association_id == association_id,
                    Enrolment.trainee_id == trainee_id,
                    enrolment_supervisor.c.enrolment_id == Enrolment.id,
                    enrolment_supervisor.c.supervisor_id == actor.id,
                )
            )
        )
    )


def grant_final_attempts(
    actor: User,
    association_id: int,
    trainee_id: int,
    *,
    attempts: int,
    reason: str,
    privacy_confirmed: bool = False,
) -> ExtraAttempts:
    """Allow ``attempts`` more attempts at the final test, for a trainee who has not passed it."""
    standing = final_test_standing(actor, association_id, trainee_id)
    fields: dict[str, list[str]] = {}
    if not 1 <= attempts <= MAX_PER_GRANT:
        fields["attempts"] = [_("Allow from 1 to %(n)d attempts at a time.", n=MAX_PER_GRANT)]
    reason = (reason or "").strip()
    if not 5 <= len(reason) <= 500:
        fields["reason"] = [_("Give a short reason (5 to 500 characters).")]
    if fields:
        raise ValidationError(_("Please correct the marked fields."), fields=fields)
    if standing.has_passed:
        raise InvalidState(_("%(name)s has passed the final test already.", name=standing.trainee.name))
    guard_free_text(
        {"reason": reason}, is_confirmed=privacy_confirmed, actor=actor, association_id=association_id
    )
    grant = ExtraAttempts(
        association_id=association_id,
        trainee_id=trainee_id,
        attempts=attempts,
        reason=reason,
        granted_by_id=actor.id,
    )
    db.session.add(grant)
    db.session.flush()
    record(
        "learning.attempts_granted",
        grant,
        actor=actor,
        trainee_id=trainee_id,
        attempts=attempts,
        reason=reason,
    )
    notify(
        trainee_id,
        association_id,
        ngettext(
            "%(name)s allowed you %(num)d more attempt at the final test.",
            "%(name)s allowed you %(num)d more attempts at the final test.",
            attempts,
            name=actor.name,
        ),
        link_to("learning.final_test"),
    )
    return grant


@dataclass(frozen=True)
class FinalTestStanding:
    """What the grant page shows: the trainee, their attempts so far and what is allowed."""

    trainee: User
    attempts_used: int
    attempts_allowed: int
    best_score: float | None
    has_passed: bool
    final_questions: int = 0  # questions in a final test, to show the best score as points of them


def final_test_standing(actor: User, association_id: int, trainee_id: int) -> FinalTestStanding:
    """The trainee's final-test attempts, for someone who may grant more."""
    trainee = db.session.get(User, trainee_id)
    if trainee is None or not policy.is_trainee(trainee, association_id):
        raise NotFound(_("No such trainee."))
    policy.require_grant_attempts(actor, association_id, _supervises(actor, association_id, trainee_id))
    finals = list(
        db.session.scalars(
            select(QuizAttempt).where(
                QuizAttempt.association_id == association_id,
                QuizAttempt.trainee_id == trainee_id,
                QuizAttempt.kind == QuizKind.FINAL.value,
                QuizAttempt.submitted_at.is_not(None),
            )
        )
    )
    return FinalTestStanding(
        trainee=trainee,
        attempts_used=len(finals),
        attempts_allowed=get_curriculum().max_attempts + extra_final_attempts(trainee_id, association_id),
        best_score=max((a.score_percent for a in finals), default=None),
        has_passed=any(a.is_passed for a in finals),
        final_questions=get_curriculum().final_test_questions,
    )

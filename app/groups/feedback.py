"""Co-leader feedback: after a session, each of its leaders tells the other how they led.

A few items of the competency rubric that a co-leader can see from the other chair, each
rated on the rubric's five levels (or left open), and two short texts: what went well and
what to try next time. Feedback is signed when given and final from then on (the database
refuses changes too, see ``feedback_triggers``). It is read by its author, its recipient
and the supervisors of either; admins and the other members of the association do not
read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import policy
from app.accounts.models import User
from app.audit.services import record as audit
from app.errors import Forbidden, InvalidState, NotFound
from app.extensions import db
from app.groups import services
from app.groups.kinds import SessionStatus
from app.groups.models import CoLeaderFeedback, GroupSession, SessionLeader
from app.logbook.validation import Problems
from app.notifications import services as notifications
from app.privacy.guard import guard_free_text
from app.requirements.rubric import RubricCompetency, get_rubric

#: The rubric's competencies a co-leader sees from the other chair during a session:
#: the frame (C1), the focus on the relationship (C2), the group's process (C3), the
#: members' participation (C6), the co-leading itself (C7) and care of the presenter (C8).
#: Reflection on one's own style, development, confidentiality outside the room and
#: introducing Balint work are for the supervisor and the trainee, not the co-leader.
ITEMS = ("C1", "C2", "C3", "C6", "C7", "C8")
MAX_TEXT = 2000


@dataclass(frozen=True)
class FeedbackInput:
    ratings: dict[str, int | None] = field(default_factory=dict)
    went_well: str = ""
    to_try: str = ""


def items() -> list[RubricCompetency]:
    rubric = get_rubric()
    return [competency for code in ITEMS if (competency := rubric.by_code(code)) is not None]


def _session(actor: User, association_id: int, session_id: int) -> GroupSession:
    if not policy.is_member(actor, association_id):
        raise NotFound(_("No such session."))
    session = db.session.get(GroupSession, session_id)
    if session is None or session.association_id != association_id:
        raise NotFound(_("No such session."))
    return session


def _leader_ids(session: GroupSession) -> set[int]:
    return set(
        db.session.scalars(select(SessionLeader.user_id).where(SessionLeader.session_id == session.id))
    )


def recipients(actor: User, association_id: int, session_id: int) -> tuple[GroupSession, list[User]]:
    """The session and the other leaders the actor may give feedback to (a leader of it)."""
    session = _session(actor, association_id, session_id)
    leaders = _leader_ids(session)
    if actor.id not in leaders:
        raise Forbidden(_("Only the session's leaders give each other feedback."))
    others = sorted(leaders - {actor.id})
    return session, [db.session.get(User, user_id) for user_id in others]


def check_feedback(data: FeedbackInput) -> None:
    problems = Problems()
    for code, level in data.ratings.items():
        if code not in ITEMS or (level is not None and level not in range(1, 6)):
            problems.add(f"rating_{code}", _("Choose a level from 1 to 5, or leave it open."))
    for name in ("went_well", "to_try"):
        if len(getattr(data, name)) > MAX_TEXT:
            problems.add(name, _("At most %(count)d characters, please.", count=MAX_TEXT))
    if not data.went_well.strip():
        problems.add("went_well", _("Say at least one thing that went well."))
    if all(level is None for level in data.ratings.values()):
        problems.add(f"rating_{ITEMS[0]}", _("Rate at least one item, or leave the feedback for later."))
    problems.raise_if_any()


def give_feedback(
    actor: User,
    association_id: int,
    session_id: int,
    recipient_id: int,
    data: FeedbackInput,
    *,
    privacy_confirmed: bool = False,
) -> CoLeaderFeedback:
    """Sign feedback to another leader of a closed session; once per session and person."""
    session, others = recipients(actor, association_id, session_id)
    if recipient_id not in {user.id for user in others}:
        raise NotFound(_("They did not lead this session with you."))
    if session.status != SessionStatus.CLOSED:
        raise InvalidState(_("Feedback follows the session: close it first."))
    check_feedback(data)
    guard_free_text(
        {"went_well": data.went_well, "to_try": data.to_try},
        is_confirmed=privacy_confirmed,
        actor=actor,
        association_id=association_id,
    )
    feedback = CoLeaderFeedback(
        association_id=association_id,
        session_id=session.id,
        author_id=actor.id,
        recipient_id=recipient_id,
        ratings={code: data.ratings.get(code) for code in ITEMS},
        went_well=data.went_well.strip(),
        to_try=data.to_try.strip(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(feedback)
    except IntegrityError:
        raise InvalidState(_("You have already given them feedback on this session.")) from None
    audit(
        "group.co_leader_feedback_given",
        feedback,
        actor=actor,
        association_id=association_id,
        session_id=session.id,
        recipient_id=recipient_id,
    )
    notifications.notify(
        recipient_id,
        association_id,
        _(
            "%(name)s gave you feedback on your co-leading in the session of %(date)s.",
            name=actor.name,
            date=format_date(session.held_on, "long"),
        ),
        notifications.link_to("groups.read_feedback", feedback_id=feedback.id),
    )
    return feedback


def _supervises_either(actor: User, feedback: CoLeaderFeedback) -> bool:
    return policy.is_supervisor(actor, feedback.association_id) and services.supervises_any(
        actor, [feedback.author_id, feedback.recipient_id], feedback.association_id
    )


def can_read(actor: User, feedback: CoLeaderFeedback) -> bool:
    if not policy.is_member(actor, feedback.association_id):
        return False
    return actor.id in (feedback.author_id, feedback.recipient_id) or _supervises_either(actor, feedback)


def get_feedback(actor: User, association_id: int, feedback_id: int) -> CoLeaderFeedback:
    """Feedback for its author, its recipient or a supervisor of either; 404 to anyone else."""
    feedback = db.session.get(CoLeaderFeedback, feedback_id)
    if feedback is None or feedback.association_id != association_id or not can_read(actor, feedback):
        raise NotFound(_("No such feedback."))
    return feedback


def already_given(actor: User, session_id: int, recipient_id: int) -> CoLeaderFeedback | None:
    """The feedback the actor has signed to this recipient on this session, if any (once only)."""
    return db.session.scalar(
        select(CoLeaderFeedback).where(
            CoLeaderFeedback.session_id == session_id,
            CoLeaderFeedback.author_id == actor.id,
            CoLeaderFeedback.recipient_id == recipient_id,
        )
    )


def feedback_query(actor: User, association_id: int, *, session_id: int | None = None):
    """The feedback the actor may read, as one query (``can_read`` for lists): their own,
    given or received, and as a supervisor what either leader of it gave or received."""
    policy.require_member(actor, association_id)
    readable = [CoLeaderFeedback.author_id == actor.id, CoLeaderFeedback.recipient_id == actor.id]
    if policy.is_supervisor(actor, association_id):
        supervised = services.supervised_ids(actor, association_id)
        readable += [
            CoLeaderFeedback.author_id.in_(supervised),
            CoLeaderFeedback.recipient_id.in_(supervised),
        ]
    query = select(CoLeaderFeedback).where(CoLeaderFeedback.association_id == association_id, or_(*readable))
    if session_id is not None:
        query = query.where(CoLeaderFeedback.session_id == session_id)
    return query.options(joinedload(CoLeaderFeedback.author), joinedload(CoLeaderFeedback.recipient))


def feedback_on_session(actor: User, session: GroupSession) -> list[CoLeaderFeedback]:
    """The feedback given on a session that the actor may read."""
    given = db.session.scalars(
        select(CoLeaderFeedback)
        .where(CoLeaderFeedback.session_id == session.id)
        .order_by(CoLeaderFeedback.id)
    ).all()
    return [feedback for feedback in given if can_read(actor, feedback)]

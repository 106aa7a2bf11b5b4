"""Recording the dated profile facts rule sets read: track, memberships, qualifications, exams.

Only an admin of the enrolment's association records them; each change is audited, since
it can change whether a trainee is ready. The trainee and their supervisors read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.accounts.models import User
from app.audit.services import record
from app.errors import NotFound, ValidationError
from app.extensions import db
from app.profiles.kinds import EXAM_KINDS, EXAM_OUTCOMES, QUALIFICATION_KINDS
from app.profiles.models import AssessedEvent, Qualification, SocietyMembership
from app.programmes.models import Enrolment
from app.programmes.services import get_enrolment


@dataclass(frozen=True)
class ProfileFacts:
    """What an enrolment's page shows of the person's dated facts."""

    enrolment: Enrolment
    tracks: tuple[tuple[str, str], ...]  # the rule set's declared tracks
    memberships: list[SocietyMembership]
    qualifications: list[Qualification]
    exams: list[AssessedEvent]

    @property
    def track_label(self) -> str | None:
        return dict(self.tracks).get(self.enrolment.track or "", self.enrolment.track)


def _tracks(enrolment: Enrolment) -> tuple[tuple[str, str], ...]:
    from app.requirements.services import parsed  # requirements imports the engine, not us

    return parsed(enrolment.rule_set).tracks


def profile_facts(actor: User, enrolment_id: int) -> ProfileFacts:
    """The enrolment's track and its person's memberships, qualifications and exams (four queries)."""
    enrolment = get_enrolment(actor, enrolment_id)
    person = (SocietyMembership.user_id == enrolment.trainee_id) & (
        SocietyMembership.association_id == enrolment.association_id
    )
    memberships = db.session.scalars(
        select(SocietyMembership).where(person).order_by(SocietyMembership.started_on)
    )
    qualifications = db.session.scalars(
        select(Qualification)
        .where(
            Qualification.user_id == enrolment.trainee_id,
            Qualification.association_id == enrolment.association_id,
        )
        .order_by(Qualification.obtained_on)
    )
    exams = db.session.scalars(
        select(AssessedEvent)
        .where(AssessedEvent.enrolment_id == enrolment.id)
        .order_by(AssessedEvent.occurred_on, AssessedEvent.id)
    )
    return ProfileFacts(enrolment, _tracks(enrolment), list(memberships), list(qualifications), list(exams))


def _admin_enrolment(actor: User, enrolment_id: int) -> Enrolment:
    enrolment = get_enrolment(actor, enrolment_id)
    policy.require_admin(actor, enrolment.association_id)
    return enrolment


def _not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > dt.date.today():
        raise ValidationError(_("The date cannot be in the future."), fields={field: [_("In the future.")]})


def set_track(actor: User, enrolment_id: int, track: str | None) -> Enrolment:
    """The enrolment's professional-background track: one the rule set declares, or none."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    track = track or None
    if track is not None and track not in dict(_tracks(enrolment)):
        raise ValidationError(_("This programme has no such track."), fields={"track": [_("Unknown track.")]})
    before = enrolment.track
    enrolment.track = track
    record("profile.track_set", enrolment, actor=actor, before=before, after=track)
    return enrolment


def add_membership(
    actor: User, enrolment_id: int, *, started_on: dt.date, ended_on: dt.date | None
) -> SocietyMembership:
    """A period of the trainee's membership of the association (its last day included)."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    _not_future(started_on, "started_on")
    if ended_on is not None and ended_on < started_on:
        raise ValidationError(
            _("The membership cannot end before it starts."), fields={"ended_on": [_("Before the start.")]}
        )
    membership = SocietyMembership(
        association_id=enrolment.association_id,
        user_id=enrolment.trainee_id,
        started_on=started_on,
        ended_on=ended_on,
        recorded_by_id=actor.id,
    )
    db.session.add(membership)
    db.session.flush()
    record(
        "profile.membership_added",
        membership,
        actor=actor,
        user_id=enrolment.trainee_id,
        started_on=started_on.isoformat(),
        ended_on=ended_on.isoformat() if ended_on else None,
    )
    return membership


def add_qualification(actor: User, enrolment_id: int, *, kind: str, obtained_on: dt.date) -> Qualification:
    """A qualification of the trainee, of a known kind, with the day it was obtained."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    if kind not in QUALIFICATION_KINDS:
        raise ValidationError(_("Unknown qualification."), fields={"kind": [_("Unknown qualification.")]})
    _not_future(obtained_on, "obtained_on")
    qualification = Qualification(
        association_id=enrolment.association_id,
        user_id=enrolment.trainee_id,
        kind=kind,
        obtained_on=obtained_on,
        recorded_by_id=actor.id,
    )
    db.session.add(qualification)
    db.session.flush()
    record(
        "profile.qualification_added",
        qualification,
        actor=actor,
        user_id=enrolment.trainee_id,
        kind=kind,
        obtained_on=obtained_on.isoformat(),
    )
    return qualification


def record_exam(
    actor: User,
    enrolment_id: int,
    *,
    kind: str,
    outcome: str,
    occurred_on: dt.date,
    examiner_id: int | None = None,
    examiner_name: str = "",
    note: str = "",
) -> AssessedEvent:
    """An exam or assessed intensive with the examiner's outcome, as the admin attests it."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    problems = {}
    if kind not in EXAM_KINDS:
        problems["kind"] = [_("Unknown kind.")]
    if outcome not in EXAM_OUTCOMES:
        problems["outcome"] = [_("Unknown outcome.")]
    examiner_name = (examiner_name or "").strip()
    if examiner_id is not None:
        examiner = db.session.get(User, examiner_id)
        if examiner is None or not policy.is_member(examiner, enrolment.association_id):
            problems["examiner_id"] = [_("Not a member of this association.")]
        if examiner_id == enrolment.trainee_id:
            problems["examiner_id"] = [_("A trainee cannot examine themselves.")]
    elif not examiner_name:
        problems["examiner_name"] = [_("Name the examiner.")]
    if problems:
        raise ValidationError(_("Please correct the marked fields."), fields=problems)
    _not_future(occurred_on, "occurred_on")
    exam = AssessedEvent(
        association_id=enrolment.association_id,
        enrolment_id=enrolment.id,
        kind=kind,
        outcome=outcome,
        occurred_on=occurred_on,
        examiner_id=examiner_id,
        examiner_name="" if examiner_id is not None else examiner_name,
        note=(note or "").strip(),
        recorded_by_id=actor.id,
    )
    db.session.add(exam)
    db.session.flush()
    record(
        "profile.exam_recorded",
        exam,
        actor=actor,
        enrolment_id=enrolment.id,
        kind=kind,
        outcome=outcome,
        occurred_on=occurred_on.isoformat(),
    )
    return exam


_REMOVABLE = {"membership": SocietyMembership, "qualification": Qualification, "exam": AssessedEvent}


def remove(actor: User, enrolment_id: int, what: str, fact_id: int) -> None:
    """Remove a fact recorded by mistake (audited with what it said): a membership,
    qualification or exam of this enrolment's person."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    model = _REMOVABLE[what]
    fact = db.session.get(model, fact_id)
    mine = fact is not None and fact.association_id == enrolment.association_id
    if mine and model is AssessedEvent:
        mine = fact.enrolment_id == enrolment.id
    elif mine:
        mine = fact.user_id == enrolment.trainee_id
    if not mine:
        raise NotFound(_("Nothing to remove."))
    said = {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in (
            ("kind", getattr(fact, "kind", None)),
            ("outcome", getattr(fact, "outcome", None)),
            ("started_on", getattr(fact, "started_on", None)),
            ("ended_on", getattr(fact, "ended_on", None)),
            ("obtained_on", getattr(fact, "obtained_on", None)),
            ("occurred_on", getattr(fact, "occurred_on", None)),
        )
        if value is not None
    }
    record(f"profile.{what}_removed", fact, actor=actor, enrolment_id=enrolment.id, **said)
    db.session.delete(fact)

"""Observed leadership: an observer's report on a trainee leading one session of a group.

An admin of the association, or the trainee who leads the session, assigns an observer
(a supervisor of the association, with the status they observe in: leader trainer,
accredited leader or supervisor, see ``ObserverStatus``). The observer fills in the
rubric of the ten canonical competencies (``app.requirements.rubric``: each a level 1..5
or "not seen", with a note of the evidence), an overall outcome (satisfactory, or not
yet) and a narrative, and signs it. Signing is final (the database refuses changes too,
see ``observation_triggers``) and writes the trainee's logbook observation for the
session, signed by the observer, so rule sets count it with its outcome; one the observer
logged by hand for that day is taken over instead (``observation_records``).

The observer, the trainee, the trainee's supervisors and the association's admins read a
report; anyone else, and every other association, is told there is no such report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import policy
from app.accounts.models import Membership, Role, User
from app.audit.services import record as audit
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound
from app.extensions import db
from app.groups import observation_records, services
from app.groups.kinds import ObserverStatus
from app.groups.models import GroupSession, ObservationReport, SessionLeader
from app.groups.sessions import today
from app.logbook import accreditations
from app.logbook.kinds import ObservationOutcome
from app.logbook.validation import ObservationInput, Problems
from app.notifications import services as notifications
from app.privacy.guard import guard_free_text
from app.programmes.models import Enrolment, EnrolmentStatus
from app.requirements.rubric import RubricCompetency, get_rubric
from app.statuslevels.models import Permission

MAX_EVIDENCE = 1000
MAX_NARRATIVE = 4000


@dataclass(frozen=True)
class ReportInput:
    ratings: dict[str, int | None] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    outcome: str = ""
    narrative: str = ""


def competencies() -> list[RubricCompetency]:
    """The rubric the observer fills in: all ten canonical competencies."""
    return list(get_rubric().competencies)


def _codes() -> tuple[str, ...]:
    return tuple(competency.code for competency in competencies())


# --- assigning an observer ------------------------------------------------------------------


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


def _active_enrolment(user_id: int, association_id: int) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment)
        .where(
            Enrolment.trainee_id == user_id,
            Enrolment.association_id == association_id,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
        .order_by(Enrolment.started_on.desc(), Enrolment.id.desc())
        .limit(1)
    )


def can_assign(actor: User, session: GroupSession) -> bool:
    """An admin of the association, or a leader of the session who is in training."""
    if policy.is_admin(actor, session.association_id):
        return True
    return policy.is_trainee(actor, session.association_id) and actor.id in _leader_ids(session)


def observable_leaders(actor: User, association_id: int, session_id: int) -> tuple[GroupSession, list[User]]:
    """The session and the leaders the actor may ask an observer for (the trainee: themselves)."""
    session = _session(actor, association_id, session_id)
    if not can_assign(actor, session):
        raise Forbidden(_("Only an admin or the session's trainee leader asks for an observer."))
    leaders = [leader.user for leader in session.leaders]
    if not policy.is_admin(actor, association_id):
        leaders = [user for user in leaders if user.id == actor.id]
    return session, leaders


def observer_candidates(association_id: int, session: GroupSession) -> list[User]:
    """The association's supervisors who do not lead this session."""
    leaders = _leader_ids(session)
    supervisors = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.association_id == association_id, Membership.role == Role.SUPERVISOR.value)
        .order_by(User.name)
    ).all()
    return [user for user in supervisors if user.id not in leaders]


def assign_observer(
    actor: User,
    association_id: int,
    session_id: int,
    *,
    trainee_id: int | None,
    observer_id: int | None,
    observer_status: str,
) -> ObservationReport:
    """Ask a supervisor of the association to observe a trainee leading this session."""
    session, leaders = observable_leaders(actor, association_id, session_id)
    problems = Problems()
    trainee = next((user for user in leaders if user.id == trainee_id), None)
    if trainee is None:
        problems.add("trainee_id", _("Choose a leader of this session."))
    elif _active_enrolment(trainee.id, association_id) is None:
        problems.add("trainee_id", _("Only a leader with an active enrolment can be observed."))
    candidates = {user.id: user for user in observer_candidates(association_id, session)}
    observer = candidates.get(observer_id or 0)
    if observer is None or observer_id == trainee_id:
        problems.add(
            "observer_id", _("Choose a supervisor of the association who does not lead this session.")
        )
    elif policy.without_level_to(Permission.OBSERVE, association_id, [observer], session.held_on):
        problems.add("observer_id", policy.why_not_observe(association_id, observer.name))
    if observer_status not in {status.value for status in ObserverStatus}:
        problems.add("observer_status", _("Choose the status the observer observes in."))
    problems.raise_if_any()
    report = ObservationReport(
        association_id=association_id,
        session_id=session.id,
        trainee_id=trainee.id,
        observer_id=observer.id,
        observer_status=observer_status,
        assigned_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        raise InvalidState(_("This leader already has an observer for this session.")) from None
    audit(
        "group.observation_assigned",
        report,
        actor=actor,
        association_id=association_id,
        session_id=session.id,
        trainee_id=trainee.id,
        observer_id=observer.id,
        observer_status=observer_status,
    )
    notifications.notify(
        observer.id,
        association_id,
        _(
            "You are asked to observe %(name)s leading the session of %(date)s.",
            name=trainee.name,
            date=format_date(session.held_on, "long"),
        ),
        notifications.link_to("groups.sign_observation", report_id=report.id),
    )
    return report


# --- reading ----------------------------------------------------------------------------


def _supervises(actor: User, report: ObservationReport) -> bool:
    return policy.is_supervisor(actor, report.association_id) and services.supervises_any(
        actor, [report.trainee_id], report.association_id
    )


def can_read(actor: User, report: ObservationReport) -> bool:
    if not policy.is_member(actor, report.association_id):
        return False
    return (
        actor.id in (report.observer_id, report.trainee_id)
        or policy.is_admin(actor, report.association_id)
        or _supervises(actor, report)
    )


def get_report(actor: User, association_id: int, report_id: int) -> ObservationReport:
    """A report for its observer, its trainee, the trainee's supervisors and admins; else 404."""
    report = db.session.get(ObservationReport, report_id)
    if report is None or report.association_id != association_id or not can_read(actor, report):
        raise NotFound(_("No such observation report."))
    return report


def reports_query(actor: User, association_id: int, *, session_id: int | None = None):
    """The reports the actor may read, as one query (``can_read`` for lists)."""
    policy.require_member(actor, association_id)
    query = select(ObservationReport).where(ObservationReport.association_id == association_id)
    if not policy.is_admin(actor, association_id):
        readable = [ObservationReport.observer_id == actor.id, ObservationReport.trainee_id == actor.id]
        if policy.is_supervisor(actor, association_id):
            readable.append(ObservationReport.trainee_id.in_(services.supervised_ids(actor, association_id)))
        query = query.where(or_(*readable))
    if session_id is not None:
        query = query.where(ObservationReport.session_id == session_id)
    return query.options(joinedload(ObservationReport.trainee), joinedload(ObservationReport.observer))


def reports_on_session(actor: User, session: GroupSession) -> list[ObservationReport]:
    """The observation reports on a session that the actor may read."""
    found = db.session.scalars(
        select(ObservationReport)
        .where(ObservationReport.session_id == session.id)
        .order_by(ObservationReport.id)
    ).all()
    return [report for report in found if can_read(actor, report)]


# --- writing and signing ------------------------------------------------------------------


def report_to_sign(actor: User, association_id: int, report_id: int) -> ObservationReport:
    """An unsigned report its observer may fill in; 403 to other readers, 404 to the rest."""
    report = get_report(actor, association_id, report_id)
    if report.observer_id != actor.id:
        raise Forbidden(_("Only the assigned observer writes this report."))
    if report.is_signed:
        raise InvalidState(_("This report is signed; it cannot be changed."))
    return report


def check_report(data: ReportInput) -> None:
    problems = Problems()
    codes = _codes()
    for code, level in data.ratings.items():
        if code not in codes or (level is not None and level not in range(1, 6)):
            problems.add(f"rating_{code}", _("Choose a level from 1 to 5, or not seen."))
    for code, note in data.evidence.items():
        if code not in codes:
            problems.add(f"evidence_{code}", _("This is not a competency of the rubric."))
        elif len(note) > MAX_EVIDENCE:
            problems.add(f"evidence_{code}", _("At most %(count)d characters, please.", count=MAX_EVIDENCE))
        elif note.strip() and data.ratings.get(code) is None:
            problems.add(f"rating_{code}", _("You noted evidence: choose the level it shows."))
    if all(data.ratings.get(code) is None for code in codes):
        problems.add("ratings", _("Rate at least one competency you saw."))
    if data.outcome not in {outcome.value for outcome in ObservationOutcome}:
        problems.add("outcome", _("Choose the overall outcome: satisfactory, or not yet."))
    if not data.narrative.strip():
        problems.add("narrative", _("Write a short narrative of what you observed."))
    elif len(data.narrative) > MAX_NARRATIVE:
        problems.add("narrative", _("At most %(count)d characters, please.", count=MAX_NARRATIVE))
    problems.raise_if_any()


def sign_report(
    actor: User,
    association_id: int,
    report_id: int,
    data: ReportInput,
    *,
    privacy_confirmed: bool = False,
) -> ObservationReport:
    """Sign an observation report, final, and write the trainee's signed logbook observation."""
    report = report_to_sign(actor, association_id, report_id)
    session = report.session
    if session.held_on > today():
        raise InvalidState(_("The session has not been held yet: write the report after observing it."))
    check_report(data)
    if not accreditations.is_accredited_on(actor.id, association_id, today()):
        # Checked before anything is written: the observer signs the logbook observation too.
        raise InvalidState(
            _(
                "Your accreditation as a supervisor is not valid today, so you cannot sign. "
                "Ask an admin of your association to record your accreditation."
            )
        )
    codes = _codes()
    evidence = {code: data.evidence.get(code, "").strip() for code in codes}
    guard_free_text(
        {"narrative": data.narrative, **{f"evidence_{code}": evidence[code] for code in codes}},
        is_confirmed=privacy_confirmed,
        actor=actor,
        obj=report,
        association_id=association_id,
    )
    enrolment = _active_enrolment(report.trainee_id, association_id)
    if enrolment is None:
        raise InvalidState(_("The trainee has no active enrolment: the observation has no logbook to go in."))
    # The observation the observer logged by hand for that day, if any, is taken over
    # rather than counted twice (see ``observation_records``).
    record = observation_records.record_for_report(
        actor,
        association_id,
        enrolment,
        session,
        ObservationInput(
            occurred_on=session.held_on,
            setting=(session.group.setting or session.group.name)[:200],
            outcome=data.outcome,
            report=data.narrative.strip(),
        ),
    )
    report.ratings = {code: data.ratings.get(code) for code in codes}
    report.evidence = evidence
    report.outcome = data.outcome
    report.narrative = data.narrative.strip()
    report.record_id = record.id
    report.signed_at = utcnow()
    db.session.flush()
    audit(
        "group.observation_signed",
        report,
        actor=actor,
        association_id=association_id,
        session_id=session.id,
        trainee_id=report.trainee_id,
        outcome=data.outcome,
        observer_status=report.observer_status,
        record_id=record.id,
    )
    notifications.notify(
        report.trainee_id,
        association_id,
        _(
            "%(name)s signed the observation of your leading in the session of %(date)s.",
            name=actor.name,
            date=format_date(session.held_on, "long"),
        ),
        notifications.link_to("groups.read_observation", report_id=report.id),
    )
    return report

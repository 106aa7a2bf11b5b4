"""Applying for accreditation, naming the panel, recommendations, and the panel's decision.

A trainee applies with one of their enrolments: the application freezes their progress
and portfolio (``portfolio``). The association's admins name the panel (admins, accredited
supervisors, or holders of a status level there); each panel member records one
recommendation with reasons. An admin, as the panel's chair, then records the decision
(accredit, defer with actions and a date, decline) with written reasons; it is signed
(its SHA-256 digest is kept with the deciding admin and the moment) and final. Accrediting
issues the certificate through ``app.certificates.issuing`` and grants a status level.
Everything is audited; the trainee hears the decision by notification and e-mail.

Who sees what: the applicant, the panel and the admins; others of the association are
refused (403) and other associations never learn an application exists (404).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import Association, Membership, Role, User
from app.applications import letters, portfolio
from app.applications.kinds import DECIDED_STATUS, ApplicationStatus, Recommendation
from app.applications.models import AccreditationApplication, PanelMember, PanelReview, PersonStatusLevel
from app.audit.services import record as audit
from app.certificates import issuing
from app.database import utcnow
from app.documents import services as documents
from app.documents.models import DocumentKind, StoredDocument
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.logbook.models import SupervisorAccreditation
from app.notifications.services import link_to, notify
from app.programmes.models import Enrolment, EnrolmentStatus
from app.programmes.services import get_enrolment
from app.requirements.services import progress_for
from app.statuslevels import permissions
from app.statuslevels import services as status_levels

PDF_MEDIA_TYPE = "application/pdf"
MAX_TEXT = 4000


def _text(value: str | None, field: str, *, required: bool = True, message: str = "") -> str:
    value = (value or "").strip()
    if required and len(value) < 5:
        raise ValidationError(
            message or _("Please give your reasons."), fields={field: [_("A few words at least.")]}
        )
    if len(value) > MAX_TEXT:
        raise ValidationError(_("This is too long."), fields={field: [_("At most 4,000 characters.")]})
    return value


# --- reading ---------------------------------------------------------------------------------


def is_panel_member(user: User, application: AccreditationApplication) -> bool:
    return any(member.user_id == user.id for member in application.panel)


def sees_reviews(user: User, application: AccreditationApplication) -> bool:
    """Admins see every recommendation; a panel member once they have recorded their own
    (so each judges independently); the applicant sees the decision only."""
    if policy.can_decide_application(user, application.association_id):
        return True
    return is_panel_member(user, application) and application.review_by(user.id) is not None


def get_application(actor: User, association_id: int, application_id: int) -> AccreditationApplication:
    """An application the actor may see; another association's reads as not found."""
    if not policy.is_member(actor, association_id):
        raise NotFound(_("No such application."))
    application = db.session.scalar(
        select(AccreditationApplication)
        .where(AccreditationApplication.id == application_id)
        .options(
            selectinload(AccreditationApplication.panel).joinedload(PanelMember.user),
            selectinload(AccreditationApplication.reviews).joinedload(PanelReview.reviewer),
            selectinload(AccreditationApplication.trainee),
            selectinload(AccreditationApplication.decided_by),
        )
    )
    if application is None or application.association_id != association_id:
        raise NotFound(_("No such application."))
    policy.require_view_application(actor, application, is_panel_member(actor, application))
    return application


def applications_query(actor: User, association_id: int):
    """Admins see every application; others their own and those they sit on the panel of."""
    policy.require_member(actor, association_id)
    query = select(AccreditationApplication).where(AccreditationApplication.association_id == association_id)
    if not policy.is_admin(actor, association_id):
        on_panel = select(PanelMember.application_id).where(PanelMember.user_id == actor.id)
        query = query.where(
            or_(AccreditationApplication.trainee_id == actor.id, AccreditationApplication.id.in_(on_panel))
        )
    return query.options(
        selectinload(AccreditationApplication.trainee),
        selectinload(AccreditationApplication.panel).joinedload(PanelMember.user),
        selectinload(AccreditationApplication.reviews).joinedload(PanelReview.reviewer),
    )


def list_applications(actor: User, association_id: int) -> list[AccreditationApplication]:
    """Open ones first, then the newest."""
    query = applications_query(actor, association_id).order_by(
        (AccreditationApplication.status == ApplicationStatus.OPEN.value).desc(),
        AccreditationApplication.applied_at.desc(),
        AccreditationApplication.id.desc(),
    )
    return list(db.session.scalars(query.limit(200)))


def portfolio_of(actor: User, association_id: int, application_id: int) -> StoredDocument:
    """The portfolio PDF as stored for the application (a job renders it after applying)."""
    application = get_application(actor, association_id, application_id)
    stored = documents.current(DocumentKind.APPLICATION_PORTFOLIO, application.id)
    if stored is None or not application.portfolio_ready:
        raise InvalidState(_("The portfolio is being prepared. Please try again in a moment."))
    return stored


def letter_of(actor: User, association_id: int, application_id: int) -> StoredDocument:
    """The decision letter as stored when the panel decided (or regenerated since)."""
    return letters.letter_in_force(get_application(actor, association_id, application_id))


def regenerate_letter(
    actor: User, association_id: int, application_id: int, *, reason: str
) -> StoredDocument:
    """Render the decision letter again as a new version (deciders only, audited)."""
    application = get_application(actor, association_id, application_id)
    return letters.regenerate(actor, application, reason=reason)


def application_date(enrolment: Enrolment) -> dt.date | None:
    """The day of the enrolment's latest application for accreditation (an anchor for rule
    windows), or None if its trainee never applied."""
    return db.session.scalar(
        select(AccreditationApplication.applied_on)
        .where(AccreditationApplication.enrolment_id == enrolment.id)
        .order_by(AccreditationApplication.applied_at.desc(), AccreditationApplication.id.desc())
        .limit(1)
    )


def application_dates(enrolment_ids: list[int]) -> dict[int, dt.date]:
    """``application_date`` for many enrolments in one query (for cohorts): enrolment id ->
    the day of its latest application; enrolments that never applied are left out."""
    if not enrolment_ids:
        return {}
    latest = (
        select(
            AccreditationApplication.enrolment_id,
            func.max(AccreditationApplication.applied_at).label("applied_at"),
        )
        .where(AccreditationApplication.enrolment_id.in_(enrolment_ids))
        .group_by(AccreditationApplication.enrolment_id)
        .subquery()
    )
    rows = db.session.execute(
        select(AccreditationApplication.enrolment_id, AccreditationApplication.applied_on).join(
            latest,
            (latest.c.enrolment_id == AccreditationApplication.enrolment_id)
            & (latest.c.applied_at == AccreditationApplication.applied_at),
        )
    )
    return dict(rows.all())


def latest_of(enrolment: Enrolment) -> AccreditationApplication | None:
    """The enrolment's latest application (for the trainee's progress page)."""
    return db.session.scalar(
        select(AccreditationApplication)
        .where(AccreditationApplication.enrolment_id == enrolment.id)
        .order_by(AccreditationApplication.applied_at.desc(), AccreditationApplication.id.desc())
        .limit(1)
    )


def open_application(trainee_id: int, association_id: int) -> AccreditationApplication | None:
    return db.session.scalar(
        select(AccreditationApplication).where(
            AccreditationApplication.trainee_id == trainee_id,
            AccreditationApplication.association_id == association_id,
            AccreditationApplication.status == ApplicationStatus.OPEN.value,
        )
    )


# --- applying ----------------------------------------------------------------------------------


def own_enrolments(actor: User, association_id: int) -> list[Enrolment]:
    """The trainee's active enrolments here: what they can apply with."""
    policy.require_trainee(actor, association_id)
    return list(
        db.session.scalars(
            select(Enrolment)
            .where(
                Enrolment.association_id == association_id,
                Enrolment.trainee_id == actor.id,
                Enrolment.status == EnrolmentStatus.ACTIVE.value,
            )
            .order_by(Enrolment.started_on.desc())
        )
    )


def apply(
    actor: User,
    association_id: int,
    enrolment_id: int,
    *,
    statement: str = "",
    today: dt.date | None = None,
) -> AccreditationApplication:
    """The trainee applies: progress and portfolio are frozen as of ``today``."""
    enrolment = get_enrolment(actor, enrolment_id)
    if enrolment.association_id != association_id:
        raise NotFound(_("No such enrolment."))
    policy.require_trainee(actor, association_id)
    if enrolment.trainee_id != actor.id:
        raise Forbidden(_("Only the trainee applies, for themselves."))
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise InvalidState(_("Only an active enrolment can be the ground of an application."))
    if open_application(actor.id, association_id) is not None:
        raise InvalidState(_("You already have an open application; wait for the panel's decision."))
    statement = _text(statement, "statement", required=False)
    today = today or dt.date.today()
    latest = latest_of(enrolment)
    if latest is not None and latest.deferred_until is not None and today < latest.deferred_until:
        raise InvalidState(
            _(
                "The panel deferred your last application: apply again from %(day)s, its actions done.",
                day=latest.deferred_until.isoformat(),
            )
        )
    progress = progress_for(enrolment, today)
    data = portfolio.snapshot(progress)
    # Frozen with the rest: the PDF, rendered later by a job, names the association as it was.
    data["association"] = db.session.get(Association, association_id).name
    application = AccreditationApplication(
        association_id=association_id,
        enrolment_id=enrolment.id,
        trainee_id=actor.id,
        status=ApplicationStatus.OPEN.value,
        applied_on=today,
        applied_at=utcnow(),
        statement=statement,
        rule_set_id=enrolment.rule_set_id,
        rule_set_version=enrolment.rule_set.version,
        snapshot_json=portfolio.snapshot_json(data),
        was_ready=bool(data["is_ready"]),
        portfolio_sha256=None,  # set by the job when the PDF is stored (``portfolio.prepare``)
    )
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError as error:  # the one-open-application index lost a race
        db.session.rollback()
        raise InvalidState(
            _("You already have an open application; wait for the panel's decision.")
        ) from error
    portfolio.queue(application)
    audit(
        "application.submitted",
        application,
        actor=actor,
        enrolment_id=enrolment.id,
        rule_set_version=application.rule_set_version,
        was_ready=application.was_ready,
    )
    # The admins hear of it now, not when the PDF is stored: they can name the panel and read
    # the frozen evidence on the page meanwhile, and a slow or failing render hides nothing.
    link = link_to("applications.detail", application_id=application.id)
    for admin_id in _admin_ids(association_id):
        notify(
            admin_id,
            association_id,
            _("%(name)s applied for accreditation.", name=actor.name),
            link,
        )
    return application


def _admin_ids(association_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Membership.user_id).where(
                Membership.association_id == association_id,
                Membership.role == Role.ADMIN.value,
                Membership.is_active.is_(True),
            )
        )
    )


# --- the panel ---------------------------------------------------------------------------------


def _eligible_ids(association_id: int, today: dt.date):
    """Who may sit on a panel: admins, supervisors accredited today, holders of a status level."""
    admins = select(Membership.user_id.label("user_id")).where(
        Membership.association_id == association_id,
        Membership.role == Role.ADMIN.value,
        Membership.is_active.is_(True),
    )
    accredited = select(SupervisorAccreditation.supervisor_id.label("user_id")).where(
        SupervisorAccreditation.association_id == association_id,
        SupervisorAccreditation.valid_from <= today,
        or_(SupervisorAccreditation.valid_until.is_(None), SupervisorAccreditation.valid_until >= today),
    )
    levelled = select(PersonStatusLevel.user_id.label("user_id")).where(
        PersonStatusLevel.association_id == association_id,
        PersonStatusLevel.since <= today,
        or_(PersonStatusLevel.until.is_(None), PersonStatusLevel.until >= today),
    )
    return union(admins, accredited, levelled).subquery()


def panel_candidates(
    actor: User, association_id: int, application: AccreditationApplication, today: dt.date | None = None
) -> list[User]:
    """People the admin may still name to this application's panel (never the applicant)."""
    policy.require_decide_application(actor, association_id)
    eligible = _eligible_ids(association_id, today or dt.date.today())
    named = {member.user_id for member in application.panel}
    active = exists().where(
        Membership.user_id == User.id,
        Membership.association_id == association_id,
        Membership.is_active.is_(True),
    )
    people = db.session.scalars(
        select(User)
        .where(User.id.in_(select(eligible.c.user_id)), User.is_enabled.is_(True), active)
        .order_by(func.lower(User.name))
    )
    return [p for p in people if p.id != application.trainee_id and p.id not in named]


def _open(application: AccreditationApplication) -> None:
    if not application.is_open:
        raise InvalidState(_("The panel has decided this application; it is final."))


def add_panel_member(actor: User, association_id: int, application_id: int, user_id: int) -> PanelMember:
    """Name one person to the panel of an open application (admins)."""
    application = get_application(actor, association_id, application_id)
    policy.require_decide_application(actor, association_id)
    _open(application)
    if user_id not in {p.id for p in panel_candidates(actor, association_id, application)}:
        raise ValidationError(
            _("Choose a panel member from the list: admins and accredited leaders of the association."),
            fields={"user_id": [_("Not one of the people who may sit on this panel.")]},
        )
    member = PanelMember(application_id=application.id, user_id=user_id, added_by_id=actor.id)
    application.panel.append(member)
    db.session.flush()
    audit("application.panel_member_added", application, actor=actor, user_id=user_id)
    notify(
        user_id,
        association_id,
        _(
            "You are on the panel for %(name)s's application for accreditation.",
            name=application.trainee.name,
        ),
        link_to("applications.detail", application_id=application.id),
    )
    return member


def record_review(
    actor: User, association_id: int, application_id: int, recommendation: str, reasons: str
) -> PanelReview:
    """A panel member's recommendation with reasons; one each, final once recorded."""
    application = get_application(actor, association_id, application_id)
    if not is_panel_member(actor, application):
        raise Forbidden(_("Only the members of this application's panel record recommendations."))
    _open(application)
    if application.review_by(actor.id) is not None:
        raise InvalidState(_("You have recorded your recommendation already; it is final."))
    if recommendation not in {r.value for r in Recommendation}:
        raise ValidationError(
            _("Choose a recommendation."), fields={"recommendation": [_("Choose one of the options.")]}
        )
    review = PanelReview(
        application_id=application.id,
        reviewer_id=actor.id,
        recommendation=recommendation,
        reasons=_text(reasons, "reasons"),
        recorded_at=utcnow(),
    )
    application.reviews.append(review)
    db.session.flush()
    audit("application.reviewed", application, actor=actor, recommendation=recommendation)
    return review


# --- the decision --------------------------------------------------------------------------------


def decision_digest(application: AccreditationApplication) -> str:
    """SHA-256 of the decision as signed: what was decided, why, by whom, when, on which portfolio."""
    signed = {
        "application_id": application.id,
        "portfolio_sha256": application.portfolio_sha256,
        "decision": application.decision,
        "reasons": application.decision_reasons,
        "actions": application.deferral_actions,
        "deferred_until": application.deferred_until.isoformat() if application.deferred_until else None,
        "decided_by_id": application.decided_by_id,
        "decided_at": application.decided_at.isoformat() if application.decided_at else None,
        "certificate_id": application.certificate_id,
    }
    return hashlib.sha256(json.dumps(signed, sort_keys=True).encode("utf-8")).hexdigest()


def _check_decision(
    application: AccreditationApplication, decision: str, actions: str, deferred_until, today: dt.date
) -> None:
    if decision not in {r.value for r in Recommendation}:
        raise ValidationError(_("Choose a decision."), fields={"decision": [_("Choose one of the options.")]})
    if not application.portfolio_ready:
        raise InvalidState(
            _(
                "The portfolio is still being prepared: its fingerprint is part of the signed "
                "decision. Please decide once it is stored."
            )
        )
    if not application.panel:
        raise InvalidState(_("Name the panel first: the panel decides after its members' review."))
    waiting = [m.user.name for m in application.panel if application.review_by(m.user_id) is None]
    if waiting:
        raise InvalidState(
            _("Not every panel member has recorded a recommendation: %(names)s.", names=", ".join(waiting))
        )
    if decision == Recommendation.DEFER:
        problems: dict[str, list[str]] = {}
        if len((actions or "").strip()) < 5:
            problems["actions"] = [_("Say what the trainee is to do before applying again.")]
        if deferred_until is None or deferred_until <= today:
            problems["deferred_until"] = [_("Give a date after today.")]
        if problems:
            raise ValidationError(_("A deferral names actions and a date."), fields=problems)


def decide(
    actor: User,
    association_id: int,
    application_id: int,
    *,
    decision: str,
    reasons: str,
    actions: str = "",
    deferred_until: dt.date | None = None,
    level: str | None = None,
    today: dt.date | None = None,
) -> AccreditationApplication:
    """The panel's decision, signed by the deciding admin and final. Accrediting issues the
    certificate and grants the status level; the trainee is told by notification and e-mail."""
    application = get_application(actor, association_id, application_id)
    policy.require_decide_application(actor, association_id)
    _open(application)
    today = today or dt.date.today()
    reasons = _text(reasons, "reasons")
    _check_decision(application, decision, actions, deferred_until, today)
    level = level or status_levels.accreditation_level(association_id)
    if decision == Recommendation.ACCREDIT and level not in status_levels.slugs(association_id):
        raise ValidationError(
            _("Choose a status level."), fields={"level": [_("Choose one of the options.")]}
        )
    certificate = None
    if decision == Recommendation.ACCREDIT:
        certificate = issuing.issue(
            actor,
            application.enrolment_id,
            override_reason=_(
                "Accredited by the panel (application %(id)d): %(reasons)s",
                id=application.id,
                reasons=reasons,
            )[:2000],
            today=today,
        )
    application.status = DECIDED_STATUS[Recommendation(decision)].value
    application.decision = decision
    application.decision_reasons = reasons
    application.deferral_actions = _text(actions, "actions", required=False) if decision == "defer" else ""
    application.deferred_until = deferred_until if decision == Recommendation.DEFER else None
    application.decided_by_id = actor.id
    application.decided_at = utcnow()
    application.certificate_id = certificate.id if certificate else None
    application.signature_sha256 = decision_digest(application)
    db.session.flush()
    if certificate is not None:
        grant_level(actor, application, level, today)
    letters.store_at_decision(application, actor.id)
    audit(
        "application.decided",
        application,
        actor=actor,
        decision=decision,
        deferred_until=application.deferred_until.isoformat() if application.deferred_until else None,
        certificate_id=application.certificate_id,
        signature_sha256=application.signature_sha256,
    )
    messages = {
        Recommendation.ACCREDIT: _("The panel accredited you. Your certificate is issued."),
        Recommendation.DEFER: _(
            "The panel deferred your application, with actions to complete before %(day)s.",
            day=deferred_until.isoformat() if deferred_until else "",
        ),
        Recommendation.DECLINE: _("The panel declined your application for accreditation."),
    }
    notify(
        application.trainee_id,
        association_id,
        messages[Recommendation(decision)],
        link_to("applications.detail", application_id=application.id),
        email_subject=_("The panel's decision on your application for accreditation"),
    )
    return application


# --- status levels (kept in ``app.statuslevels``) -----------------------------------------------


def grant_level(
    actor: User, application: AccreditationApplication, level: str, since: dt.date
) -> PersonStatusLevel | None:
    """The status level accreditation confers, from ``since``, unless already held then."""
    if permissions.held_levels(application.trainee_id, application.association_id, since) & {level}:
        return None
    return status_levels.grant(
        actor, application.association_id, application.trainee_id, level, since, application_id=application.id
    )


levels_of = status_levels.levels_of


def holds_level(user_id: int, association_id: int, level: str, on: dt.date | None = None) -> bool:
    """Whether the person holds ``level`` here on ``on`` (today): for rules and permissions."""
    return level in permissions.held_levels(user_id, association_id, on or dt.date.today())

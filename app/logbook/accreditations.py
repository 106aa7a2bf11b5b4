"""Supervisor accreditation: the periods in which an association recognises a supervisor's signature."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import policy
from app.accounts.models import Membership, Role, User
from app.audit.services import record as audit
from app.errors import NotFound, ValidationError
from app.extensions import db
from app.logbook.models import SupervisorAccreditation
from app.logbook.validation import EARLIEST


def is_accredited_on(supervisor_id: int, association_id: int, day: date) -> bool:
    """One query: does any accreditation period of the supervisor cover ``day``?"""
    return bool(
        db.session.scalar(
            select(func.count(SupervisorAccreditation.id)).where(
                SupervisorAccreditation.supervisor_id == supervisor_id,
                SupervisorAccreditation.association_id == association_id,
                SupervisorAccreditation.valid_from <= day,
                (SupervisorAccreditation.valid_until.is_(None))
                | (SupervisorAccreditation.valid_until >= day),
            )
        )
    )


@dataclass(frozen=True)
class SupervisorStanding:
    supervisor: User
    periods: list[SupervisorAccreditation]
    is_accredited_today: bool


def list_standing(actor: User, association_id: int, *, today: date) -> list[SupervisorStanding]:
    """Every supervisor of the association with their accreditation periods, for the admin page."""
    policy.require_admin(actor, association_id)
    supervisors = list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.association_id == association_id,
                Membership.role == Role.SUPERVISOR.value,
                Membership.is_active.is_(True),
            )
            .order_by(func.lower(User.name))
        )
    )
    periods: dict[int, list[SupervisorAccreditation]] = {}
    for period in db.session.scalars(
        select(SupervisorAccreditation)
        .where(SupervisorAccreditation.association_id == association_id)
        .order_by(SupervisorAccreditation.valid_from.desc())
    ):
        periods.setdefault(period.supervisor_id, []).append(period)
    return [
        SupervisorStanding(
            supervisor=user,
            periods=periods.get(user.id, []),
            is_accredited_today=any(p.is_valid_on(today) for p in periods.get(user.id, [])),
        )
        for user in supervisors
    ]


def grant(
    actor: User,
    association_id: int,
    *,
    supervisor_id: int | None,
    valid_from: date | None,
    valid_until: date | None,
    note: str = "",
) -> SupervisorAccreditation:
    """Record that a supervisor is accredited from ``valid_from`` (until ``valid_until``, if set)."""
    policy.require_admin(actor, association_id)
    fields: dict[str, list[str]] = {}
    is_supervisor = supervisor_id is not None and db.session.scalar(
        select(Membership.id).where(
            Membership.association_id == association_id,
            Membership.user_id == supervisor_id,
            Membership.role == Role.SUPERVISOR.value,
            Membership.is_active.is_(True),
        )
    )
    if not is_supervisor:
        fields["supervisor_id"] = [_("Choose a supervisor of this association.")]
    if valid_from is None:
        fields["valid_from"] = [_("Enter the first day of the accreditation.")]
    elif valid_from < EARLIEST:
        fields["valid_from"] = [_("Check the year: this date is before 1960.")]
    if valid_from and valid_until and valid_until < valid_from:
        fields["valid_until"] = [_("The last day cannot be before the first day.")]
    if len(note) > 200:
        fields["note"] = [_("Keep the note under 200 characters.")]
    if fields:
        raise ValidationError(_("Please correct the highlighted fields."), fields=fields)
    accreditation = SupervisorAccreditation(
        association_id=association_id,
        supervisor_id=supervisor_id,
        valid_from=valid_from,
        valid_until=valid_until,
        note=note.strip(),
        granted_by_id=actor.id,
    )
    db.session.add(accreditation)
    db.session.flush()
    audit(
        "logbook.accreditation_granted",
        accreditation,
        actor=actor,
        supervisor_id=supervisor_id,
        valid_from=valid_from.isoformat(),
        valid_until=valid_until.isoformat() if valid_until else None,
    )
    return accreditation


def end(
    actor: User, association_id: int, accreditation_id: int, *, today: date
) -> SupervisorAccreditation | None:
    """End a period: it covers yesterday at the latest, so from today the supervisor cannot sign.

    A period that had not begun yet is removed instead. Either way the audit trail keeps
    the dates it had. Returns the shortened period, or None when it was removed.
    """
    policy.require_admin(actor, association_id)
    accreditation = db.session.get(SupervisorAccreditation, accreditation_id)
    if accreditation is None or accreditation.association_id != association_id:
        raise NotFound(_("No such accreditation."))
    before = {
        "valid_from": accreditation.valid_from.isoformat(),
        "valid_until": accreditation.valid_until.isoformat() if accreditation.valid_until else None,
    }
    yesterday = today - timedelta(days=1)
    if accreditation.valid_from > yesterday:
        audit("logbook.accreditation_removed", accreditation, actor=actor, **before)
        db.session.delete(accreditation)
        return None
    if accreditation.valid_until is None or accreditation.valid_until > yesterday:
        accreditation.valid_until = yesterday
    audit(
        "logbook.accreditation_ended",
        accreditation,
        actor=actor,
        before=before,
        valid_until=yesterday.isoformat(),
    )
    return accreditation

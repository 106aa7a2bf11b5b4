"""Declaring status levels, granting and ending them, and saying which levels each permission
asks for: the admins' work, audited. Reading who holds what is open to the services that
need it (``permissions``, the rule engine's sources)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app import policy
from app.accounts.models import Membership, User
from app.audit.services import record as audit
from app.errors import NotFound, ValidationError
from app.extensions import db
from app.statuslevels.models import Permission, PersonStatusLevel, StatusLevelDefinition, StatusPermission

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PERMISSION_LABELS = {
    Permission.SUPERVISE: _l("Be assigned as a trainee's supervisor"),
    Permission.CONFIRM_ATTENDANCE: _l("Issue attendance confirmations to group members"),
    Permission.OBSERVE: _l("Observe a trainee leading a group session"),
}
#: What applies when a permission lists no level: the rule from before status levels.
EARLIER_RULES = {
    Permission.SUPERVISE: _l("No level required: any supervisor of the association."),
    Permission.CONFIRM_ATTENDANCE: _l("No level required: a leader marked accredited on the group."),
    Permission.OBSERVE: _l("No level required: any supervisor of the association."),
}


def definitions(association_id: int) -> list[StatusLevelDefinition]:
    """The association's levels, in its order."""
    return list(
        db.session.scalars(
            select(StatusLevelDefinition)
            .where(StatusLevelDefinition.association_id == association_id)
            .order_by(StatusLevelDefinition.position, StatusLevelDefinition.id)
        )
    )


def slugs(association_id: int) -> list[str]:
    return [definition.slug for definition in definitions(association_id)]


def accreditation_level(association_id: int) -> str | None:
    """The level the panel's accreditation grants unless told otherwise."""
    return db.session.scalar(
        select(StatusLevelDefinition.slug)
        .where(
            StatusLevelDefinition.association_id == association_id,
            StatusLevelDefinition.is_granted_on_accreditation.is_(True),
        )
        .order_by(StatusLevelDefinition.position)
        .limit(1)
    )


def label_of(association_id: int, slug: str) -> str:
    """The association's word for a level (the slug where it declares none)."""
    label = db.session.scalar(
        select(StatusLevelDefinition.label).where(
            StatusLevelDefinition.association_id == association_id, StatusLevelDefinition.slug == slug
        )
    )
    return label or slug


def levels_of(user_id: int, association_id: int) -> list[PersonStatusLevel]:
    """Every status level the person has held here, newest first."""
    return list(
        db.session.scalars(
            select(PersonStatusLevel)
            .where(PersonStatusLevel.user_id == user_id, PersonStatusLevel.association_id == association_id)
            .order_by(PersonStatusLevel.since.desc(), PersonStatusLevel.id.desc())
        )
    )


# --- the admins' page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    definitions: list[StatusLevelDefinition]
    permissions: dict[str, list[str]]  # permission -> level slugs
    holdings: list[PersonStatusLevel]  # current and past, newest first, with the holder loaded
    members: list[User]  # people a level can be granted to


def overview(actor: User, association_id: int) -> Overview:
    """Everything the status levels page shows, in four queries."""
    policy.require_admin(actor, association_id)
    permissions: dict[str, list[str]] = {permission.value: [] for permission in Permission}
    for permission, level in db.session.execute(
        select(StatusPermission.permission, StatusPermission.level)
        .where(StatusPermission.association_id == association_id)
        .order_by(StatusPermission.level)
    ):
        permissions.setdefault(permission, []).append(level)
    holdings = list(
        db.session.scalars(
            select(PersonStatusLevel)
            .options(joinedload(PersonStatusLevel.holder))
            .where(PersonStatusLevel.association_id == association_id)
            .order_by(
                PersonStatusLevel.until.is_not(None),
                PersonStatusLevel.since.desc(),
                PersonStatusLevel.id.desc(),
            )
        )
    )
    members = list(
        db.session.scalars(
            select(User)
            .where(
                User.id.in_(
                    select(Membership.user_id).where(
                        Membership.association_id == association_id, Membership.is_active.is_(True)
                    )
                ),
                User.is_enabled.is_(True),
            )
            .order_by(func.lower(User.name))
        )
    )
    return Overview(definitions(association_id), permissions, holdings, members)


def define_level(actor: User, association_id: int, slug: str, label: str) -> StatusLevelDefinition:
    """Declare a new level (its slug is what rule sets name; it cannot change afterwards)."""
    policy.require_admin(actor, association_id)
    slug, label = (slug or "").strip().lower(), " ".join((label or "").split())
    problems: dict[str, list[str]] = {}
    if not SLUG.match(slug) or len(slug) > 40:
        problems["slug"] = [_("Lower-case letters, digits and hyphens, at most 40 (e.g. leader-trainer).")]
    elif slug in slugs(association_id):
        problems["slug"] = [_("This association already has a level named so.")]
    if not label or len(label) > 120:
        problems["label"] = [_("Enter the level's name, at most 120 characters.")]
    if problems:
        raise ValidationError(_("Check the new level."), fields=problems)
    position = db.session.scalar(
        select(func.coalesce(func.max(StatusLevelDefinition.position), -1)).where(
            StatusLevelDefinition.association_id == association_id
        )
    )
    definition = StatusLevelDefinition(
        association_id=association_id, slug=slug, label=label, position=position + 1
    )
    db.session.add(definition)
    db.session.flush()
    audit("status_level.defined", definition, actor=actor, slug=slug, label=label)
    return definition


def set_accreditation_level(actor: User, association_id: int, slug: str) -> str:
    """Which level the panel's accreditation grants unless the deciding admin picks another."""
    policy.require_admin(actor, association_id)
    declared = definitions(association_id)
    if slug not in {definition.slug for definition in declared}:
        raise ValidationError(
            _("Choose one of the association's levels."), fields={"level": [_("Choose one of the options.")]}
        )
    for definition in declared:
        definition.is_granted_on_accreditation = definition.slug == slug
    db.session.flush()
    audit(
        "status_level.accreditation_level_set",
        actor=actor,
        association_id=association_id,
        object_type="Association",
        object_id=association_id,
        level=slug,
    )
    return slug


def set_permission(actor: User, association_id: int, permission: str, levels: list[str]) -> list[str]:
    """Which levels allow ``permission`` from now on (none: the earlier rule applies)."""
    policy.require_admin(actor, association_id)
    if permission not in {p.value for p in Permission}:
        raise NotFound(_("No such permission."))
    known = slugs(association_id)
    wanted = sorted(set(levels))
    unknown = [level for level in wanted if level not in known]
    if unknown:
        raise ValidationError(
            _("Choose levels the association declares."),
            fields={"levels": [_("Unknown level: %(l)s", l=unknown[0])]},
        )
    before = sorted(
        db.session.scalars(
            select(StatusPermission.level).where(
                StatusPermission.association_id == association_id, StatusPermission.permission == permission
            )
        )
    )
    for row in db.session.scalars(
        select(StatusPermission).where(
            StatusPermission.association_id == association_id, StatusPermission.permission == permission
        )
    ):
        if row.level not in wanted:
            db.session.delete(row)
    for level in wanted:
        if level not in before:
            db.session.add(
                StatusPermission(association_id=association_id, permission=permission, level=level)
            )
    db.session.flush()
    audit(
        "status_level.permission_set",
        actor=actor,
        association_id=association_id,
        object_type="Association",
        object_id=association_id,
        permission=permission,
        before=before,
        after=wanted,
    )
    return wanted


def grant(
    actor: User | None,
    association_id: int,
    user_id: int,
    level: str,
    since: dt.date,
    until: dt.date | None = None,
    *,
    application_id: int | None = None,
) -> PersonStatusLevel:
    """Grant a level from ``since`` (until ``until``, if given). The panel's accreditation and
    the admins' page both come here; an admin's grant is checked for the admin role."""
    if application_id is None:
        policy.require_admin(actor, association_id)
    problems: dict[str, list[str]] = {}
    if level not in slugs(association_id):
        problems["level"] = [_("Choose one of the association's levels.")]
    if since is None:
        problems["since"] = [_("Enter the day the level is held from.")]
    elif until is not None and until < since:
        problems["until"] = [_("The level ends before it begins.")]
    member = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user_id,
            Membership.association_id == association_id,
            Membership.is_active.is_(True),
        )
    )
    if member is None:
        problems["user_id"] = [_("Choose a member of the association.")]
    if problems:
        raise ValidationError(_("Check the level to grant."), fields=problems)
    overlapping = db.session.scalar(
        select(PersonStatusLevel.id).where(
            PersonStatusLevel.user_id == user_id,
            PersonStatusLevel.association_id == association_id,
            PersonStatusLevel.level == level,
            or_(PersonStatusLevel.until.is_(None), PersonStatusLevel.until >= since),
            PersonStatusLevel.since <= (until or dt.date.max),
        )
    )
    if overlapping is not None:
        raise ValidationError(
            _("The person already holds this level for part of that period."),
            fields={"since": [_("End the current period first, or choose other dates.")]},
        )
    row = PersonStatusLevel(
        user_id=user_id,
        association_id=association_id,
        level=level,
        since=since,
        until=until,
        application_id=application_id,
        granted_by_id=actor.id if actor is not None else None,
    )
    db.session.add(row)
    db.session.flush()
    audit(
        "status_level.granted",
        actor=actor,
        association_id=association_id,
        object_type="User",
        object_id=user_id,
        level=level,
        since=since.isoformat(),
        until=until.isoformat() if until else None,
        holding_id=row.id,
        application_id=application_id,
    )
    return row


def end(actor: User, association_id: int, holding_id: int, until: dt.date) -> PersonStatusLevel:
    """End a held level on ``until`` (the last day it is held). Earlier days keep it: records
    dated inside the period still count as made with a holder of the level."""
    policy.require_admin(actor, association_id)
    row = db.session.get(PersonStatusLevel, holding_id)
    if row is None or row.association_id != association_id:
        raise NotFound(_("No such status level."))
    if until is None or until < row.since:
        raise ValidationError(
            _("Check the last day."), fields={"until": [_("The last day cannot be before the level began.")]}
        )
    if row.until is not None and row.until <= until:
        raise ValidationError(
            _("Check the last day."), fields={"until": [_("The level already ends on or before that day.")]}
        )
    before = row.until
    row.until = until
    row.ended_by_id = actor.id
    db.session.flush()
    audit(
        "status_level.ended",
        actor=actor,
        association_id=association_id,
        object_type="User",
        object_id=row.user_id,
        level=row.level,
        until=until.isoformat(),
        before=before.isoformat() if before else None,
        holding_id=row.id,
    )
    return row

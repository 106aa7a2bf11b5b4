"""Which status level a permission asks for, and whether a person holds it on a day.

The services that assign a supervisor, issue an attendance confirmation or assign an
observer ask here (through ``app.policy``), never the views. A permission with no level
listed asks for none: the association's earlier rule applies alone (any supervisor may
supervise or observe; a leader marked accredited on the group confirms attendance).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.extensions import db
from app.statuslevels.models import Permission, PersonStatusLevel, StatusLevelDefinition, StatusPermission


def required_levels(association_id: int, permission: str) -> tuple[str, ...]:
    """The levels that allow ``permission`` here (any one of them will do); () for none."""
    return tuple(
        db.session.scalars(
            select(StatusPermission.level)
            .where(
                StatusPermission.association_id == association_id, StatusPermission.permission == permission
            )
            .order_by(StatusPermission.level)
        )
    )


def held_levels(user_id: int, association_id: int, on: dt.date) -> set[str]:
    """The levels the person holds here on ``on``."""
    return set(
        db.session.scalars(
            select(PersonStatusLevel.level).where(
                PersonStatusLevel.user_id == user_id,
                PersonStatusLevel.association_id == association_id,
                PersonStatusLevel.since <= on,
                or_(PersonStatusLevel.until.is_(None), PersonStatusLevel.until >= on),
            )
        )
    )


def holders(user_ids: Iterable[int], association_id: int, levels: Iterable[str], on: dt.date) -> set[int]:
    """Of ``user_ids``, those who hold one of ``levels`` here on ``on`` (one query)."""
    user_ids, levels = list(user_ids), list(levels)
    if not user_ids or not levels:
        return set()
    return set(
        db.session.scalars(
            select(PersonStatusLevel.user_id).where(
                PersonStatusLevel.user_id.in_(user_ids),
                PersonStatusLevel.association_id == association_id,
                PersonStatusLevel.level.in_(levels),
                PersonStatusLevel.since <= on,
                or_(PersonStatusLevel.until.is_(None), PersonStatusLevel.until >= on),
            )
        )
    )


def allows(user_id: int, association_id: int, permission: str, on: dt.date | None = None) -> bool | None:
    """True or False when the permission asks for a level; None when it asks for none."""
    needed = required_levels(association_id, permission)
    if not needed:
        return None
    return bool(holders([user_id], association_id, needed, on or dt.date.today()))


def level_labels(association_id: int, slugs: Iterable[str]) -> list[str]:
    """The association's words for these levels, in its order (the slug where undeclared)."""
    slugs = list(slugs)
    rows = db.session.execute(
        select(StatusLevelDefinition.slug, StatusLevelDefinition.label)
        .where(StatusLevelDefinition.association_id == association_id, StatusLevelDefinition.slug.in_(slugs))
        .order_by(StatusLevelDefinition.position, StatusLevelDefinition.id)
    ).all()
    named = {slug: label for slug, label in rows}
    return [named[slug] for slug, _label in rows] + [slug for slug in slugs if slug not in named]


def refusal(association_id: int, permission: str, name: str | None = None) -> str:
    """Why someone may not do this: the levels that would allow it, in words."""
    labels = level_labels(association_id, required_levels(association_id, permission))
    if len(labels) == 1:
        levels = _("the status level %(level)s", level=labels[0])
    else:
        levels = _(
            "one of the status levels %(levels)s or %(last)s", levels=", ".join(labels[:-1]), last=labels[-1]
        )
    who = name or _("You")
    if permission == Permission.SUPERVISE:
        return _(
            "%(who)s cannot be assigned as a supervisor: supervising here requires %(levels)s.",
            who=who,
            levels=levels,
        )
    if permission == Permission.OBSERVE:
        return _(
            "%(who)s cannot observe: observing here requires %(levels)s.",
            who=who,
            levels=levels,
        )
    return _(
        "Only a leader of the group who holds %(levels)s issues attendance confirmations; "
        "other leaders record attendance on the run sheet.",
        levels=levels,
    )

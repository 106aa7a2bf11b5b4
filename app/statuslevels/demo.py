"""Demo status levels: both supervisors are accredited leaders (one a training leader too, one
a supervisor-leader), and the second supervisor's earlier level shows an ended period, so the
status levels page, the rules that read levels and the attendance confirmations have
something to show. Idempotent."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.statuslevels import services
from app.statuslevels.models import PersonStatusLevel

#: e-mail, level, years ago it began, years ago it ended (None: held now)
LEVELS = (
    ("supervisor@demo.test", "certified-leader", 8, None),
    ("supervisor@demo.test", "supervisor-leader", 3, None),
    ("supervisor2@demo.test", "certified-leader", 6, None),
    ("supervisor2@demo.test", "training-leader", 5, 4),
    ("supervisor2@demo.test", "training-leader", 2, None),
)


def load(users: dict, associations: dict) -> None:
    """``users`` maps demo e-mail to User, ``associations`` maps slug to Association."""
    association, admin = associations["demo"], users["admin@demo.test"]
    if db.session.scalar(
        select(PersonStatusLevel.id).where(PersonStatusLevel.association_id == association.id)
    ):
        return
    today = date.today()
    for email, level, began, ended in LEVELS:
        since = today - timedelta(days=365 * began)
        until = today - timedelta(days=365 * ended) if ended is not None else None
        services.grant(admin, association.id, users[email].id, level, since, until)

"""Writing and reading audit events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.extensions import db
from app.pagination import Page, paginate
from app.policy import require_admin

# Details every event written inside ``context(...)`` carries (how the act was done).
_context: ContextVar[dict[str, object]] = ContextVar("audit_context", default={})  # noqa: B039


@contextmanager
def context(**details: object) -> Iterator[None]:
    """Add ``details`` to every event recorded inside the block (e.g. ``via="email-link"``)."""
    token = _context.set({**_context.get(), **details})
    try:
        yield
    finally:
        _context.reset(token)


def record(
    action: str,
    obj: object | None = None,
    *,
    actor: User | None = None,
    association_id: int | None = None,
    object_type: str | None = None,
    object_id: object | None = None,
    **details: object,
) -> AuditEvent:
    """Add an audit event to the current transaction; it commits with the change it records."""
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
        if association_id is None:
            association_id = getattr(obj, "association_id", None)
    event = AuditEvent(
        association_id=association_id,
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=object_type or "",
        object_id=str(object_id) if object_id is not None else None,
        details={**_context.get(), **details},
    )
    db.session.add(event)
    return event


def _events_query(
    association_id: int,
    *,
    action: str = "",
    actor_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
):
    query = select(AuditEvent).where(AuditEvent.association_id == association_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    if start:
        query = query.where(AuditEvent.created_at >= dt.datetime.combine(start, dt.time(), dt.UTC))
    if end:
        query = query.where(
            AuditEvent.created_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC)
        )
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def list_events(
    actor: User,
    association_id: int,
    *,
    page: int = 1,
    action: str = "",
    actor_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Page:
    """The association's audit trail, newest first, for its admins; filtered by who did
    it, the kind of event and the days (``start`` and ``end`` included)."""
    require_admin(actor, association_id)
    query = _events_query(association_id, action=action, actor_id=actor_id, start=start, end=end)
    return paginate(query.options(selectinload(AuditEvent.actor)), page=page)


CSV_CHUNK = 500


def iter_events(
    actor: User,
    association_id: int,
    *,
    action: str = "",
    actor_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Iterator[list[AuditEvent]]:
    """The filtered trail in chunks of ``CSV_CHUNK`` events (for the CSV export): one
    chunk in memory at a time."""
    require_admin(actor, association_id)
    query = _events_query(association_id, action=action, actor_id=actor_id, start=start, end=end)
    offset = 0
    while True:
        chunk = list(
            db.session.scalars(query.options(selectinload(AuditEvent.actor)).limit(CSV_CHUNK).offset(offset))
        )
        if not chunk:
            return
        yield chunk
        for event in chunk:
            db.session.expunge(event)
        offset += CSV_CHUNK


def actors(actor: User, association_id: int) -> list[User]:
    """The people who appear in the association's trail, for its filter (one query)."""
    require_admin(actor, association_id)
    ids = select(AuditEvent.actor_id).where(AuditEvent.association_id == association_id).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.name)))

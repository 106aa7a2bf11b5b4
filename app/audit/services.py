"""Writing and reading audit events."""

from __future__ import annotations

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


def list_events(actor: User, association_id: int, *, page: int = 1, action: str = "") -> Page:
    """The association's audit trail, newest first, for its admins."""
    require_admin(actor, association_id)
    query = (
        select(AuditEvent)
        .where(AuditEvent.association_id == association_id)
        .options(selectinload(AuditEvent.actor))
    )
    if action:
        query = query.where(AuditEvent.action == action)
    query = query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    return paginate(query, page=page)

"""Shared test helpers of the logbook: counting queries and building records."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import event

from app.database import utcnow
from app.extensions import db
from app.logbook import records, signoff
from app.logbook.models import SupervisorAccreditation
from app.logbook.validation import EventInput, ObservationInput, SessionInput, SupervisionInput


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect every SQL statement sent to the database inside the block."""
    statements: list[str] = []

    def listener(connection, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def today() -> date:
    return utcnow().date()


def a_session(**changes) -> SessionInput:
    data = SessionInput(
        occurred_on=date(2025, 3, 4),
        role="co-leader",
        minutes=90,
        mode="in-person",
        group_kind="ongoing",
        setting_category="primary-care",
        setting="GP trainees, hospital",
        members=8,
        cases=2,
        co_leader_id=None,
        co_leader_name="Dr Helen Marsh",
        is_co_leader_accredited=True,
        phases=("opening", "presentation", "questions", "push-back", "return", "closing"),
        reflection="I held the frame better this time and waited before speaking.",
    )
    return replace(data, **changes)


def a_supervision(supervisor_id: int, **changes) -> SupervisionInput:
    data = SupervisionInput(
        occurred_on=date(2025, 3, 10),
        minutes=60,
        mode="individual",
        channel="online",
        supervisor_id=supervisor_id,
        has_recording=False,
        notes="How I hold the boundary when members arrive late.",
    )
    return replace(data, **changes)


def an_event(**changes) -> EventInput:
    data = EventInput(
        event_kind="leadership-workshop",
        title="Leadership weekend for new leaders",
        provider="Balint Society UK",
        starts_on=date(2025, 2, 7),
        ends_on=date(2025, 2, 8),
        days=2,
    )
    return replace(data, **changes)


def an_observation(**changes) -> ObservationInput:
    data = ObservationInput(
        occurred_on=date(2025, 4, 1),
        setting="Ongoing GP trainee group, in person",
        outcome="satisfactory",
        report="The trainee protected the presenter and kept the focus on the relationship.",
    )
    return replace(data, **changes)


def accredit(user, association, *, valid_from: date | None = None, valid_until: date | None = None):
    accreditation = SupervisorAccreditation(
        association_id=association.id,
        supervisor_id=user.id,
        valid_from=valid_from or today() - timedelta(days=365),
        valid_until=valid_until,
    )
    db.session.add(accreditation)
    db.session.commit()
    return accreditation


def create(world, data=None, *, submit: bool = False, **kwargs):
    """A record of the world's trainee, through the service, committed."""
    record = records.create_record(
        world.trainee, world.association.id, world.enrolment.id, data or a_session(), submit=submit, **kwargs
    )
    db.session.commit()
    return record


def signed(world, data=None):
    """A session (or ``data``) signed by the world's supervisor, who is accredited for it."""
    if not any(a.supervisor_id == world.supervisor.id for a in db.session.query(SupervisorAccreditation)):
        accredit(world.supervisor, world.association)
    record = create(world, data, submit=True)
    signoff.sign(world.supervisor, world.association.id, record.id)
    db.session.commit()
    return record

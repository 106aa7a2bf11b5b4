"""Reading a logbook: filtered pages of records and totals computed by the database.

Totals are a handful of GROUP BY queries whatever the size of the logbook; only the
current version of a record counts (a reopened record's old version is left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app import policy, summaries
from app.accounts.models import User
from app.extensions import db
from app.logbook import access
from app.logbook.models import (
    EventKind,
    GroupKind,
    LogbookRecord,
    Observation,
    ObservationOutcome,
    RecordKind,
    RecordStatus,
    SessionMode,
    SessionRecord,
    SessionRole,
    SupervisionChannel,
    SupervisionMode,
    SupervisionRecord,
    TrainingEvent,
)
from app.pagination import Page, paginate
from app.programmes.models import Enrolment, EnrolmentStatus, enrolment_supervisor


@dataclass
class Tally:
    records: int = 0
    minutes: int = 0
    cases: int = 0
    days: int = 0

    def add(self, records: int, minutes: int = 0, cases: int = 0, days: int = 0) -> None:
        self.records += records
        self.minutes += minutes or 0
        self.cases += cases or 0
        self.days += days or 0


@dataclass
class Line:
    """One row of a totals table: what is signed, and everything logged (any status)."""

    key: str
    signed: Tally = field(default_factory=Tally)
    logged: Tally = field(default_factory=Tally)

    def add(self, status: str, **amounts: int) -> None:
        self.logged.add(**amounts)
        if status == RecordStatus.SIGNED:
            self.signed.add(**amounts)


def _lines(kind: type) -> dict[str, Line]:
    return {member.value: Line(member.value) for member in kind}


@dataclass
class Totals:
    by_role: dict[str, Line] = field(default_factory=lambda: _lines(SessionRole))
    by_group_kind: dict[str, Line] = field(default_factory=lambda: _lines(GroupKind))
    by_mode: dict[str, Line] = field(default_factory=lambda: _lines(SessionMode))
    sessions: Line = field(default_factory=lambda: Line("sessions"))
    supervision_by_mode: dict[str, Line] = field(default_factory=lambda: _lines(SupervisionMode))
    supervision_by_channel: dict[str, Line] = field(default_factory=lambda: _lines(SupervisionChannel))
    supervision: Line = field(default_factory=lambda: Line("supervision"))
    events_by_kind: dict[str, Line] = field(default_factory=lambda: _lines(EventKind))
    events: Line = field(default_factory=lambda: Line("events"))
    observations_by_outcome: dict[str, Line] = field(default_factory=lambda: _lines(ObservationOutcome))
    observations: Line = field(default_factory=lambda: Line("observations"))

    @property
    def is_empty(self) -> bool:
        return not any(
            line.logged.records for line in (self.sessions, self.supervision, self.events, self.observations)
        )


def totals(enrolment: Enrolment) -> Totals:
    """One aggregate query over the base table and its four kinds, grouped in the database,
    rolled up into the page's tables."""
    result = Totals()
    base = LogbookRecord.__table__
    session_t, supervision_t = SessionRecord.__table__, SupervisionRecord.__table__
    event_t, observation_t = TrainingEvent.__table__, Observation.__table__
    rows = db.session.execute(
        select(
            base.c.kind,
            base.c.status,
            session_t.c.role,
            session_t.c.group_kind,
            session_t.c.mode,
            supervision_t.c.mode,
            supervision_t.c.channel,
            event_t.c.event_kind,
            observation_t.c.outcome,
            func.count(base.c.id),
            func.sum(session_t.c.minutes),
            func.sum(session_t.c.cases),
            func.sum(supervision_t.c.minutes),
            func.sum(event_t.c.days),
        )
        .select_from(
            base.outerjoin(session_t, session_t.c.id == base.c.id)
            .outerjoin(supervision_t, supervision_t.c.id == base.c.id)
            .outerjoin(event_t, event_t.c.id == base.c.id)
            .outerjoin(observation_t, observation_t.c.id == base.c.id)
        )
        .where(base.c.enrolment_id == enrolment.id, access.is_current())
        .group_by(
            base.c.kind,
            base.c.status,
            session_t.c.role,
            session_t.c.group_kind,
            session_t.c.mode,
            supervision_t.c.mode,
            supervision_t.c.channel,
            event_t.c.event_kind,
            observation_t.c.outcome,
        )
    )
    for row in rows:
        kind, status, role, group_kind, session_mode, supervision_mode, channel, event_kind, outcome = row[:9]
        count, session_minutes, cases, supervision_minutes, days = row[9:]
        if kind == RecordKind.SESSION.value:
            for line in (
                result.by_role[role],
                result.by_group_kind[group_kind],
                result.by_mode[session_mode],
                result.sessions,
            ):
                line.add(status, records=count, minutes=session_minutes, cases=cases)
        elif kind == RecordKind.SUPERVISION.value:
            for line in (
                result.supervision_by_mode[supervision_mode],
                result.supervision_by_channel[channel],
                result.supervision,
            ):
                line.add(status, records=count, minutes=supervision_minutes)
        elif kind == RecordKind.EVENT.value:
            for line in (result.events_by_kind[event_kind], result.events):
                line.add(status, records=count, days=days)
        elif kind == RecordKind.OBSERVATION.value:
            for line in (result.observations_by_outcome[outcome], result.observations):
                line.add(status, records=count)
    return result


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def parse(cls, kind: str, status: str, date_from: str, date_to: str) -> Filters:
        """Unknown values are ignored rather than refused: a filter is a view, not input."""
        return cls(
            kind=kind if kind in {k.value for k in RecordKind} else "",
            status=status if status in {s.value for s in RecordStatus} else "",
            date_from=_date(date_from),
            date_to=_date(date_to),
        )

    @property
    def is_active(self) -> bool:
        return bool(self.kind or self.status or self.date_from or self.date_to)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def list_records(enrolment: Enrolment, filters: Filters, *, page: int = 1) -> Page:
    """A page of the logbook's current records, newest first; the caller checked access."""
    query = select(LogbookRecord).where(LogbookRecord.enrolment_id == enrolment.id, access.is_current())
    if filters.kind:
        query = query.where(LogbookRecord.kind == filters.kind)
    if filters.status:
        query = query.where(LogbookRecord.status == filters.status)
    if filters.date_from:
        query = query.where(LogbookRecord.occurred_on >= filters.date_from)
    if filters.date_to:
        query = query.where(LogbookRecord.occurred_on <= filters.date_to)
    query = query.options(  # joined: the count of statements must not depend on the kinds shown
        joinedload(SupervisionRecord.supervisor),
        joinedload(Observation.observer),
        joinedload(LogbookRecord.signer),
    )
    return paginate(query.order_by(LogbookRecord.occurred_on.desc(), LogbookRecord.id.desc()), page=page)


def status_counts(user: User, association_id: int) -> dict[str, int]:
    """How many of the trainee's own current records are in each status (one query)."""
    if not policy.is_trainee(user, association_id):
        return {}
    return {
        status: int(count) for status, count in summaries.read(status_numbers(user, association_id)).items()
    }


def status_numbers(user: User, association_id: int) -> summaries.Numbers:
    """``status_counts`` as numbers the home page fetches with its others (one statement)."""
    return summaries.Numbers(
        f"logbook_by_status:{user.id}:{association_id}",
        select(LogbookRecord.status, func.count(LogbookRecord.id))
        .join(Enrolment, Enrolment.id == LogbookRecord.enrolment_id)
        .where(
            Enrolment.trainee_id == user.id,
            LogbookRecord.association_id == association_id,
            LogbookRecord.kind != RecordKind.OBSERVATION.value,
            access.is_current(),
        )
        .group_by(LogbookRecord.status),
    )


def viewable_enrolments(actor: User, association_id: int, *, page: int = 1) -> Page:
    """The logbooks the actor may open: every one for admins, else their own and those they supervise."""
    policy.require_member(actor, association_id)
    query = (
        select(Enrolment)
        .join(User, User.id == Enrolment.trainee_id)
        .where(Enrolment.association_id == association_id)
        .options(
            selectinload(Enrolment.trainee),
            selectinload(Enrolment.programme),
            selectinload(Enrolment.supervisors),
        )
    )
    if not policy.is_admin(actor, association_id):
        mine = []
        if policy.is_supervisor(actor, association_id):
            mine.append(
                Enrolment.id.in_(
                    select(enrolment_supervisor.c.enrolment_id).where(
                        enrolment_supervisor.c.supervisor_id == actor.id
                    )
                )
            )
        if policy.is_trainee(actor, association_id):
            mine.append(Enrolment.trainee_id == actor.id)
        query = query.where(or_(*mine)) if mine else query.where(false())
    return paginate(query.order_by(func.lower(User.name), Enrolment.id), page=page)


def observable_enrolments(actor: User, association_id: int) -> list[Enrolment]:
    """Active enrolments a supervisor may record an observation for: anyone's but their own."""
    policy.require_supervisor(actor, association_id)
    return list(
        db.session.scalars(
            select(Enrolment)
            .join(User, User.id == Enrolment.trainee_id)
            .where(
                Enrolment.association_id == association_id,
                Enrolment.status == EnrolmentStatus.ACTIVE.value,
                Enrolment.trainee_id != actor.id,
            )
            .options(selectinload(Enrolment.trainee), selectinload(Enrolment.programme))
            .order_by(func.lower(User.name), Enrolment.id)
        )
    )

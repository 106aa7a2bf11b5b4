"""The admin's dashboard: the numbers an admin looks for first, and the lists behind them.

Every number is one scalar subquery of a single statement (``numbers``), whatever the size
of the association, and every list behind a number is paginated: a home page read by an
association of 10,000 trainees costs what it costs for ten. The rules are the ones the
rest of the app applies: "stalled" is the stalled-progress reminder's rule
(``jobs.reminders``: no new logbook record for ``REMINDER_STALLED_DAYS`` days), "expiring"
is the certificate register's filter (``records.EXPIRING``: in force, last valid day within
90 days), so the number and the list behind it agree.

Ready for a certificate has no number here: it needs every active trainee's progress
judged against their rule set (``records.ready_list``), which is the ready list's own work;
the dashboard links to that one list instead of counting it a second way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import User
from app.certificates import records
from app.certificates.models import Certificate, CertificateStatus
from app.database import utcnow
from app.extensions import db
from app.logbook.kinds import RecordStatus
from app.logbook.models import LogbookRecord
from app.pagination import Page, paginate
from app.programmes.models import Enrolment, EnrolmentStatus

#: A record waiting longer than this for its signature is shown as overdue.
WAITING_DAYS = 14


@dataclass(frozen=True)
class Numbers:
    """The dashboard's figures for one association."""

    active: int
    completed: int
    withdrawn: int
    certified: int  # certificates in force (the register's 'valid' filter)
    waiting_overdue: int  # records submitted for signature more than WAITING_DAYS ago
    expiring: int  # certificates in force whose last day is within records.EXPIRING_DAYS
    stalled: int  # active enrolments without a new logbook record for the configured days


def stalled_days() -> int:
    return current_app.config["REMINDER_STALLED_DAYS"]


def _count(query) -> object:
    return query.with_only_columns(func.count()).scalar_subquery()


def _enrolments(association_id: int, status: EnrolmentStatus):
    return select(Enrolment.id).where(
        Enrolment.association_id == association_id, Enrolment.status == status.value
    )


def _waiting_query(association_id: int, now: dt.datetime):
    return select(LogbookRecord).where(
        LogbookRecord.association_id == association_id,
        LogbookRecord.status == RecordStatus.SUBMITTED.value,
        LogbookRecord.submitted_at < now - dt.timedelta(days=WAITING_DAYS),
    )


def _stalled_query(association_id: int, now: dt.datetime):
    """Active enrolments with no logbook record created since the cut-off (or none at all
    and started before it): the reminder's rule, as one query.

    Each trainee is asked "any record since the cut-off?" through the (enrolment, created)
    index; finding every trainee's latest record first read all their records (issue 14).
    The start date comes first in the OR: PostgreSQL tries an OR's arms in the order
    written, and for anyone who started before the cut-off it spares asking the index
    whether they have any record at all (10,000 index lookups on the admin's home).
    """
    cutoff = now - dt.timedelta(days=stalled_days())
    record = LogbookRecord.__table__  # the table alone: no join to each kind's table
    recent = exists().where(record.c.enrolment_id == Enrolment.id, record.c.created_at >= cutoff)
    any_record = exists().where(record.c.enrolment_id == Enrolment.id)
    last_at = (
        select(func.max(record.c.created_at)).where(record.c.enrolment_id == Enrolment.id).scalar_subquery()
    )
    return select(Enrolment, last_at.label("last_at")).where(
        Enrolment.association_id == association_id,
        Enrolment.status == EnrolmentStatus.ACTIVE.value,
        ~recent,
        or_(Enrolment.started_on <= cutoff.date(), any_record),
    )


def numbers(actor: User, association_id: int, *, now: dt.datetime | None = None) -> Numbers:
    """Every figure of the dashboard, in one SQL statement."""
    policy.require_admin(actor, association_id)
    now = now or utcnow()
    today = now.date()
    certified = select(func.count(Certificate.id)).where(
        Certificate.association_id == association_id,
        records.status_condition(CertificateStatus.VALID.value, today),
    )
    expiring = select(func.count(Certificate.id)).where(
        Certificate.association_id == association_id, records.status_condition(records.EXPIRING, today)
    )
    row = db.session.execute(
        select(
            _count(_enrolments(association_id, EnrolmentStatus.ACTIVE)),
            _count(_enrolments(association_id, EnrolmentStatus.COMPLETED)),
            _count(_enrolments(association_id, EnrolmentStatus.WITHDRAWN)),
            certified.scalar_subquery(),
            _count(_waiting_query(association_id, now)),
            expiring.scalar_subquery(),
            select(func.count())
            .select_from(_stalled_query(association_id, now).subquery())
            .scalar_subquery(),
        )
    ).one()
    return Numbers(*row)


def waiting_signoffs(
    actor: User, association_id: int, *, page: int = 1, now: dt.datetime | None = None
) -> Page:
    """Records waiting for a signature more than ``WAITING_DAYS``, longest-waiting first."""
    policy.require_admin(actor, association_id)
    query = (
        _waiting_query(association_id, now or utcnow())
        .options(
            selectinload(LogbookRecord.enrolment).selectinload(Enrolment.trainee),
            selectinload(LogbookRecord.enrolment).selectinload(Enrolment.supervisors),
        )
        .order_by(LogbookRecord.submitted_at, LogbookRecord.id)
    )
    return paginate(query, page=page)


@dataclass(frozen=True)
class StalledTrainee:
    enrolment: Enrolment
    last_record_at: dt.datetime | None  # None: nothing recorded since they started


def stalled_trainees(
    actor: User, association_id: int, *, page: int = 1, now: dt.datetime | None = None
) -> Page:
    """Active trainees whose logbook has stood still for the configured days, longest first."""
    policy.require_admin(actor, association_id)
    query = _stalled_query(association_id, now or utcnow())
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    per_page = current_app.config["PAGE_SIZE"]
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    last_at = query.selected_columns.last_at
    rows = db.session.execute(
        query.options(selectinload(Enrolment.trainee), selectinload(Enrolment.programme))
        .order_by(last_at.is_not(None), last_at, Enrolment.started_on, Enrolment.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [StalledTrainee(enrolment, last_at) for enrolment, last_at in rows]
    return Page(items=items, page=page, per_page=per_page, total=total)

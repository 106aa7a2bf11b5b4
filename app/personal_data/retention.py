"""Retention: an association deletes drafts and unsigned work left untouched for years.

Run as a scheduled job (and by hand with `flask --app wsgi retention run`); a dry run
lists what would go without deleting anything, so an admin can see the effect of a
setting before it applies. Signed records, reviewed reflections, reports and
certificates are never touched: the association keeps them as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.accounts.models import Association, User
from app.attachments.services import forget as forget_evidence
from app.audit.services import record as audit
from app.errors import ValidationError
from app.extensions import db
from app.logbook.models import LogbookRecord, RecordStatus
from app.logbook.records import discard_unsigned
from app.vignettes.models import Reflection, ReflectionStatus

MAX_YEARS = 50


@dataclass
class RetentionRun:
    """What one run deleted (or, in a dry run, would delete)."""

    association_id: int
    years: int | None
    cutoff: datetime | None
    is_dry_run: bool
    record_ids: list[int] = field(default_factory=list)
    reflection_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.record_ids) + len(self.reflection_ids)


def set_retention(actor: User, association_id: int, years: int | None) -> Association:
    policy.require_admin(actor, association_id)
    if years is not None and not 1 <= years <= MAX_YEARS:
        raise ValidationError(
            _("Please correct the highlighted fields."),
            fields={"years": [_("Enter a number of years from 1 to %(n)d, or leave it empty.", n=MAX_YEARS)]},
        )
    association = db.session.get(Association, association_id)
    association.retention_years = years
    audit("personal_data.retention_set", association, actor=actor, years=years)
    return association


def _stale_records(association_id: int, cutoff: datetime) -> list[LogbookRecord]:
    return list(
        db.session.scalars(
            select(LogbookRecord)
            .where(
                LogbookRecord.association_id == association_id,
                LogbookRecord.status != RecordStatus.SIGNED.value,
                LogbookRecord.updated_at < cutoff,
            )
            .order_by(LogbookRecord.id)
        )
    )


def _stale_reflections(association_id: int, cutoff: datetime) -> list[Reflection]:
    return list(
        db.session.scalars(
            select(Reflection)
            .where(
                Reflection.association_id == association_id,
                Reflection.status.in_([ReflectionStatus.DRAFT.value, ReflectionStatus.SUBMITTED.value]),
                Reflection.updated_at < cutoff,
            )
            .order_by(Reflection.id)
        )
    )


def run(association_id: int, *, now: datetime, dry_run: bool, actor: User | None = None) -> RetentionRun:
    """Apply the association's setting as of ``now``; nothing happens without one."""
    association = db.session.get(Association, association_id)
    years = association.retention_years
    if years is None:
        return RetentionRun(association_id, None, None, dry_run)
    cutoff = _years_before(now, years)
    records = _stale_records(association_id, cutoff)
    reflections = _stale_reflections(association_id, cutoff)
    result = RetentionRun(
        association_id, years, cutoff, dry_run, [r.id for r in records], [r.id for r in reflections]
    )
    if dry_run:
        return result
    for record in records:
        discard_unsigned(record)
    for reflection in reflections:
        forget_evidence(reflection_id=reflection.id)
        db.session.delete(reflection)
    audit(
        "personal_data.retention_applied",
        association,
        actor=actor,
        years=years,
        records_deleted=len(records),
        reflections_deleted=len(reflections),
    )
    db.session.flush()
    return result


def preview(actor: User, association_id: int, *, now: datetime) -> RetentionRun:
    """The admin's dry run."""
    policy.require_admin(actor, association_id)
    return run(association_id, now=now, dry_run=True)


def run_everywhere(*, now: datetime, dry_run: bool) -> list[RetentionRun]:
    """Every association with a setting: what the scheduled job calls."""
    ids = db.session.scalars(select(Association.id).where(Association.retention_years.is_not(None)))
    return [run(association_id, now=now, dry_run=dry_run) for association_id in list(ids)]


def _years_before(moment: datetime, years: int) -> datetime:
    """The same calendar day ``years`` earlier (28 February for a 29 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)

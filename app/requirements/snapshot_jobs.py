"""The job-queue side of stored progress: recompute snapshots, and all of them after midnight."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from sqlalchemy import select

from app.extensions import db
from app.jobs.queue import app_periodic_task, app_task
from app.programmes.models import Enrolment, EnrolmentStatus


@app_task(retries=2, retry_delay=10)
def refresh_snapshots(enrolment_ids: list[int]) -> int:
    """Evaluate these enrolments and store their snapshots (``snapshots.store``)."""
    from app.requirements import snapshots

    return snapshots.store(enrolment_ids)


def refresh_all(today: dt.date | None = None) -> int:
    """Recompute every active enrolment whose snapshot is not current (all of them after
    midnight: windows, elapsed time and rates are judged on the day)."""
    from app.requirements import snapshots

    today = today or dt.date.today()
    query = select(Enrolment).where(Enrolment.status == EnrolmentStatus.ACTIVE.value)
    ids_query = (
        query.with_only_columns(Enrolment.id)
        .outerjoin(snapshots.ProgressSnapshot, snapshots.ProgressSnapshot.enrolment_id == Enrolment.id)
        .where(snapshots.outdated_condition(today))
        .order_by(Enrolment.id)
    )
    ids = list(db.session.scalars(ids_query))
    stored = 0
    for start in range(0, len(ids), snapshots.CHUNK):
        stored += snapshots.store(ids[start : start + snapshots.CHUNK], today)
        db.session.commit()  # chunk by chunk: a long night's work is not one transaction
    return stored


@app_periodic_task(crontab(minute="5", hour="0"))
def refresh_after_midnight() -> int:
    """At 00:05 every snapshot judged yesterday is judged again for today."""
    return refresh_all()

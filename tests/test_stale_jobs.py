"""A job whose worker died is failed by the sweep, and its starter is told."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.services import fail_stale_jobs
from app.notifications.models import Notification


def _job(world, title: str, state: JobState, started_minutes_ago: int | None) -> Job:
    now = utcnow()
    job = Job(
        kind="logbook_pdf",
        user_id=world.admin.id,
        association_id=world.association.id,
        title=title,
        state=state.value,
        started_at=None if started_minutes_ago is None else now - timedelta(minutes=started_minutes_ago),
    )
    db.session.add(job)
    return job


def test_only_jobs_running_past_the_limit_are_failed_and_their_starter_told(app, world):
    app.config["JOB_STALE_AFTER_MINUTES"] = 120
    orphan = _job(world, "Orphaned export", JobState.RUNNING, 121)
    busy = _job(world, "Long export", JobState.RUNNING, 119)
    waiting = _job(world, "Waiting export", JobState.QUEUED, None)
    done = _job(world, "Old export", JobState.DONE, 600)
    db.session.commit()

    assert fail_stale_jobs(utcnow()) == 1
    db.session.commit()

    assert orphan.state == JobState.FAILED
    assert "worker stopped" in orphan.error
    assert orphan.finished_at is not None
    assert (busy.state, waiting.state, done.state) == (JobState.RUNNING, JobState.QUEUED, JobState.DONE)
    told = db.session.scalars(select(Notification.message).where(Notification.user_id == world.admin.id)).all()
    assert told == ["Could not be prepared: Orphaned export"]
    assert fail_stale_jobs(utcnow()) == 0  # a failed job is not failed (or announced) twice

"""Jobs a person starts and comes back to: start, run with progress, status, result.

A job is a row (``Job``) plus one queued task that carries only the row's id. The
worker runs the job's handler, which reports progress into the row as it goes; the
page of the person who started it polls that row. The result bytes are stored in the
row, so any web process can serve them and no worker disk holds state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from huey import crontab
from sqlalchemy import func, select

from app import policy
from app.accounts.models import User
from app.database import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.queue import app_periodic_task, app_task, enqueue_after_commit
from app.notifications.services import link_to, notify
from app.pagination import Page, paginate
from app.programmes.models import Enrolment


class Progress:
    """What a handler calls to say how far it is; each report is committed at once."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, percent: int, stage: str) -> None:
        self.job.progress = max(self.job.progress, min(99, percent))
        self.job.stage = stage[:200]
        db.session.commit()


#: kind -> handler(job, actor, progress) returning (file name, mimetype, bytes)
HANDLERS: dict[str, Callable[[Job, User, Progress], tuple[str, str, bytes]]] = {}


def handler(kind: str) -> Callable:
    def register(function: Callable) -> Callable:
        HANDLERS[kind] = function
        return function

    return register


def start_job(
    actor: User, association_id: int, kind: str, title: str, *, enrolment_id: int | None = None
) -> Job:
    """Record a job for the actor and queue it to run after the transaction commits.

    The caller has checked that the actor may start it; this records who did.
    """
    if kind not in HANDLERS:
        raise NotFound(_("No such kind of job."))
    job = Job(
        kind=kind,
        user_id=actor.id,
        association_id=association_id,
        enrolment_id=enrolment_id,
        title=title[:200],
        stage=_("Waiting for a free worker…"),
    )
    db.session.add(job)
    db.session.flush()
    job_id = job.id
    enqueue_after_commit(lambda: run_job(job_id))
    return job


@app_task(retries=0)
def run_job(job_id: int) -> None:
    """The worker's side: run the handler, store the result, tell the starter."""
    job = db.session.get(Job, job_id)
    if job is None or job.state != JobState.QUEUED:
        return
    job.state = JobState.RUNNING.value
    job.started_at = utcnow()
    job.progress = 1
    db.session.commit()
    actor = db.session.get(User, job.user_id)
    try:
        name, mimetype, data = HANDLERS[job.kind](job, actor, Progress(job))
    except DomainError as error:
        db.session.rollback()
        _finish(job, JobState.FAILED, error=error.message or _("This job could not be done."))
    except Exception:
        db.session.rollback()
        current_app.logger.exception("job %s (%s) failed", job.id, job.kind)
        _finish(job, JobState.FAILED, error=_("Something went wrong. Please try again later."))
    else:
        job.result_name, job.result_mimetype = name, mimetype
        job.result_data, job.result_size = data, len(data)
        _finish(job, JobState.DONE)


def _finish(job: Job, state: JobState, *, error: str = "") -> None:
    job.state = state.value
    job.finished_at = utcnow()
    job.error = error[:500]
    if state == JobState.DONE:
        job.progress, job.stage = 100, _("Ready.")
        message = _("Ready to download: %(title)s", title=job.title)
    else:
        job.stage = _("Failed.")
        message = _("Could not be prepared: %(title)s", title=job.title)
    notify(job.user_id, job.association_id, message, link_to("jobs.detail", job_id=job.id))


def fail_stale_jobs(now: datetime) -> int:
    """Fail the jobs whose worker died under them; returns how many.

    A worker that is killed or restarted mid-job leaves its row "running", and nothing
    else would ever finish it: its starter would watch a progress bar that never moves
    and could not tell that starting again is the way out. A job still running
    ``JOB_STALE_AFTER_MINUTES`` after it started is failed with a message that says so,
    and its starter is told, like any other failure.
    """
    cutoff = now - timedelta(minutes=current_app.config["JOB_STALE_AFTER_MINUTES"])
    stale = db.session.scalars(
        select(Job).where(Job.state == JobState.RUNNING.value, Job.started_at < cutoff).order_by(Job.id)
    ).all()
    message = _("The worker stopped before this was ready. Please start it again.")
    for job in stale:
        current_app.logger.warning("job %s (%s) failed: running since %s", job.id, job.kind, job.started_at)
        _finish(job, JobState.FAILED, error=message)
    return len(stale)


@app_periodic_task(crontab(minute="*/15"))
def sweep_stale_jobs() -> None:
    """Every quarter of an hour; the task's app context commits."""
    fail_stale_jobs(utcnow())


def get_job(actor: User, association_id: int, job_id: int) -> Job:
    """A job the actor may see; others (and other associations') read as not found."""
    job = db.session.get(Job, job_id)
    if job is None or job.association_id != association_id:
        raise NotFound(_("No such job."))
    enrolment = db.session.get(Enrolment, job.enrolment_id) if job.enrolment_id else None
    if not policy.can_view_job(actor, job, enrolment):
        raise NotFound(_("No such job."))
    return job


def job_status(actor: User, association_id: int, job_id: int) -> dict[str, object]:
    """What the progress page polls: state, percent, stage, and where the result is."""
    job = get_job(actor, association_id, job_id)
    return {
        "id": job.id,
        "state": job.state,
        "progress": job.progress,
        "stage": job.stage,
        "error": job.error,
        "is_finished": job.is_finished,
        "download_url": link_to("jobs.download", job_id=job.id) if job.has_result else None,
        "download_label": _("Download %(name)s", name=job.result_name) if job.has_result else None,
    }


def job_result(actor: User, association_id: int, job_id: int) -> tuple[str, str, bytes]:
    """The stored result of a finished job: (file name, mimetype, bytes)."""
    job = get_job(actor, association_id, job_id)
    if not job.has_result:
        raise NotFound(_("This job has no result yet."))
    return job.result_name, job.result_mimetype, job.result_data or b""


def list_jobs(actor: User, association_id: int, *, page: int = 1) -> Page:
    """The jobs the actor started here, newest first ("my downloads")."""
    policy.require_member(actor, association_id)
    query = (
        select(Job)
        .where(Job.user_id == actor.id, Job.association_id == association_id)
        .order_by(Job.created_at.desc(), Job.id.desc())
    )
    return paginate(query, page=page)


def failed_job_count() -> int:
    return db.session.scalar(select(func.count(Job.id)).where(Job.state == JobState.FAILED)) or 0

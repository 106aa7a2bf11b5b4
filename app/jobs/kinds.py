"""The kinds of job a person can start, each a handler that reports its progress."""

from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.models import User
from app.jobs.models import Job
from app.jobs.services import Progress, handler, start_job
from app.logbook import access, exports

LOGBOOK_PDF = "logbook_pdf"


def start_logbook_pdf(actor: User, association_id: int, enrolment_id: int) -> Job:
    """Queue the printable logbook of an enrolment the actor may read."""
    enrolment = access.get_enrolment(actor, association_id, enrolment_id)
    title = _("Printable logbook of %(name)s", name=enrolment.trainee.name)
    return start_job(actor, association_id, LOGBOOK_PDF, title, enrolment_id=enrolment.id)


@handler(LOGBOOK_PDF)
def _logbook_pdf(job: Job, actor: User, progress: Progress) -> tuple[str, str, bytes]:
    # Checked again in the worker: access may have ended since the job was started.
    name, pdf = exports.logbook_pdf(actor, job.association_id, job.enrolment_id, progress)
    return name, "application/pdf", pdf

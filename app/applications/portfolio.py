"""What an application freezes: the progress snapshot (JSON) and the portfolio PDF.

The snapshot holds each requirement as evaluated on the day of application (status,
how far, what is missing) with the ids of the records that counted, and a line for each
signed logbook record and signed supervisor report: the panel reviews the evidence as it
stood, whatever happens to the live records afterwards. The PDF is rendered from the
snapshot with our own template (``templates/pdf/portfolio.html``), so the page and the
file show the same thing.

Rendering takes seconds for a long portfolio, so it is a job (``prepare``), queued when
the application commits. It reads the application row only (the snapshot, the statement,
the date, and the association's name as frozen in the snapshot), in the association's
language, so the file is the same whenever the job runs. Storing the PDF sets
``portfolio_sha256``; until then the application's pages say the portfolio is being
prepared, and the panel cannot decide (the hash is part of what its decision signs).
"""

from __future__ import annotations

import datetime as dt
import json

from flask import current_app
from flask_babel import force_locale
from huey import crontab
from sqlalchemy import select

from app.accounts.models import Association, User
from app.applications.models import AccreditationApplication
from app.audit.services import record as audit
from app.database import utcnow
from app.documents import services as documents
from app.documents.models import DocumentKind
from app.extensions import db
from app.jobs.queue import app_periodic_task, app_task, enqueue_after_commit
from app.logbook.exports import signed_logbook
from app.pdf import html_to_pdf
from app.programmes.models import Enrolment
from app.requirements.models import CompetencyReport, ReportStatus
from app.requirements.services import Progress

SNAPSHOT_FORMAT = 1


def _outcome(outcome, known_ids: set[int]) -> dict:
    requirement = outcome.requirement
    counted = [int(i) for i in getattr(outcome, "counted", ()) or ()]
    return {
        "id": requirement.id,
        "label": requirement.label,
        "level": getattr(requirement, "level", "essential"),
        "kind": requirement.kind,
        "source": getattr(requirement, "source", "") or "",
        "status": outcome.status,
        "is_satisfied": outcome.is_satisfied,
        "current": outcome.current,
        "required": outcome.required,
        "unit": outcome.unit,
        "missing": outcome.missing,
        "evidence": [i for i in counted if i in known_ids],
        "children": [_outcome(child, known_ids) for child in outcome.children],
    }


def _record_line(record) -> dict:
    line = {
        "id": record.id,
        "kind": record.kind,
        "date": record.occurred_on.isoformat(),
        "signed_by": record.signer.name if record.signer else "",
        "signed_at": record.signed_at.isoformat() if record.signed_at else None,
        "content_hash": record.content_hash,
    }
    for name in ("role", "minutes", "mode", "group_kind", "title", "days", "outcome"):
        value = getattr(record, name, None)
        if value is not None and not callable(value):
            line[name] = value
    return line


def signed_reports(enrolment: Enrolment) -> list[CompetencyReport]:
    return list(
        db.session.scalars(
            select(CompetencyReport)
            .where(
                CompetencyReport.enrolment_id == enrolment.id,
                CompetencyReport.status == ReportStatus.SIGNED.value,
            )
            .order_by(CompetencyReport.period_end, CompetencyReport.id)
        )
    )


def snapshot(progress: Progress) -> dict:
    """The frozen evaluation and its evidence (JSON-ready)."""
    enrolment = progress.enrolment
    logbook = signed_logbook(enrolment)
    records = [_record_line(r) for r in logbook.signatures]
    known = {line["id"] for line in records}
    return {
        "format": SNAPSHOT_FORMAT,
        "as_of": progress.as_of.isoformat(),
        "rule_set": {
            "id": enrolment.rule_set_id,
            "version": enrolment.rule_set.version,
            "title": getattr(progress.rule_set, "title", "") or enrolment.programme.title,
        },
        "programme": enrolment.programme.title,
        "trainee": enrolment.trainee.name,
        "is_ready": progress.evaluation.is_ready,
        "requirements": [_outcome(o, known) for o in progress.evaluation.outcomes],
        "records": sorted(records, key=lambda line: (line["date"], line["id"])),
        "reports": [
            {
                "id": report.id,
                "kind": report.kind,
                "period_end": report.period_end.isoformat(),
                "supervisor": report.supervisor.name,
                "recommendation": report.recommendation,
                "narrative": report.narrative,
                "signed_at": report.signed_at.isoformat() if report.signed_at else None,
                "content_hash": report.content_hash,
            }
            for report in signed_reports(enrolment)
        ],
    }


def snapshot_json(data: dict) -> str:
    """Keys sorted, so equal snapshots are equal text."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def render(
    data: dict, *, association_name: str, applied_on: dt.date, applicant: User, statement: str
) -> bytes:
    """The portfolio PDF from the snapshot (our own template, locked-down fetcher)."""
    # The template alone, without the page frame's context (it also renders outside a request);
    # the association's language, never a visitor's: the job gives the same file whenever it runs.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        html = current_app.jinja_env.get_template("pdf/portfolio.html").render(
            data=data,
            association_name=association_name,
            applied_on=applied_on,
            applicant=applicant,
            statement=statement,
        )
    return html_to_pdf(html, stylesheets=["pdf/logbook.css"])


# --- the job that renders and stores it --------------------------------------------------------

PDF_MEDIA_TYPE = "application/pdf"
#: A portfolio not stored this long after applying is queued again: its job failed every
#: retry (a renderer fault since fixed) or was lost with a queue; the panel waits for it.
REQUEUE_AFTER = dt.timedelta(minutes=15)
REQUEUE_BATCH = 100


def queue(application: AccreditationApplication) -> None:
    """Render the application's portfolio in the worker, once the application is committed."""
    application_id = application.id
    enqueue_after_commit(lambda: prepare(application_id))


@app_task(retries=3, retry_delay=30)
def prepare(application_id: int) -> None:
    """The worker's side of ``queue``: render from the frozen row, store, set the hash.

    Idempotent: an application whose portfolio is stored (or that is gone) is left alone,
    so a retry or a second enqueue never stores a second version.
    """
    application = db.session.get(AccreditationApplication, application_id)
    if application is None or application.portfolio_sha256 is not None:
        return
    data = application.snapshot
    association_name = data.get("association") or db.session.get(Association, application.association_id).name
    pdf = render(
        data,
        association_name=association_name,
        applied_on=application.applied_on,
        applicant=db.session.get(User, application.trainee_id),
        statement=application.statement,
    )
    stored = documents.store(
        DocumentKind.APPLICATION_PORTFOLIO,
        association_id=application.association_id,
        owner_id=application.id,
        content=pdf,
        media_type=PDF_MEDIA_TYPE,
        reason="applied",
        created_by_id=application.trainee_id,
    )
    application.portfolio_sha256 = stored.sha256  # the one change the finality guard allows
    db.session.flush()
    audit(
        "application.portfolio_stored",
        application,
        association_id=application.association_id,
        portfolio_sha256=stored.sha256,
    )


def requeue_waiting(now: dt.datetime) -> int:
    """Queue again the portfolios still waiting ``REQUEUE_AFTER`` after applying; how many."""
    waiting = list(
        db.session.scalars(
            select(AccreditationApplication.id)
            .where(
                AccreditationApplication.portfolio_sha256.is_(None),
                AccreditationApplication.applied_at < now - REQUEUE_AFTER,
            )
            .order_by(AccreditationApplication.id)
            .limit(REQUEUE_BATCH)
        )
    )
    for application_id in waiting:
        current_app.logger.warning("portfolio of application %s not stored yet: queued again", application_id)
        prepare(application_id)
    return len(waiting)


@app_periodic_task(crontab(minute="*/15"))
def requeue_waiting_portfolios() -> None:
    """Every quarter of an hour (``prepare`` is idempotent, so a job still queued does no harm)."""
    requeue_waiting(utcnow())

"""The PDF of an attendance confirmation, rendered by a job, and the member told once it exists.

Issuing (``attendance_confirmations.issue``) records the confirmation with everything the
document says (names, period, hours, the rules it meets) and queues ``prepare`` for after
the commit. The job renders the PDF from that record only, in the association's language,
stores it (``app.documents``), and only then e-mails (and notifies) the member: the mail
never links to a file that is not there yet. Until then the pages say the PDF is being
prepared and the download answers 409 with that message.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from huey import crontab
from sqlalchemy import and_, select

from app.certificates.rendering import qr_data_uri
from app.database import utcnow
from app.documents import services as documents
from app.documents.models import DocumentKind, StoredDocument
from app.extensions import db
from app.groups import participant_rule_sets
from app.groups.attendance_confirmations import PDF_MEDIA_TYPE, SESSION, verify_url
from app.groups.models import AttendanceConfirmation, GroupMember
from app.jobs.queue import app_periodic_task, app_task, enqueue_after_commit
from app.mail import send_mail
from app.notifications.models import Notification
from app.notifications.services import _forget_count, link_to
from app.pdf import BundledAssetFetcher, html_to_pdf

#: A PDF not stored this long after issuing is queued again (its job failed every retry, or
#: was lost with a queue); the member has not been told yet.
REQUEUE_AFTER = timedelta(minutes=15)
REQUEUE_BATCH = 100


def queue(confirmation: AttendanceConfirmation) -> None:
    """Render and store the PDF in the worker, once the confirmation is committed."""
    confirmation_id = confirmation.id
    enqueue_after_commit(lambda: prepare(confirmation_id))


@app_task(retries=3, retry_delay=30)
def prepare(confirmation_id: int) -> None:
    """The worker's side of ``queue``: store the PDF, then tell the member.

    Idempotent: a confirmation whose PDF is stored (or that is gone) is left alone, so a
    retry never stores a second version nor mails the member twice. The PDF and the mail
    commit together (the task's one transaction).
    """
    confirmation = db.session.get(AttendanceConfirmation, confirmation_id)
    if confirmation is None or documents.current(DocumentKind.ATTENDANCE_PDF, confirmation.id) is not None:
        return
    documents.store(
        DocumentKind.ATTENDANCE_PDF,
        association_id=confirmation.association_id,
        owner_id=confirmation.id,
        content=render_pdf(confirmation),
        media_type=PDF_MEDIA_TYPE,
        reason="issued",
        created_by_id=confirmation.issued_by_id,
    )
    if confirmation.is_revoked:  # revoked while the job waited: nothing to announce
        return
    tell_member(confirmation, db.session.get(GroupMember, confirmation.member_id))


def requeue_waiting(now: datetime) -> int:
    """Queue again the confirmations still without a PDF ``REQUEUE_AFTER`` after issuing."""
    stored = and_(
        StoredDocument.kind == DocumentKind.ATTENDANCE_PDF.value,
        StoredDocument.owner_id == AttendanceConfirmation.id,
    )
    waiting = list(
        db.session.scalars(
            select(AttendanceConfirmation.id)
            .outerjoin(StoredDocument, stored)
            .where(StoredDocument.id.is_(None), AttendanceConfirmation.issued_at < now - REQUEUE_AFTER)
            .order_by(AttendanceConfirmation.id)
            .limit(REQUEUE_BATCH)
        )
    )
    for confirmation_id in waiting:
        current_app.logger.warning("attendance PDF %s still not stored: queued again", confirmation_id)
        prepare(confirmation_id)
    return len(waiting)


@app_periodic_task(crontab(minute="*/15"))
def requeue_waiting_pdfs() -> None:
    """Every quarter of an hour (``prepare`` is idempotent, so a job still queued does no harm)."""
    requeue_waiting(utcnow())


def render_pdf(confirmation: AttendanceConfirmation) -> bytes:
    """The PDF, from our template and the confirmation's own record only."""
    url = verify_url(confirmation.serial)
    # The association's language, never a visitor's: the same file whenever the job runs.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        html = current_app.jinja_env.get_template("pdf/attendance.html").render(
            c=confirmation,
            verify_url=url,
            qr=qr_data_uri(url),
            hours=participant_rule_sets.hours,
            rule_set_title=participant_rule_sets.title_as_issued(confirmation.rule_set),
        )
    fetcher = BundledAssetFetcher(Path(current_app.static_folder).resolve())
    return html_to_pdf(html, stylesheets=["pdf/attendance.css"], fetcher=fetcher)


def tell_member(confirmation: AttendanceConfirmation, member: GroupMember) -> None:
    """E-mail the member the verification link; notify them in the app if they have an account."""
    url = verify_url(confirmation.serial)
    what = (
        _("a confirmation of attendance for %(day)s", day=confirmation.period_from.isoformat())
        if confirmation.kind == SESSION
        else _("a certificate of attendance")
    )
    body = "\n".join(
        [
            _("Dear %(name)s,", name=member.name),
            "",
            _(
                "%(issuer)s issued you %(what)s in the group %(group)s.",
                issuer=confirmation.issuer_name,
                what=what,
                group=confirmation.group_name,
            ),
            "",
            _("Anyone can check it here: %(url)s", url=url),
        ]
    )
    send_mail(
        member.email,
        _("Your attendance confirmation %(serial)s", serial=confirmation.serial),
        body,
        association_id=confirmation.association_id,
    )
    if member.user_id is not None:
        # In the app only: the e-mail above already carries the news to the member.
        db.session.add(
            Notification(
                user_id=member.user_id,
                association_id=confirmation.association_id,
                message=_("%(issuer)s issued you %(what)s.", issuer=confirmation.issuer_name, what=what),
                link=link_to("attendance.detail", confirmation_id=confirmation.id),
            )
        )
        _forget_count(member.user_id)

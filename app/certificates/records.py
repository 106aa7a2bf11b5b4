"""Reading certificates: the admins' register, the holder's own, the ready list, downloads.

Downloads serve the bytes stored at issue (``documents``), never a fresh rendering;
``render_issued`` renders again only for the ``flask certificates render`` check.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from app import formatting, policy
from app import search as text_search
from app.accounts.models import User
from app.certificates import archives, documents, rendering, stamping
from app.certificates.models import (
    Certificate,
    CertificateBatch,
    CertificateState,
    CertificateStatus,
    CertificateSuspension,
)
from app.documents.models import DocumentKind
from app.errors import NotFound
from app.extensions import db
from app.pagination import Page, paginate
from app.programmes.models import Enrolment
from app.requirements import snapshots
from app.requirements.models import CompetencyReport, ProgressSnapshot, ReportStatus
from app.requirements.services import Progress, cohort_query
from app.urls import external_url

log = logging.getLogger(__name__)


def get_certificate(actor: User, certificate_id: int) -> Certificate:
    """One certificate for its holder or the association's admins; NotFound for anyone else."""
    certificate = db.session.scalar(
        select(Certificate)
        .where(Certificate.id == certificate_id)
        .options(
            selectinload(Certificate.supersedes),
            selectinload(Certificate.superseded_by),
            selectinload(Certificate.issued_by),
            selectinload(Certificate.revoked_by),
        )
    )
    if certificate is None or not policy.can_view_certificate(actor, certificate):
        raise NotFound(_("No such certificate."))
    return certificate


#: Not a status but a filter of the register: in force, with its last day within
#: ``EXPIRING_DAYS`` (the admin dashboard's "expiring" number links here).
EXPIRING = "expiring"
EXPIRING_DAYS = 90


def status_condition(status: str, today: dt.date):
    """The condition for a status as ``Certificate.status_on`` works it out (a suspension
    wins over expiry)."""
    valid = Certificate.state == CertificateState.VALID.value
    in_date = or_(Certificate.expires_on.is_(None), Certificate.expires_on >= today)
    suspended = (
        select(CertificateSuspension.id)
        .where(
            CertificateSuspension.certificate_id == Certificate.id, CertificateSuspension.lifted_at.is_(None)
        )
        .exists()
    )
    return {
        CertificateStatus.VALID.value: and_(valid, in_date, ~suspended),
        CertificateStatus.SUSPENDED.value: and_(valid, suspended),
        CertificateStatus.EXPIRED.value: and_(valid, Certificate.expires_on < today, ~suspended),
        CertificateStatus.REVOKED.value: Certificate.state == CertificateState.REVOKED.value,
        CertificateStatus.SUPERSEDED.value: Certificate.state == CertificateState.SUPERSEDED.value,
        EXPIRING: and_(
            valid,
            ~suspended,
            Certificate.expires_on >= today,
            Certificate.expires_on <= today + dt.timedelta(days=EXPIRING_DAYS),
        ),
    }.get(status)


def list_certificates(
    actor: User,
    association_id: int,
    *,
    search: str = "",
    status: str = "",
    page: int = 1,
    today: dt.date | None = None,
) -> Page:
    """The association's certificates, newest first, searchable by holder or serial."""
    policy.require_manage_certificates(actor, association_id)
    query = select(Certificate).where(Certificate.association_id == association_id)
    if search.strip():
        query = query.where(text_search.matches(search, Certificate.holder_name, Certificate.serial))
    condition = status_condition(status, today or dt.date.today())
    if condition is not None:
        query = query.where(condition)
    return paginate(query.order_by(Certificate.issued_at.desc(), Certificate.id.desc()), page=page)


def holder_certificates(actor: User, association_id: int) -> list[Certificate]:
    """The actor's own certificates in the association, newest first (one query)."""
    policy.require_member(actor, association_id)
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.association_id == association_id, Certificate.holder_id == actor.id)
            .options(selectinload(Certificate.superseded_by))
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


NO_CERTIFICATE = "none"


@dataclass(frozen=True)
class ReadyRow:
    """One trainee on the ready list: their progress, certificate and the words of those who judge."""

    progress: Progress
    certificate: Certificate | None  # a revoked one, if any (a standing one keeps them off the list)
    certificate_status: str  # none | revoked
    recommendation: CompetencyReport | None  # the latest signed supervisor report, if any
    panel_decision: str | None = None  # where the latest application stands (``panel_decisions``)

    @property
    def enrolment(self) -> Enrolment:
        return self.progress.enrolment


def current_certificates(enrolment_ids: list[int]) -> dict[int, Certificate]:
    """Each enrolment's certificate that counts: the standing one, else the latest revoked
    (superseded ones were replaced by the certificate that superseded them)."""
    current: dict[int, Certificate] = {}
    for certificate in db.session.scalars(
        select(Certificate)
        .where(
            Certificate.enrolment_id.in_(enrolment_ids),
            Certificate.state != CertificateState.SUPERSEDED.value,
        )
        .order_by(Certificate.issued_at, Certificate.id)
    ):
        kept = current.get(certificate.enrolment_id)
        if kept is None or kept.state != CertificateState.VALID.value:
            current[certificate.enrolment_id] = certificate
    return current


def _latest_recommendations(enrolment_ids: list[int]) -> dict[int, CompetencyReport]:
    latest: dict[int, CompetencyReport] = {}
    for report in db.session.scalars(
        select(CompetencyReport)
        .where(
            CompetencyReport.enrolment_id.in_(enrolment_ids),
            CompetencyReport.status == ReportStatus.SIGNED.value,
        )
        .options(selectinload(CompetencyReport.supervisor))
        .order_by(CompetencyReport.signed_at, CompetencyReport.id)
    ):
        latest[report.enrolment_id] = report  # later rows win
    return latest


def panel_decisions(enrolment_ids: list[int]) -> dict[int, str]:
    """Where each enrolment's latest application for accreditation stands, in words
    ("Open: with the panel", "Accredited", "Deferred", "Declined"), keyed by enrolment id;
    enrolments that never applied are absent. One statement for the whole list."""
    from app.applications import kinds as application_kinds
    from app.applications.models import AccreditationApplication

    if not enrolment_ids:
        return {}
    rows = db.session.execute(
        select(AccreditationApplication.enrolment_id, AccreditationApplication.status)
        .where(AccreditationApplication.enrolment_id.in_(enrolment_ids))
        .order_by(AccreditationApplication.applied_at, AccreditationApplication.id)
    )
    return {enrolment_id: application_kinds.label(status) for enrolment_id, status in rows}


def holds_certificate(certificate: Certificate | None) -> bool:
    """Whether the enrolment has a certificate that stands (in force, suspended or expired):
    ``issuing`` refuses a second one, and an expired one is renewed (``renewal``), not issued
    again. Such a trainee is not waiting for a certificate and is kept off the ready list."""
    return certificate is not None and certificate.state == CertificateState.VALID.value


def holds_certificate_condition():
    """SQL twin of ``holds_certificate``: the enrolment has a certificate in the valid state."""
    return (
        select(Certificate.id)
        .where(Certificate.enrolment_id == Enrolment.id, Certificate.state == CertificateState.VALID.value)
        .exists()
    )


def state_condition(state: str):
    """The cohort's state filters in SQL, on a query joined to the stored snapshots:
    "ready" is the ready list's rule (``ready_list``), "certified" holds a standing
    certificate, "not-ready" does not meet the requirements; None for anything else."""
    if state == "ready":
        return and_(ProgressSnapshot.is_ready.is_(True), ~holds_certificate_condition())
    if state == "certified":
        return holds_certificate_condition()
    if state == "not-ready":
        return ProgressSnapshot.is_ready.is_(False)
    return None


def ready_list(
    actor: User, association_id: int, *, programme_id: int | None = None, today: dt.date | None = None
) -> list[ReadyRow]:
    """The one definition of "ready for a certificate": an active trainee who meets every
    essential requirement and holds no standing certificate for that enrolment.

    Used by the admin's home (the dashboard's link), the cohort's Ready filter (the same
    ``state_condition``) and the certificates page alike, so they never disagree. Judged
    on the stored progress snapshots (``requirements.snapshots``), brought up to date
    first: one statement finds none to recompute on most views, one lists the ready.
    Someone whose certificate was revoked is listed again, with that status; someone
    holding a valid, suspended or expired one is not (an expired one is renewed from the
    renewals page, and ``issuing`` refuses a second certificate). Each row carries the
    supervisor's latest signed recommendation and where the trainee's latest application
    for accreditation stands (``panel_decisions``). Nothing is chosen for the admin: the
    page ticks nobody, and a batch goes only after its preview (``batches.preview_batch``).
    """
    policy.require_manage_certificates(actor, association_id)
    today = today or dt.date.today()
    query = cohort_query(actor, association_id, programme_id=programme_id)
    snapshots.refresh_outdated(query)
    enrolments = list(
        db.session.scalars(
            query.join(ProgressSnapshot, ProgressSnapshot.enrolment_id == Enrolment.id).where(
                state_condition("ready")
            )
        )
    )
    # Read from the snapshots just brought up to date; one marked stale since is judged
    # afresh, and kept only if it is still ready.
    progresses = [row for row in snapshots.progress_of_many(enrolments) if row.evaluation.is_ready]
    if not progresses:
        return []
    ids = [row.enrolment.id for row in progresses]
    certificates = current_certificates(ids)
    recommendations = _latest_recommendations(ids)
    decisions = panel_decisions(ids)
    rows = []
    for progress in progresses:
        enrolment_id = progress.enrolment.id
        certificate = certificates.get(enrolment_id)
        if holds_certificate(certificate):
            continue
        status = certificate.status_on(today).value if certificate else NO_CERTIFICATE
        rows.append(
            ReadyRow(
                progress,
                certificate,
                status,
                recommendations.get(enrolment_id),
                decisions.get(enrolment_id),
            )
        )
    return rows


def list_batches(actor: User, association_id: int, *, limit: int = 10) -> list[CertificateBatch]:
    policy.require_manage_certificates(actor, association_id)
    return list(
        db.session.scalars(
            select(CertificateBatch)
            .where(CertificateBatch.association_id == association_id)
            .options(selectinload(CertificateBatch.created_by))
            .order_by(CertificateBatch.created_at.desc(), CertificateBatch.id.desc())
            .limit(limit)
        )
    )


def get_batch(actor: User, batch_id: int) -> tuple[CertificateBatch, list[Certificate]]:
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None or not policy.is_member(actor, batch.association_id):
        raise NotFound(_("No such batch."))
    policy.require_manage_certificates(actor, batch.association_id)
    certificates = list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.batch_id == batch.id)
            .options(selectinload(Certificate.superseded_by))
            .order_by(Certificate.holder_name, Certificate.id)
        )
    )
    return batch, certificates


def matches_issued(certificate: Certificate, pdf: bytes) -> bool:
    """Whether a fresh rendering is the one issued: the PDF issued, or what it sealed (its first revision)."""
    issued = documents.issued_pdf(certificate)
    if issued is None:  # issued before documents were stored, never downloaded: unsealed
        return rendering.sha256_hex(pdf) == certificate.pdf_sha256
    return documents.is_rendering_of(pdf, issued.content)


def render_issued(certificate: Certificate) -> bytes:
    """The certificate's PDF, rendered again: the one issued, before its seal (``sealing``)."""
    pdf = rendering.render_document(rendering.document_for(certificate))
    if certificate.pdf_sha256 and not matches_issued(certificate, pdf):
        log.error(
            "certificate %s renders unlike the day of issue (stored %s): fonts or WeasyPrint changed?",
            certificate.serial,
            certificate.pdf_sha256,
        )
    return pdf


def file_name(certificate: Certificate) -> str:
    return f"certificate-{certificate.serial}.pdf"


def certificate_pdf(actor: User, certificate_id: int) -> tuple[str, bytes]:
    """The stored PDF in force (stored now if the certificate predates storing: commit after).

    A revoked or suspended certificate comes as a copy stamped on every page; the stored
    document keeps its bytes and fingerprint as issued.
    """
    certificate = get_certificate(actor, certificate_id)
    content = documents.pdf_of(certificate).content
    status = certificate.status_on(dt.date.today())
    if status == CertificateStatus.REVOKED:
        note = _(
            "Revoked on %(date)s: this certificate is not valid. Check %(url)s",
            date=formatting.date(certificate.revoked_at, "long"),
            url=external_url("certificates.verify_serial", serial=certificate.serial),
        )
        content = stamping.stamp(content, _("REVOKED"), note)
    elif status == CertificateStatus.SUSPENDED:
        note = _(
            "Suspended since %(date)s: this certificate is not in force. Check %(url)s",
            date=formatting.date(certificate.open_suspension.suspended_at, "long"),
            url=external_url("certificates.verify_serial", serial=certificate.serial),
        )
        content = stamping.stamp(content, _("SUSPENDED"), note)
    return file_name(certificate), content


def current_pdf_sha256(certificate: Certificate) -> str:
    """The fingerprint of the PDF a download gives today (the issued one until regenerated)."""
    stored = documents.documents.current(DocumentKind.CERTIFICATE_PDF, certificate.id)
    return stored.sha256 if stored is not None else certificate.pdf_sha256


def batch_zip(actor: User, batch_id: int) -> tuple[str, IO[bytes]]:
    """Every stored PDF of the batch in one ZIP (``archives``: chunked reads, spooled file)."""
    batch, certificates = get_batch(actor, batch_id)
    return f"certificates-batch-{batch.id}.zip", archives.write_zip(certificates)


def batch_pdf(actor: User, batch_id: int) -> tuple[str, IO[bytes]]:
    """The batch as one PDF for printing, one certificate per page, in the batch's order."""
    batch, certificates = get_batch(actor, batch_id)
    return f"certificates-batch-{batch.id}.pdf", archives.write_merged_pdf(certificates)

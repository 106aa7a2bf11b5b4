"""Issuing certificates: to one trainee, or to a batch from the 'ready' list.

Every issue is audited (``certificate.issued``), and so is every override
(``certificate.override``: issued although essential requirements were unmet, with the
reason). Re-issuing and revoking are in ``corrections.py``.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import Association, User
from app.audit.services import record
from app.certificates import credential, documents, integrity, rendering, serials, status_list
from app.certificates.achievement import achievement_line
from app.certificates.models import Certificate, CertificateBatch, CertificateState
from app.certificates.verification import verify_url
from app.database import utcnow
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.notifications.services import link_to, notify
from app.privacy.guard import guard_free_text
from app.programmes.models import Enrolment
from app.programmes.services import get_enrolment
from app.requirements.services import Progress, progress_for, progress_of_many

#: Batches at least this large render in a pool of worker processes.
POOL_THRESHOLD = 8


class NotReady(InvalidState):
    """Essential requirements are unmet and no reason to override was given."""

    def __init__(self, message: str, unmet: list[tuple[str, str]]):
        super().__init__(message, fields={"override_reason": [_("Give a reason to issue it all the same.")]})
        self.unmet = unmet


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the last day of the month when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - some day of every month exists


def check_reason(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) < 5:
        raise ValidationError(_("Please give a reason."), fields={field: [_("A short reason is required.")]})
    if len(text) > 2000:
        raise ValidationError(_("The reason is too long."), fields={field: [_("At most 2,000 characters.")]})
    return text


def clean_holder_name(name: str, default: str) -> str:
    name = " ".join((name or "").split()) or default
    if len(name) > 200:
        raise ValidationError(
            _("The name is too long."), fields={"holder_name": [_("At most 200 characters.")]}
        )
    return name


def _admin_enrolment(actor: User, enrolment_id: int) -> Enrolment:
    enrolment = get_enrolment(actor, enrolment_id)  # another association's reads as NotFound
    policy.require_manage_certificates(actor, enrolment.association_id)
    return enrolment


def managed_certificate(actor: User, certificate_id: int) -> Certificate:
    """A certificate the actor may see (else NotFound) and manage (else Forbidden)."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not policy.can_view_certificate(actor, certificate):
        raise NotFound(_("No such certificate."))
    policy.require_manage_certificates(actor, certificate.association_id)
    return certificate


def readiness(actor: User, enrolment_id: int, today: dt.date | None = None) -> Progress:
    """Where a trainee stands, for the admin about to issue their certificate."""
    return progress_for(_admin_enrolment(actor, enrolment_id), today or dt.date.today())


def unmet_of(progress: Progress) -> list[tuple[str, str]]:
    return [(o.requirement.label, o.missing) for o in progress.evaluation.unmet_essentials]


def _refuse(progress: Progress) -> NotReady:
    unmet = unmet_of(progress)
    listed = "; ".join(f"{label} ({missing.rstrip('.')})" if missing else label for label, missing in unmet)
    return NotReady(
        _(
            "%(name)s does not meet every essential requirement yet: %(unmet)s.",
            name=progress.enrolment.trainee.name,
            unmet=listed,
        ),
        unmet,
    )


def _valid_serials(enrolment_ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(Certificate.enrolment_id, Certificate.serial).where(
            Certificate.enrolment_id.in_(enrolment_ids), Certificate.state == CertificateState.VALID.value
        )
    )
    return dict(rows.all())


def _already_holds(name: str, serial: str) -> InvalidState:
    return InvalidState(
        _(
            "%(name)s already holds certificate %(serial)s for this programme. Re-issue it to correct it.",
            name=name,
            serial=serial,
        )
    )


def _flush_new(certificate: Certificate, holder: User) -> None:
    """Insert; the partial unique index refuses a second valid certificate for one enrolment."""
    db.session.add(certificate)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()  # the transaction is lost anyway; leave the session usable
        raise InvalidState(
            _("%(name)s was issued a certificate for this programme a moment ago.", name=holder.name)
        ) from error


def new_certificate(
    actor: User,
    association: Association,
    enrolment: Enrolment,
    *,
    today: dt.date,
    holder_name: str,
    achievement: str,
    expires_on: dt.date | None,
    first_awarded_on: dt.date | None = None,
    **extra: object,
) -> Certificate:
    """Allocate the serial (locking the counter), then insert everything printed on it.

    ``first_awarded_on`` is carried over by re-issues and renewals; a first award is awarded today."""
    serial = serials.allocate(association, today.year)
    # Checked after the counter is locked, so concurrent issuers see each other's rows.
    existing = _valid_serials([enrolment.id])
    if existing:
        raise _already_holds(enrolment.trainee.name, existing[enrolment.id])
    certificate = Certificate(
        association_id=association.id,
        enrolment_id=enrolment.id,
        holder_id=enrolment.trainee_id,
        programme_id=enrolment.programme_id,
        rule_set_id=enrolment.rule_set_id,
        rule_set_version=enrolment.rule_set.version,
        serial=serial,
        state=CertificateState.VALID.value,
        holder_name=holder_name,
        programme_title=enrolment.programme.title,
        association_name=association.name,
        achievement=achievement,
        issued_on=today,
        first_awarded_on=first_awarded_on or today,
        expires_on=expires_on,
        signatory_name=association.signatory_name,
        signatory_role=association.signatory_role,
        page_size=association.certificate_page_size or "A4",
        logo_sha256=association.certificate_logo_sha256,
        locale=current_app.config["BABEL_DEFAULT_LOCALE"],
        verify_url=verify_url(serial),
        issued_at=utcnow(),
        issued_by_id=actor.id,
        **extra,
    )
    certificate.record_sha256 = integrity.digest_of(certificate)
    _flush_new(certificate, enrolment.trainee)
    status_list.assign_index(certificate)  # before the credential that names it is signed
    return certificate


def _from_progress(actor: User, progress: Progress, today: dt.date, **extra: object) -> Certificate:
    enrolment = progress.enrolment
    validity = enrolment.programme.validity_months
    return new_certificate(
        actor,
        db.session.get(Association, enrolment.association_id),
        enrolment,
        today=today,
        achievement=achievement_line(
            progress.evaluation.outcomes, started_year=enrolment.started_on.year, issued_year=today.year
        ),
        expires_on=add_months(today, validity) if validity else None,
        **extra,
    )


def announce(certificate: Certificate, message: str) -> None:
    notify(
        certificate.holder_id,
        certificate.association_id,
        message,
        link_to("certificates.detail", certificate_id=certificate.id),
    )


def _issued(actor: User, certificate: Certificate) -> None:
    record(
        "certificate.issued",
        certificate,
        actor=actor,
        serial=certificate.serial,
        enrolment_id=certificate.enrolment_id,
        holder_id=certificate.holder_id,
        rule_set_version=certificate.rule_set_version,
        pdf_sha256=certificate.pdf_sha256,
        batch_id=certificate.batch_id,
    )
    announce(
        certificate,
        _("Your certificate for %(programme)s has been issued.", programme=certificate.programme_title),
    )


def render_and_store(actor: User, certificates: list[Certificate], processes: int = 1) -> None:
    """Render each PDF, sign each credential and store both (``documents``); the signing
    key is created here on first use."""
    for association in {c.association for c in certificates}:
        credential.signing_key(association)
    by_serial = {c.serial: c for c in certificates}
    printable = (rendering.document_for(c) for c in certificates)
    for serial, pdf in rendering.render_many(printable, processes=processes):
        documents.store_issued(by_serial[serial], pdf, actor.id)


def issue(
    actor: User,
    enrolment_id: int,
    *,
    override_reason: str = "",
    holder_name: str = "",
    privacy_confirmed: bool = False,
    today: dt.date | None = None,
) -> Certificate:
    """Issue one certificate; refused with the unmet essentials unless a reason overrides."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    today = today or dt.date.today()
    progress = progress_for(enrolment, today)
    reason = ""
    if not progress.evaluation.is_ready:
        if not (override_reason or "").strip():
            raise _refuse(progress)
        reason = check_reason(override_reason, "override_reason")
        guard_free_text(
            {"override_reason": reason},
            is_confirmed=privacy_confirmed,
            actor=actor,
            obj=enrolment,
            association_id=enrolment.association_id,
        )
    certificate = _from_progress(
        actor,
        progress,
        today,
        holder_name=clean_holder_name(holder_name, enrolment.trainee.name),
        override_reason=reason,
    )
    render_and_store(actor, [certificate])
    _issued(actor, certificate)
    if reason:
        record(
            "certificate.override",
            certificate,
            actor=actor,
            serial=certificate.serial,
            reason=reason,
            unmet=[o.requirement.id for o in progress.evaluation.unmet_essentials],
        )
    return certificate


def plan_batch(
    actor: User, association_id: int, enrolment_ids: list[int], *, today: dt.date | None = None
) -> list[Progress]:
    """Who a batch would certify (and e-mail), checked as ``issue_batch`` checks them, without
    writing anything: the preview an admin confirms before the batch goes."""
    policy.require_manage_certificates(actor, association_id)
    ids = sorted(set(enrolment_ids))
    if not ids:
        raise ValidationError(_("Choose at least one trainee."), fields={"enrolment_ids": [_("Choose one.")]})
    enrolments = list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.id.in_(ids), Enrolment.association_id == association_id)
            .options(
                selectinload(Enrolment.trainee),
                selectinload(Enrolment.programme),
                selectinload(Enrolment.rule_set),
            )
            .order_by(Enrolment.id)
        )
    )
    if len(enrolments) != len(ids):
        raise NotFound(_("No such enrolment."))
    progresses = progress_of_many(enrolments, today or dt.date.today())
    not_ready = [p.enrolment.trainee.name for p in progresses if not p.evaluation.is_ready]
    if not_ready:
        raise InvalidState(
            _(
                "Not ready for a certificate: %(names)s. Issue to them one by one if you mean to override.",
                names=", ".join(not_ready),
            )
        )
    holders = {e.id: e.trainee.name for e in enrolments}
    existing = _valid_serials(ids)
    if existing:
        raise InvalidState(
            _(
                "Already certified: %(names)s.",
                names=", ".join(holders[enrolment_id] for enrolment_id in existing),
            )
        )
    return progresses


def issue_batch(
    actor: User,
    association_id: int,
    enrolment_ids: list[int],
    *,
    today: dt.date | None = None,
    processes: int | None = None,
) -> CertificateBatch:
    """Issue to several trainees at once; only to those who meet every essential requirement."""
    today = today or dt.date.today()
    progresses = plan_batch(actor, association_id, enrolment_ids, today=today)
    ids = [p.enrolment.id for p in progresses]
    batch = CertificateBatch(association_id=association_id, created_by_id=actor.id, size=len(ids))
    db.session.add(batch)
    db.session.flush()
    credential.signing_key(db.session.get(Association, association_id))
    if processes is None:
        processes = 2 if len(progresses) >= POOL_THRESHOLD else 1
    issued: dict[str, Certificate] = {}

    def printable():
        """Insert each certificate just before it is rendered, while workers render the last ones."""
        for progress in progresses:
            certificate = _from_progress(
                actor, progress, today, holder_name=progress.enrolment.trainee.name, batch_id=batch.id
            )
            issued[certificate.serial] = certificate
            yield rendering.document_for(certificate)

    certificates = []
    for serial, pdf in rendering.render_many(printable(), processes=processes):
        certificate = issued.pop(serial)
        documents.store_issued(certificate, pdf, actor.id)
        _issued(actor, certificate)
        certificates.append(certificate)
    record("certificate.batch_issued", batch, actor=actor, serials=[c.serial for c in certificates])
    return batch

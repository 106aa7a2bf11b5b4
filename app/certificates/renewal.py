"""Renewing a certificate that expires: progress towards renewal, who is due, and the renewal itself.

A programme's rule set names a renewal rule set (``app.programmes.renewal_rules``); it is
evaluated by the requirements engine over the holder's records dated within the
certificate's current validity period, ``issued_on`` to ``expires_on``, both included.
When every essential renewal requirement is met, an admin renews the certificate while it
is valid or up to ``GRACE_DAYS`` after it expired (a holder who finished their hours a
little late is not sent back to the start). The renewal is a new certificate, with a new
serial and a new validity period from the day it is issued, that supersedes the old one
(as a correction does) and keeps the original award date (``first_awarded_on``).
Audited (``certificate.renewed``); the holder is told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import User
from app.audit.services import record
from app.certificates.issuing import (
    add_months,
    announce,
    managed_certificate,
    new_certificate,
    render_and_store,
)
from app.certificates.models import Certificate, CertificateState
from app.errors import InvalidState
from app.extensions import db
from app.programmes import renewal_rules
from app.requirements import sources, status_filters
from app.requirements.engine import Evaluation, evaluate
from app.requirements.facts import TraineeFacts

#: Days after expiry during which a certificate can still be renewed (not earned again).
GRACE_DAYS = 90
#: The ready list shows certificates that expire within this many days.
DUE_DAYS = 90


@dataclass(frozen=True)
class RenewalProgress:
    """Where a holder stands against their programme's renewal rules, on one day."""

    certificate: Certificate
    rules: renewal_rules.RenewalRules
    evaluation: Evaluation
    as_of: dt.date

    @property
    def is_met(self) -> bool:
        return self.evaluation.is_ready

    @property
    def fraction(self) -> float:
        essentials = [o for o in self.evaluation.outcomes if o.requirement.level == "essential"]
        return sum(o.fraction for o in essentials) / len(essentials) if essentials else 1.0

    @property
    def is_in_time(self) -> bool:
        """Valid, or expired no longer than the grace period ago."""
        return is_renewable_on(self.certificate, self.as_of)


def is_renewable_on(certificate: Certificate, day: dt.date) -> bool:
    if certificate.state != CertificateState.VALID or certificate.expires_on is None:
        return False
    return day <= certificate.expires_on + dt.timedelta(days=GRACE_DAYS)


def grace_ends_on(certificate: Certificate) -> dt.date | None:
    return certificate.expires_on + dt.timedelta(days=GRACE_DAYS) if certificate.expires_on else None


def within_period(facts: TraineeFacts, start: dt.date, end: dt.date) -> TraineeFacts:
    """The facts dated from ``start`` to ``end`` (both included), judged as if the
    enrolment had started on ``start``; the programme's waivers and decisions do not apply."""

    def inside(day: dt.date) -> bool:
        return start <= day <= end

    return replace(
        facts,
        enrolment_start=start,
        facts=tuple(f for f in facts.facts if inside(f.date)),
        reflections=tuple(r for r in facts.reflections if inside(r.accepted_on)),
        reports=tuple(r for r in facts.reports if inside(r.signed_on)),
        manual={},
        waivers={},
        measurements={},
    )


def progress_of(certificate: Certificate, today: dt.date | None = None) -> RenewalProgress | None:
    """Renewal progress of a certificate in force that expires and whose programme names
    renewal rules; None otherwise. Callers have checked who may see the certificate."""
    if certificate.state != CertificateState.VALID or certificate.expires_on is None:
        return None
    rules = renewal_rules.for_programme(certificate.programme)
    if rules is None:
        return None
    today = today or dt.date.today()
    enrolment = certificate.enrolment
    fields = status_filters.fields_used(rules.rule_set)
    facts = sources.gather([enrolment], today, status_fields=fields)[enrolment.id]
    in_period = within_period(facts, certificate.issued_on, certificate.expires_on)
    return RenewalProgress(certificate, rules, evaluate(rules.rule_set, in_period), today)


def renewal_for_admin(
    actor: User, certificate_id: int, today: dt.date | None = None
) -> RenewalProgress | None:
    """The renewal page's figures, for the association's admins."""
    return progress_of(managed_certificate(actor, certificate_id), today)


def holder_progress(actor: User, certificates: list[Certificate], today: dt.date | None = None) -> dict:
    """Certificate id to renewal progress, for the holder's own certificates that have one."""
    result = {}
    for certificate in certificates:
        if certificate.expires_on is None or not policy.can_view_certificate(actor, certificate):
            continue
        progress = progress_of(certificate, today)
        if progress is not None:
            result[certificate.id] = progress
    return result


def due_for_renewal(actor: User, association_id: int, today: dt.date | None = None) -> list[Certificate]:
    """Certificates in force expiring within ``DUE_DAYS``, or expired within the grace period,
    soonest first: the admins' renewal list (one query)."""
    policy.require_manage_certificates(actor, association_id)
    today = today or dt.date.today()
    return list(
        db.session.scalars(
            select(Certificate)
            .where(
                Certificate.association_id == association_id,
                Certificate.state == CertificateState.VALID.value,
                Certificate.expires_on.is_not(None),
                Certificate.expires_on <= today + dt.timedelta(days=DUE_DAYS),
                Certificate.expires_on >= today - dt.timedelta(days=GRACE_DAYS),
            )
            .options(selectinload(Certificate.holder))
            .order_by(Certificate.expires_on, Certificate.id)
        )
    )


def _refusal(certificate: Certificate, progress: RenewalProgress | None, today: dt.date) -> str | None:
    """Why this certificate cannot be renewed today, or None."""
    if certificate.state != CertificateState.VALID:
        return _("Only a certificate in force, or one that expired recently, can be renewed.")
    if certificate.open_suspension is not None:
        # Like a correction (``corrections.reissue``): a renewal would escape the suspension.
        return _("A suspended certificate cannot be renewed: lift the suspension first, or revoke it.")
    if certificate.expires_on is None:
        return _("This certificate does not expire; there is nothing to renew.")
    if not is_renewable_on(certificate, today):
        return _(
            "This certificate expired on %(day)s, more than %(days)d days ago: it can no longer be renewed.",
            day=certificate.expires_on.isoformat(),
            days=GRACE_DAYS,
        )
    if progress is None:
        return _("The programme names no renewal rules, so its certificates cannot be renewed.")
    if not progress.is_met:
        unmet = "; ".join(
            f"{o.requirement.label} ({o.missing.rstrip('.')})" if o.missing else o.requirement.label
            for o in progress.evaluation.unmet_essentials
        )
        return _("The renewal requirements are not met yet: %(unmet)s.", unmet=unmet)
    return None


def refusal_for(certificate: Certificate, progress: RenewalProgress | None, today: dt.date | None = None):
    """For the renewal page: the reason the renew button is not offered, or None."""
    return _refusal(certificate, progress, today or dt.date.today())


def renew(actor: User, certificate_id: int, *, today: dt.date | None = None) -> Certificate:
    """Renew a certificate whose renewal rules are met: a new certificate supersedes it."""
    old = managed_certificate(actor, certificate_id)
    today = today or dt.date.today()
    progress = progress_of(old, today)
    refusal = _refusal(old, progress, today)
    if refusal:
        raise InvalidState(refusal)
    months = old.programme.validity_months
    old.state = CertificateState.SUPERSEDED.value
    db.session.flush()  # frees the enrolment's one valid certificate for the renewal
    new = new_certificate(
        actor,
        old.association,
        old.enrolment,
        today=today,
        holder_name=old.holder_name,
        achievement=old.achievement,
        expires_on=add_months(today, months) if months else None,
        first_awarded_on=old.first_awarded_on or old.issued_on,
        supersedes_id=old.id,
    )
    render_and_store(actor, [new])
    record(
        "certificate.renewed",
        new,
        actor=actor,
        serial=new.serial,
        supersedes=old.serial,
        first_awarded_on=new.first_awarded_on.isoformat(),
        expires_on=new.expires_on.isoformat() if new.expires_on else None,
        renewal_rules=progress.rules.name,
        renewal_rules_sha256=progress.rules.content_hash,
        pdf_sha256=new.pdf_sha256,
    )
    announce(
        new,
        _(
            "Your certificate has been renewed: %(new)s replaces %(old)s and is valid until %(day)s.",
            new=new.serial,
            old=old.serial,
            day=new.expires_on.isoformat() if new.expires_on else _("no expiry"),
        ),
    )
    return new

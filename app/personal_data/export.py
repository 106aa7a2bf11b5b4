"""A person's copy of everything Stillpoint holds about them (the right of access).

The archive is a ZIP: one JSON file per kind of data, each row with every stored
column (nothing is summarised away), and the PDFs a person would otherwise download
one by one: each logbook, each certificate. Secrets are the one exception: password
and token hashes are never written out, since they protect the person, not describe them.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import inspect, or_, select

from app import policy
from app.accounts.models import Membership, User
from app.api.models import ApiToken
from app.attachments.models import EvidenceAttachment
from app.audit.models import AuditEvent
from app.audit.services import record as audit
from app.certificates import records as certificate_records
from app.certificates.models import Certificate, CertificateSuspension
from app.extensions import db
from app.groups.models import CoLeaderFeedback, ProcessNote
from app.learning.models import LessonCompletion, QuizAttempt
from app.logbook import exports as logbook_exports
from app.logbook import uploads
from app.logbook.models import CoLeaderConfirmation, LogbookRecord
from app.notifications.models import Notification
from app.personal_data.models import ErasureRequest
from app.profiles.models import AssessedEvent, Qualification, SocietyMembership
from app.programmes.models import Enrolment
from app.requirements.models import CompetencyReport, ReportAcknowledgement
from app.vignettes.models import Reflection, ReflectionFeedback

#: Columns that protect the person rather than describe them.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash"})

README = """\
Your data from Stillpoint
=========================

This archive holds everything Stillpoint keeps about you, as of {when}.

person.json            your account and your memberships
enrolments.json        the programmes you are enrolled in
logbook.json           your logbook records (every kind and version), and the
                       sessions you confirmed as co-leader
reflections.json       your vignette reflections and the feedback on them
attachments.json       the evidence files on your records and reflections
evidence/              those files themselves
learning.json          lessons completed and knowledge-check attempts
reports.json           supervisor reports about you
report_acknowledgements.json  your acknowledgements of those reports, with your comments
certificates.json      certificates issued to you
certificate_suspensions.json  when any of them was suspended, and lifted
process_notes.json     your process notes on the group sessions you led
co_leader_feedback.json  the feedback you gave your co-leaders and they gave you
notifications.json     the notices the app showed you
api_tokens.json        your API tokens (names and dates; the secrets are never kept)
activity.json          what the audit trail records that you did
erasure_requests.json  your requests to have your data erased
pdf/                   your logbooks and certificates as PDF files

Password and token hashes are not included: they protect your account.
"""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row(obj: object) -> dict[str, Any]:
    """Every stored column of a row, secrets left out."""
    mapper = inspect(obj).mapper
    return {
        attribute.key: _plain(getattr(obj, attribute.key))
        for attribute in mapper.column_attrs
        if attribute.key not in SECRET_COLUMNS
    }


def _rows(objects: Iterable[object]) -> list[dict[str, Any]]:
    return [row(obj) for obj in objects]


def _json(data: object) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _all(statement) -> list:
    return list(db.session.scalars(statement))


def collect(user: User) -> dict[str, object]:
    """The JSON parts of the archive, by file name."""
    enrolments = _all(select(Enrolment).where(Enrolment.trainee_id == user.id).order_by(Enrolment.id))
    enrolment_ids = [e.id for e in enrolments]
    records = _all(
        select(LogbookRecord)
        .where(or_(LogbookRecord.enrolment_id.in_(enrolment_ids), LogbookRecord.author_id == user.id))
        .order_by(LogbookRecord.id)
    )
    reflections = _all(select(Reflection).where(Reflection.trainee_id == user.id).order_by(Reflection.id))
    feedback = _all(
        select(ReflectionFeedback)
        .where(ReflectionFeedback.reflection_id.in_([r.id for r in reflections]))
        .order_by(ReflectionFeedback.id)
    )
    return {
        "person.json": {
            "account": row(user),
            "memberships": _rows(
                _all(select(Membership).where(Membership.user_id == user.id).order_by(Membership.id))
            ),
        },
        "enrolments.json": [
            {**row(e), "programme": e.programme.title, "supervisors": [s.name for s in e.supervisors]}
            for e in enrolments
        ],
        "logbook.json": {
            "records": [{**row(r), "kind_details": r.kind_content()} for r in records],
            "confirmations_given": _rows(
                _all(select(CoLeaderConfirmation).where(CoLeaderConfirmation.user_id == user.id))
            ),
        },
        "reflections.json": {"reflections": _rows(reflections), "feedback": _rows(feedback)},
        "attachments.json": [
            {**row(a), "file": _evidence_name(a)} for a in _attachments(records, reflections)
        ],
        "learning.json": {
            "lessons_completed": _rows(
                _all(select(LessonCompletion).where(LessonCompletion.trainee_id == user.id))
            ),
            "attempts": _rows(_all(select(QuizAttempt).where(QuizAttempt.trainee_id == user.id))),
        },
        "reports.json": _rows(
            _all(select(CompetencyReport).where(CompetencyReport.enrolment_id.in_(enrolment_ids)))
        ),
        "report_acknowledgements.json": _rows(
            _all(select(ReportAcknowledgement).where(ReportAcknowledgement.trainee_id == user.id))
        ),
        "certificates.json": _rows(_certificates(user)),
        "certificate_suspensions.json": _rows(
            _all(
                select(CertificateSuspension)
                .where(CertificateSuspension.certificate_id.in_([c.id for c in _certificates(user)]))
                .order_by(CertificateSuspension.id)
            )
        ),
        "co_leader_feedback.json": _rows(
            _all(
                select(CoLeaderFeedback)
                .where(or_(CoLeaderFeedback.author_id == user.id, CoLeaderFeedback.recipient_id == user.id))
                .order_by(CoLeaderFeedback.id)
            )
        ),
        "process_notes.json": _rows(
            _all(select(ProcessNote).where(ProcessNote.author_id == user.id).order_by(ProcessNote.id))
        ),
        "profile_facts.json": {
            "society_memberships": _rows(
                _all(
                    select(SocietyMembership)
                    .where(SocietyMembership.user_id == user.id)
                    .order_by(SocietyMembership.id)
                )
            ),
            "qualifications": _rows(
                _all(select(Qualification).where(Qualification.user_id == user.id).order_by(Qualification.id))
            ),
            "exams": _rows(
                _all(
                    select(AssessedEvent)
                    .where(AssessedEvent.enrolment_id.in_(enrolment_ids))
                    .order_by(AssessedEvent.id)
                )
            ),
        },
        "notifications.json": _rows(_all(select(Notification).where(Notification.user_id == user.id))),
        "api_tokens.json": _rows(_all(select(ApiToken).where(ApiToken.user_id == user.id))),
        "activity.json": _rows(
            _all(select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id))
        ),
        "erasure_requests.json": _rows(_all(select(ErasureRequest).where(ErasureRequest.user_id == user.id))),
    }


def _attachments(records: list, reflections: list) -> list[EvidenceAttachment]:
    return _all(
        select(EvidenceAttachment)
        .where(
            or_(
                EvidenceAttachment.record_id.in_([r.id for r in records]),
                EvidenceAttachment.reflection_id.in_([r.id for r in reflections]),
            )
        )
        .order_by(EvidenceAttachment.id)
    )


def _evidence_name(attachment: EvidenceAttachment) -> str:
    return f"evidence/{attachment.id}-{attachment.name}"


def _evidence(data: dict[str, object]) -> Iterable[tuple[str, bytes]]:
    """The stored bytes of each evidence file the JSON lists (a missing file is skipped)."""
    for entry in data["attachments.json"]:
        content = uploads.read(entry["key"])
        if content is not None:
            yield entry["file"], content


def _certificates(user: User) -> list[Certificate]:
    return _all(select(Certificate).where(Certificate.holder_id == user.id).order_by(Certificate.id))


def _pdfs(user: User) -> Iterable[tuple[str, bytes]]:
    """The PDFs of the associations the person still belongs to (a former member's
    records are in the JSON files; the PDFs are rendered with today's permissions)."""
    for enrolment in _all(select(Enrolment).where(Enrolment.trainee_id == user.id).order_by(Enrolment.id)):
        if policy.is_member(user, enrolment.association_id):
            name, pdf = logbook_exports.logbook_pdf(user, enrolment.association_id, enrolment.id)
            yield f"pdf/logbook-{enrolment.id}-{name}", pdf
    for certificate in _certificates(user):
        if policy.is_member(user, certificate.association_id):
            name, pdf = certificate_records.certificate_pdf(user, certificate.id)
            yield f"pdf/certificate-{certificate.id}-{name}", pdf


def archive(actor: User, *, generated_at: datetime) -> tuple[str, bytes]:
    """The actor's own archive. Nobody may download another person's: an admin who must
    answer a request on someone's behalf asks them to download it themselves."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive_file:
        archive_file.writestr("README.txt", README.format(when=generated_at.isoformat(timespec="seconds")))
        parts = collect(actor)
        for name, data in parts.items():
            archive_file.writestr(name, _json(data))
        for name, data in _evidence(parts):
            archive_file.writestr(name, data)
        for name, pdf in _pdfs(actor):
            archive_file.writestr(name, pdf)
    audit("personal_data.exported", actor, actor=actor)
    return _("stillpoint-my-data-%(day)s.zip", day=generated_at.date().isoformat()), buffer.getvalue()

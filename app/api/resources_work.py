"""API operations for the trainee's work and its sign-off: learning, reflections,
logbook records, supervisor reports and certificates (with public verification)."""

from __future__ import annotations

from io import BytesIO

from flask import send_file
from sqlalchemy import select

from app import policy
from app.api import schemas as s
from app.api.core import current_association_id, current_user, operation, page_of
from app.api.resources import _in_acting_association, cursor_query
from app.certificates import issuing, verification
from app.certificates import records as certificate_records
from app.certificates.models import Certificate
from app.learning import quizzes
from app.learning import services as learning
from app.learning.scoring import Answer
from app.logbook import access, signoff
from app.logbook import records as logbook
from app.logbook.models import LogbookRecord
from app.logbook.validation import SessionInput
from app.requirements import reports
from app.vignettes import review
from app.vignettes import services as vignettes

# --- learning -------------------------------------------------------------------------


@operation(
    "/lessons",
    "GET",
    summary="The module's lessons and the caller's completions",
    tag="learning",
    response=s.LessonList,
)
def list_lessons():
    progress = learning.module_progress(current_user(), current_association_id())
    return {
        "items": [
            {
                "slug": state.lesson.slug,
                "position": state.lesson.position,
                "title": state.lesson.title,
                "summary": state.lesson.summary,
                "version": state.lesson.version,
                "reading_minutes": state.lesson.reading_minutes,
                "is_completed": state.is_completed,
            }
            for state in progress.lessons
        ]
    }


@operation(
    "/lessons/<slug>/completion",
    "POST",
    summary="Mark a lesson read",
    tag="learning",
    response=s.CompletionOut,
    status=201,
)
def complete_lesson(slug: str):
    """Repeating it is harmless: a completion is recorded once per lesson version."""
    return learning.complete_lesson(current_user(), current_association_id(), slug)


@operation(
    "/attempts",
    "POST",
    summary="Start a knowledge check or the final test",
    tag="learning",
    body=s.AttemptIn,
    response=s.AttemptOut,
    status=201,
)
def start_attempt(body: s.AttemptIn):
    """Returns the attempt already open, if there is one, with its questions fixed."""
    return quizzes.start_attempt(current_user(), current_association_id(), body.kind, body.lesson_slug)


@operation(
    "/attempts/<int:attempt_id>",
    "GET",
    summary="One of the caller's attempts",
    tag="learning",
    response=s.AttemptOut,
)
def get_attempt(attempt_id: int):
    return quizzes.get_attempt(current_user(), current_association_id(), attempt_id)


@operation(
    "/attempts/<int:attempt_id>/answers",
    "POST",
    summary="Submit the answers of an open attempt",
    tag="learning",
    body=s.AnswersIn,
    response=s.AttemptOut,
)
def submit_attempt(attempt_id: int, body: s.AnswersIn):
    answers = {
        qid: Answer(options=frozenset(a.options), dimension=a.dimension, pole=a.pole)
        for qid, a in body.answers.items()
    }
    return quizzes.submit_attempt(current_user(), current_association_id(), attempt_id, answers)


# --- vignettes and reflections --------------------------------------------------------


@operation(
    "/vignettes",
    "GET",
    summary="The case vignettes, with the caller's newest reflection",
    tag="vignettes",
    response=s.VignetteList,
)
def list_vignettes():
    rows = vignettes.library_rows(current_user(), current_association_id())
    return {
        "items": [
            {
                "slug": row.vignette.slug,
                "title": row.vignette.title,
                "latest_reflection_id": row.latest.id if row.latest else None,
                "latest_status": row.latest.status if row.latest else None,
            }
            for row in rows
        ]
    }


@operation(
    "/vignettes/<slug>/draft",
    "PUT",
    summary="Save the reflection draft",
    tag="vignettes",
    body=s.ReflectionIn,
    response=s.ReflectionOut,
)
def save_reflection_draft(slug: str, body: s.ReflectionIn):
    """Answers are keyed ``<exercise id>__<part>``. A privacy warning (422, code
    ``privacy_warning``) asks to resend with ``privacy_confirmed: true``."""
    return vignettes.save_draft(
        current_user(), current_association_id(), slug, body.answers, is_confirmed=body.privacy_confirmed
    )


@operation(
    "/vignettes/<slug>/submission",
    "POST",
    summary="Submit the reflection for review",
    tag="vignettes",
    body=s.ReflectionIn,
    response=s.ReflectionOut,
    status=201,
    is_idempotent=True,
)
def submit_reflection(slug: str, body: s.ReflectionIn):
    return vignettes.submit_reflection(
        current_user(), current_association_id(), slug, body.answers, is_confirmed=body.privacy_confirmed
    )


@operation(
    "/reflections/<int:reflection_id>",
    "GET",
    summary="One reflection",
    tag="vignettes",
    response=s.ReflectionOut,
)
def get_reflection(reflection_id: int):
    return vignettes.get_reflection(current_user(), current_association_id(), reflection_id).reflection


@operation(
    "/reflections/<int:reflection_id>/review",
    "POST",
    summary="Accept, or request a revision (the reviewer)",
    tag="vignettes",
    body=s.ReviewIn,
    response=s.ReviewOut,
    status=201,
)
def review_reflection(reflection_id: int, body: s.ReviewIn):
    return review.review_reflection(
        current_user(),
        current_association_id(),
        reflection_id,
        decision=body.decision,
        overall_comment=body.overall_comment,
        exercise_comments=body.exercise_comments,
        is_confirmed=body.privacy_confirmed,
    )


# --- logbook --------------------------------------------------------------------------


@operation(
    "/enrolments/<int:enrolment_id>/records",
    "GET",
    summary="An enrolment's logbook records",
    tag="logbook",
    query=s.RecordQuery,
    response=s.RecordList,
)
def list_records(enrolment_id: int, query: s.RecordQuery):
    enrolment = access.get_enrolment(current_user(), current_association_id(), enrolment_id)
    stmt = select(LogbookRecord).where(LogbookRecord.enrolment_id == enrolment.id)
    if query.status:
        stmt = stmt.where(LogbookRecord.status == query.status)
    return cursor_query(stmt, LogbookRecord.id, query.cursor, query.limit)


@operation(
    "/records/sessions",
    "POST",
    summary="Log a Balint group session (trainees)",
    tag="logbook",
    body=s.SessionIn,
    response=s.RecordOut,
    status=201,
    is_idempotent=True,
)
def create_session(body: s.SessionIn):
    data = SessionInput(
        occurred_on=body.occurred_on,
        role=body.role,
        minutes=body.minutes,
        mode=body.mode,
        group_kind=body.group_kind,
        setting_category=body.setting_category,
        setting=body.setting,
        members=body.members,
        cases=body.cases,
        co_leader_id=body.co_leader_id,
        co_leader_name=body.co_leader_name,
        phases=tuple(body.phases),
        reflection=body.reflection,
    )
    return logbook.create_record(
        current_user(),
        current_association_id(),
        body.enrolment_id,
        data,
        privacy_confirmed=body.privacy_confirmed,
    )


@operation(
    "/records/<int:record_id>", "GET", summary="One logbook record", tag="logbook", response=s.RecordOut
)
def get_record(record_id: int):
    record = access.get_record(current_user(), current_association_id(), record_id)
    policy.require_view_record(current_user(), record)
    return record


@operation(
    "/records/<int:record_id>/submission",
    "POST",
    summary="Submit a record for sign-off",
    tag="logbook",
    response=s.RecordOut,
)
def submit_record(record_id: int):
    return logbook.submit_record(current_user(), current_association_id(), record_id)


@operation(
    "/records/<int:record_id>/signature",
    "POST",
    summary="Sign a submitted record (its verifier)",
    tag="logbook",
    response=s.RecordOut,
)
def sign_record(record_id: int):
    """Signing a signed record is a conflict (409)."""
    return signoff.sign(current_user(), current_association_id(), record_id)


@operation(
    "/records/signatures",
    "POST",
    summary="Sign several records; each on its own merits",
    tag="logbook",
    body=s.BatchSignIn,
    response=s.BatchSignOut,
)
def sign_records(body: s.BatchSignIn):
    outcomes = signoff.sign_many(current_user(), current_association_id(), body.record_ids)
    return {
        "items": [
            {"record_id": o.record_id, "is_signed": o.is_signed, "message": o.message} for o in outcomes
        ]
    }


@operation(
    "/records/<int:record_id>/return",
    "POST",
    summary="Return a submitted record with a comment",
    tag="logbook",
    body=s.ReturnIn,
    response=s.RecordOut,
)
def return_record(record_id: int, body: s.ReturnIn):
    return signoff.return_record(
        current_user(),
        current_association_id(),
        record_id,
        body.comment,
        privacy_confirmed=body.privacy_confirmed,
    )


# --- supervisor reports ---------------------------------------------------------------


@operation(
    "/enrolments/<int:enrolment_id>/reports",
    "GET",
    summary="Supervisor reports on an enrolment",
    tag="reports",
    query=s.ListQuery,
    response=s.ReportList,
)
def list_reports(enrolment_id: int, query: s.ListQuery):
    """Trainees see signed reports only."""
    items = reports.reports_of(current_user(), enrolment_id)
    if items:
        _in_acting_association(items[0].association_id)
    return page_of(items, query.cursor, query.limit, descending=True)


# --- certificates ---------------------------------------------------------------------


@operation(
    "/certificates",
    "GET",
    summary="Certificates: the association's for admins, one's own for others",
    tag="certificates",
    query=s.ListQuery,
    response=s.CertificateList,
)
def list_certificates(query: s.ListQuery):
    user, association_id = current_user(), current_association_id()
    stmt = select(Certificate).where(Certificate.association_id == association_id)
    if not policy.can_manage_certificates(user, association_id):
        policy.require_member(user, association_id)
        stmt = stmt.where(Certificate.holder_id == user.id)
    return cursor_query(stmt, Certificate.id, query.cursor, query.limit)


@operation(
    "/certificates",
    "POST",
    summary="Issue a certificate (admins)",
    tag="certificates",
    body=s.CertificateIn,
    response=s.CertificateOut,
    status=201,
    is_idempotent=True,
)
def issue_certificate(body: s.CertificateIn):
    """Refused (422) with the unmet essentials unless ``override_reason`` is given."""
    enrolment = access.get_enrolment(current_user(), current_association_id(), body.enrolment_id)
    return issuing.issue(
        current_user(),
        enrolment.id,
        override_reason=body.override_reason,
        holder_name=body.holder_name,
        privacy_confirmed=body.privacy_confirmed,
    )


@operation(
    "/certificates/<int:certificate_id>",
    "GET",
    summary="One certificate",
    tag="certificates",
    response=s.CertificateOut,
)
def get_certificate(certificate_id: int):
    certificate = certificate_records.get_certificate(current_user(), certificate_id)
    _in_acting_association(certificate.association_id)
    return certificate


@operation(
    "/certificates/<int:certificate_id>/revocation",
    "POST",
    summary="Revoke a certificate (admins)",
    tag="certificates",
    body=s.RevokeIn,
    response=s.CertificateOut,
)
def revoke_certificate(certificate_id: int, body: s.RevokeIn):
    certificate = certificate_records.get_certificate(current_user(), certificate_id)
    _in_acting_association(certificate.association_id)
    return issuing.revoke(
        current_user(), certificate.id, reason=body.reason, privacy_confirmed=body.privacy_confirmed
    )


@operation(
    "/certificates/<int:certificate_id>/pdf",
    "GET",
    summary="The certificate as issued (PDF)",
    tag="certificates",
    media_type="application/pdf",
)
def certificate_pdf(certificate_id: int):
    certificate = certificate_records.get_certificate(current_user(), certificate_id)
    _in_acting_association(certificate.association_id)
    name, pdf = certificate_records.certificate_pdf(current_user(), certificate.id)
    return send_file(BytesIO(pdf), mimetype="application/pdf", download_name=name, as_attachment=True)


@operation(
    "/verify/<serial>",
    "GET",
    summary="Public verification of a serial number",
    tag="certificates",
    response=s.VerificationOut,
    is_public=True,
    errors=(404,),
)
def verify_certificate(serial: str):
    record = verification.lookup(serial)
    return {
        "serial": record.serial,
        "status": record.status.value,
        "holder_name": record.holder_name,
        "programme_title": record.programme_title,
        "association_name": record.association_name,
        "issued_on": record.issued_on,
        "expires_on": record.expires_on,
        "revoked_on": record.revoked_on,
        "superseded_by": record.superseded_by,
    }

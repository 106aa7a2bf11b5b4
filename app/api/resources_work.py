"""API operations for learning, vignette reflections and their review, and certificates
(with public verification). The logbook and reports have modules of their own."""

from __future__ import annotations

from io import BytesIO

from flask import send_file
from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.api import schemas as s
from app.api.core import current_association_id, current_user, cursor_query, in_acting_association, operation
from app.certificates import corrections, issuing, verification
from app.certificates import records as certificate_records
from app.certificates.limits import lookup_limit
from app.certificates.models import Certificate
from app.content.curriculum import DIMENSIONS, get_curriculum
from app.errors import NotFound
from app.learning import allowances, quizzes
from app.learning import services as learning
from app.learning.scoring import Answer
from app.logbook import access
from app.vignettes import review
from app.vignettes import services as vignettes
from app.vignettes.models import Reflection
from app.vignettes.ordering import ordered_options
from app.vignettes.schema import DIMENSION_KEYS

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
    return {"items": [_lesson_out(state) for state in progress.lessons]}


def _lesson_out(state) -> dict:
    return {
        "slug": state.lesson.slug,
        "position": state.lesson.position,
        "title": state.lesson.title,
        "summary": state.lesson.summary,
        "version": state.lesson.version,
        "reading_minutes": state.lesson.reading_minutes,
        "is_completed": state.is_completed,
    }


def attempt_out(attempt) -> dict:
    """The attempt with its questions as the trainee sees them (never the right answers).

    Options come in the attempt's recorded (shuffled) order; ``option_indexes`` gives,
    for each, the index an answer uses.
    """
    shown = [
        {
            "id": item.question.id,
            "kind": item.question.kind,
            "prompt": item.question.text,
            "options": [option.text for option in item.options],
            "option_indexes": list(item.order),
            "dimensions": (
                {name: list(poles) for name, poles in DIMENSIONS.items()}
                if item.question.kind == "classify"
                else {}
            ),
        }
        for item in quizzes.presented_questions(attempt, get_curriculum())
    ]
    return {
        "id": attempt.id,
        "kind": attempt.kind,
        "lesson_slug": attempt.lesson_slug,
        "question_ids": list(attempt.question_ids),
        "questions": shown,
        "score_percent": attempt.score_percent,
        "is_passed": attempt.is_passed,
        "pass_mark": attempt.pass_mark,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
    }


@operation(
    "/lessons/<slug>",
    "GET",
    summary="One lesson, with its text (Markdown)",
    tag="learning",
    response=s.LessonDetailOut,
)
def get_lesson(slug: str):
    progress = learning.module_progress(current_user(), current_association_id())
    state = next((state for state in progress.lessons if state.lesson.slug == slug), None)
    if state is None:
        raise NotFound(_("There is no lesson with this name."))
    lesson = state.lesson
    return {
        **_lesson_out(state),
        "objectives": list(lesson.objectives),
        "body_markdown": lesson.body,
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
    attempt = quizzes.start_attempt(current_user(), current_association_id(), body.kind, body.lesson_slug)
    return attempt_out(attempt)


@operation(
    "/attempts/<int:attempt_id>",
    "GET",
    summary="One of the caller's attempts",
    tag="learning",
    response=s.AttemptOut,
)
def get_attempt(attempt_id: int):
    return attempt_out(quizzes.get_attempt(current_user(), current_association_id(), attempt_id))


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
    return attempt_out(quizzes.submit_attempt(current_user(), current_association_id(), attempt_id, answers))


@operation(
    "/trainees/<int:trainee_id>/final-test-attempts",
    "POST",
    summary="Allow a trainee more attempts at the final test (their supervisors, admins)",
    tag="learning",
    body=s.ExtraAttemptsIn,
    response=s.ExtraAttemptsOut,
    status=201,
    is_idempotent=True,
)
def grant_final_attempts(trainee_id: int, body: s.ExtraAttemptsIn):
    """For a trainee who has not passed; the trainee is told and the reason is audited."""
    return allowances.grant_final_attempts(
        current_user(),
        current_association_id(),
        trainee_id,
        attempts=body.attempts,
        reason=body.reason,
        privacy_confirmed=body.privacy_confirmed,
    )


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
    "/vignettes/<slug>",
    "GET",
    summary="One case vignette with its exercises",
    tag="vignettes",
    response=s.VignetteDetailOut,
)
def get_vignette(slug: str):
    """The case text and what each exercise asks. Guidance and reference answers are
    shown in the pages after a reflection is submitted, never here."""
    work = vignettes.vignette_work(current_user(), current_association_id(), slug)
    vignette, order = work.vignette, work.option_order
    return {
        "slug": vignette.slug,
        "title": vignette.title,
        "profession": vignette.profession,
        "setting": vignette.setting,
        "summary": vignette.summary,
        "body_markdown": vignette.body,
        "version": vignette.version,
        "exercises": [
            {
                "id": exercise.id,
                "kind": exercise.kind,
                "prompt": exercise.prompt,
                "person": exercise.person,
                "options": [
                    {"id": option.id, "text": option.text}
                    for option in ordered_options(exercise, order.get(exercise.id))
                ],
                "rating_dimensions": list(DIMENSION_KEYS) if exercise.kind == "rate-dimensions" else [],
                "people": [{"id": person.id, "text": person.text} for person in exercise.people],
                "passage": exercise.passage,
                "details": [{"id": detail.id, "text": detail.text} for detail in exercise.details],
            }
            for exercise in vignette.exercises
        ],
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
    """Nothing needs to be complete yet. A privacy warning (422, code
    `privacy_warning`) asks to resend with `privacy_confirmed: true`."""
    return vignettes.save_draft(
        current_user(), current_association_id(), slug, _answers(body), is_confirmed=body.privacy_confirmed
    )


def _answers(body: s.ReflectionIn) -> dict:
    return {exercise_id: answer.model_dump(exclude_none=True) for exercise_id, answer in body.answers.items()}


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
        current_user(), current_association_id(), slug, _answers(body), is_confirmed=body.privacy_confirmed
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
    "/reviews/pending",
    "GET",
    summary="Reflections waiting for the caller's review (supervisors)",
    tag="vignettes",
    query=s.ListQuery,
    response=s.ReflectionList,
)
def list_pending_reviews(query: s.ListQuery):
    """Oldest first, in id order so that cursors stay stable."""
    stmt = review.review_queue_query(current_user(), current_association_id())
    return cursor_query(stmt, Reflection.id, query.cursor, query.limit, descending=False)


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


# --- certificates ---------------------------------------------------------------------


@operation(
    "/certificates",
    "GET",
    summary="Certificates: the association's for admins, one's own for others",
    tag="certificates",
    query=s.CertificateQuery,
    response=s.CertificateList,
)
def list_certificates(query: s.CertificateQuery):
    """Newest first; filter by `state`, `enrolment_id` or `holder_id`."""
    user, association_id = current_user(), current_association_id()
    stmt = select(Certificate).where(Certificate.association_id == association_id)
    if not policy.can_manage_certificates(user, association_id):
        policy.require_member(user, association_id)
        stmt = stmt.where(Certificate.holder_id == user.id)
    if query.state:
        stmt = stmt.where(Certificate.state == query.state)
    if query.enrolment_id:
        stmt = stmt.where(Certificate.enrolment_id == query.enrolment_id)
    if query.holder_id:
        stmt = stmt.where(Certificate.holder_id == query.holder_id)
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
    """Refused (409) with the unmet essentials unless `override_reason` is given."""
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
    in_acting_association(certificate.association_id)
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
    in_acting_association(certificate.association_id)
    return corrections.revoke(
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
    in_acting_association(certificate.association_id)
    name, pdf = certificate_records.certificate_pdf(current_user(), certificate.id)
    return send_file(BytesIO(pdf), mimetype="application/pdf", download_name=name, as_attachment=True)


@operation(
    "/verify/<serial>",
    "GET",
    summary="Public verification of a serial number",
    tag="certificates",
    response=s.VerificationOut,
    is_public=True,
    errors=(404, 429),
)
@lookup_limit  # the same budget as /verify/<serial> and its twins (app.certificates.limits)
def verify_certificate(serial: str):
    record = verification.lookup(serial)
    return {
        "serial": record.serial,
        "status": record.status.value,
        "holder_name": record.holder_name,
        "programme_title": record.programme_title,
        "association_name": record.association_name,
        "issued_on": record.issued_on,
        "first_awarded_on": record.first_awarded_on,
        "expires_on": record.expires_on,
        "revoked_on": record.revoked_on,
        "superseded_by": record.superseded_by,
        "suspended_since": record.suspended_since,
    }

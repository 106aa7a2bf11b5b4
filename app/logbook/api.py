"""API operations of the logbook, on the API blueprint of ``app.api.core``: the four
record kinds, their drafts, submission, the co-leader's confirmation, the supervisor's
queue, signing, return and reopening. Their models are in ``app.logbook.api_schemas``.

Every operation calls the same service the logbook pages call, so a record made here
is checked, privacy-guarded, audited and signed by exactly the same rules.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from pydantic import BaseModel
from sqlalchemy import select

from app import policy
from app.api.core import current_association_id, current_user, cursor_query, operation
from app.errors import ValidationError
from app.logbook import access, signoff
from app.logbook import api_schemas as s
from app.logbook import records as logbook
from app.logbook.models import LogbookRecord
from app.logbook.validation import EventInput, ObservationInput, SessionInput, SupervisionInput


def record_out(record: LogbookRecord) -> dict:
    """A record with its kind's own fields under `details` (what a signature vouches for)."""
    return {
        "id": record.id,
        "enrolment_id": record.enrolment_id,
        "kind": record.kind,
        "status": record.status,
        "occurred_on": record.occurred_on,
        "author_id": record.author_id,
        "submitted_at": record.submitted_at,
        "signed_at": record.signed_at,
        "signer_id": record.signer_id,
        "is_imported": record.is_imported,
        "return_comment": record.return_comment,
        "supersedes_id": record.supersedes_id,
        "details": record.kind_content(),
    }


def _page_out(page: dict) -> dict:
    return {"items": [record_out(r) for r in page["items"]], "next_cursor": page["next_cursor"]}


# --- reading --------------------------------------------------------------------------


@operation(
    "/enrolments/<int:enrolment_id>/records",
    "GET",
    summary="An enrolment's logbook records",
    tag="logbook",
    query=s.RecordQuery,
    response=s.RecordList,
)
def list_records(enrolment_id: int, query: s.RecordQuery):
    """Newest first; filter by `status` and `kind`."""
    enrolment = access.get_enrolment(current_user(), current_association_id(), enrolment_id)
    stmt = select(LogbookRecord).where(LogbookRecord.enrolment_id == enrolment.id)
    if query.status:
        stmt = stmt.where(LogbookRecord.status == query.status)
    if query.kind:
        stmt = stmt.where(LogbookRecord.kind == query.kind)
    return _page_out(cursor_query(stmt, LogbookRecord.id, query.cursor, query.limit))


@operation(
    "/records/<int:record_id>", "GET", summary="One logbook record", tag="logbook", response=s.RecordOut
)
def get_record(record_id: int):
    record = access.get_record(current_user(), current_association_id(), record_id)
    policy.require_view_record(current_user(), record)
    return record_out(record)


# --- writing: one create and one update operation per record kind ----------------------


def _session(body: s.SessionIn) -> SessionInput:
    return SessionInput(
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


def _supervision(body: s.SupervisionIn) -> SupervisionInput:
    return SupervisionInput(
        occurred_on=body.occurred_on,
        minutes=body.minutes,
        mode=body.mode,
        channel=body.channel,
        supervisor_id=body.supervisor_id,
        has_recording=body.has_recording,
        notes=body.notes,
    )


def _event(body: s.EventIn) -> EventInput:
    return EventInput(
        event_kind=body.event_kind,
        title=body.title,
        provider=body.provider,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        days=body.days,
        minutes=body.minutes,
    )


def _observation(body: s.ObservationIn) -> ObservationInput:
    return ObservationInput(
        occurred_on=body.occurred_on, setting=body.setting, outcome=body.outcome, report=body.report
    )


def _register_kind(segment: str, noun: str, who: str, model: type[BaseModel], convert: Callable) -> None:
    """`POST /records/<segment>` creates a draft; `PUT /records/<segment>/<id>` changes one."""

    def create(body):
        record = logbook.create_record(
            current_user(),
            current_association_id(),
            body.enrolment_id,
            convert(body),
            privacy_confirmed=body.privacy_confirmed,
            submit=body.submit,
        )
        return record_out(record)

    def update(record_id: int, body):
        """Only the author's drafts and returned records can change (409 otherwise)."""
        user, association_id = current_user(), current_association_id()
        if access.get_record(user, association_id, record_id).enrolment_id != body.enrolment_id:
            raise ValidationError(
                _("Please correct the marked fields."),
                fields={"enrolment_id": [_("A record stays in the enrolment it was logged in.")]},
            )
        record = logbook.update_record(
            user,
            association_id,
            record_id,
            convert(body),
            privacy_confirmed=body.privacy_confirmed,
            submit=body.submit,
        )
        return record_out(record)

    name = segment.replace("-", "_")
    create.__name__, update.__name__ = f"create_{name}", f"update_{name}"
    create.__doc__ = (
        f"A draft, or submitted at once with `submit: true`. Free text that may identify a "
        f"patient is answered with 422 `privacy_warning`; resend with `privacy_confirmed: true`. "
        f"Made by {who}."
    )
    operation(
        f"/records/{segment}",
        "POST",
        summary=f"Log {noun}",
        tag="logbook",
        body=model,
        response=s.RecordOut,
        status=201,
        is_idempotent=True,
    )(create)
    operation(
        f"/records/{segment}/<int:record_id>",
        "PUT",
        summary=f"Change a draft or returned {segment.rstrip('s')} record",
        tag="logbook",
        body=model,
        response=s.RecordOut,
    )(update)


_register_kind("sessions", "a Balint group session", "the trainee", s.SessionIn, _session)
_register_kind("supervision", "a supervision session", "the trainee", s.SupervisionIn, _supervision)
_register_kind("events", "a workshop or training event", "the trainee", s.EventIn, _event)
_register_kind(
    "observations", "an observation of the trainee leading", "the observer", s.ObservationIn, _observation
)


@operation("/records/<int:record_id>", "DELETE", summary="Delete a draft", tag="logbook", status=204)
def delete_record(record_id: int):
    """Only a draft that never reached a verifier; anything later stays as evidence (409)."""
    logbook.delete_record(current_user(), current_association_id(), record_id)


@operation(
    "/records/<int:record_id>/submission",
    "POST",
    summary="Submit a record for sign-off",
    tag="logbook",
    response=s.RecordOut,
)
def submit_record(record_id: int):
    return record_out(logbook.submit_record(current_user(), current_association_id(), record_id))


# --- the co-leader's confirmation ----------------------------------------------------------


def session_to_confirm_out(record) -> dict:
    """The co-leader's view of a session: what they vouch for, and nothing private."""
    return {
        "record_id": record.id,
        "trainee_name": record.enrolment.trainee.name,
        "occurred_on": record.occurred_on,
        "status": record.status,
        "role": record.role,
        "minutes": record.minutes,
        "mode": record.mode,
        "group_kind": record.group_kind,
        "setting_category": record.setting_category,
        "members": record.members,
        "cases": record.cases,
        "is_confirmed": record.confirmation() is not None,
    }


@operation(
    "/confirmations/pending",
    "GET",
    summary="Sessions naming the caller as co-leader, not yet confirmed",
    tag="logbook",
    response=s.SessionToConfirmList,
)
def list_pending_confirmations():
    """Each item is the co-leader's view of the session, as `GET /confirmations/{record_id}`
    gives it: the trainee's reflection and the rest of their logbook stay private."""
    sessions = signoff.awaiting_confirmation(current_user(), current_association_id())
    return {"items": [session_to_confirm_out(r) for r in sessions], "next_cursor": None}


@operation(
    "/confirmations/<int:record_id>",
    "GET",
    summary="A session the caller is named on as co-leader, as they confirm it",
    tag="logbook",
    response=s.SessionToConfirmOut,
    errors=(404,),
)
def get_session_to_confirm(record_id: int):
    record = signoff.session_to_confirm(current_user(), current_association_id(), record_id)
    return session_to_confirm_out(record)


@operation(
    "/records/<int:record_id>/confirmation",
    "POST",
    summary="Confirm a session as its named co-leader",
    tag="logbook",
    response=s.ConfirmationOut,
    status=201,
)
def confirm_session(record_id: int):
    """The confirmation holds for the content as it reads now; a later change voids it."""
    return signoff.confirm(current_user(), current_association_id(), record_id)


# --- the verifier's side ----------------------------------------------------------------


@operation(
    "/sign-off-queue",
    "GET",
    summary="Records waiting for the caller's signature (supervisors)",
    tag="logbook",
    query=s.QueueQuery,
    response=s.RecordList,
)
def sign_off_queue(query: s.QueueQuery):
    """Oldest first, in id order so that cursors stay stable."""
    stmt = signoff.queue_query(current_user(), current_association_id())
    if query.enrolment_id:
        stmt = stmt.where(LogbookRecord.enrolment_id == query.enrolment_id)
    if query.kind:
        stmt = stmt.where(LogbookRecord.kind == query.kind)
    stmt = stmt.options(*access.record_options())
    return _page_out(cursor_query(stmt, LogbookRecord.id, query.cursor, query.limit, descending=False))


@operation(
    "/records/<int:record_id>/signature",
    "POST",
    summary="Sign a submitted record (its verifier)",
    tag="logbook",
    response=s.RecordOut,
)
def sign_record(record_id: int):
    """Signing a signed record is a conflict (409)."""
    return record_out(signoff.sign(current_user(), current_association_id(), record_id))


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
    record = signoff.return_record(
        current_user(),
        current_association_id(),
        record_id,
        body.comment,
        privacy_confirmed=body.privacy_confirmed,
    )
    return record_out(record)


@operation(
    "/records/<int:record_id>/reopening",
    "POST",
    summary="Reopen a signed record as a new draft version (admins)",
    tag="logbook",
    body=s.ReopenIn,
    response=s.RecordOut,
    status=201,
)
def reopen_record(record_id: int, body: s.ReopenIn):
    """The signed record stays untouched; the new version replaces it once signed."""
    record = signoff.reopen(
        current_user(),
        current_association_id(),
        record_id,
        body.reason,
        privacy_confirmed=body.privacy_confirmed,
    )
    return record_out(record)

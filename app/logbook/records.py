"""Writing the logbook: the author's side of a record's life (create, edit, submit, delete).

Trainees write sessions, supervision and training events; a supervisor who watched a
trainee lead writes an observation. An author edits only drafts and returned records;
a submitted record waits for its verifier, and a signed one never changes again.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import policy
from app.accounts.models import Membership, User
from app.audit.services import record as audit
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.logbook import access, news, uploads, validation
from app.logbook.models import (
    LogbookRecord,
    Observation,
    RecordStatus,
    SessionRecord,
    SupervisionRecord,
    TrainingEvent,
)
from app.logbook.uploads import Upload
from app.logbook.validation import EventInput, ObservationInput, SessionInput, SupervisionInput
from app.privacy.guard import guard_free_text
from app.programmes.models import Enrolment, EnrolmentStatus

RecordInput = SessionInput | SupervisionInput | EventInput | ObservationInput


def today() -> date:
    """The day rules are judged on: UTC, the same clock as every timestamp in the app."""
    return utcnow().date()


def state_message(record: LogbookRecord) -> str:
    """Why a record cannot be changed now, and what to do instead."""
    if record.status == RecordStatus.SIGNED:
        return _("This record is signed and final. An admin can reopen it as a new version if it is wrong.")
    if record.status == RecordStatus.SUBMITTED:
        return _(
            "This record waits for its signature. Ask your supervisor to return it if it needs a change."
        )
    return _("This record cannot be changed now.")


# --- who may write where ------------------------------------------------------------


def trainee_enrolment(actor: User, association_id: int, enrolment_id: int) -> Enrolment:
    """The actor's own active enrolment: the only logbook a trainee writes in."""
    enrolment = access.get_enrolment(actor, association_id, enrolment_id)
    if enrolment.trainee_id != actor.id or not policy.is_trainee(actor, association_id):
        raise Forbidden(_("Only the trainee writes in their own logbook."))
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise InvalidState(_("This enrolment is no longer active; its logbook is closed for new records."))
    return enrolment


def observable_enrolment(actor: User, association_id: int, enrolment_id: int | None) -> Enrolment:
    """Any supervisor of the association may observe any of its active trainees but themselves."""
    policy.require_supervisor(actor, association_id)
    enrolment = db.session.get(Enrolment, enrolment_id) if enrolment_id else None
    if enrolment is None or enrolment.association_id != association_id:
        raise ValidationError(
            _("Choose the trainee you observed."), fields={"enrolment_id": [_("Choose a trainee.")]}
        )
    if enrolment.trainee_id == actor.id:
        raise Forbidden(_("You cannot record an observation of yourself."))
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise InvalidState(_("This enrolment is no longer active; its logbook is closed for new records."))
    return enrolment


def co_leader_candidates(actor: User, association_id: int) -> list[User]:
    """People of the association who can be named as co-leader (everyone active but the actor)."""
    policy.require_member(actor, association_id)
    members = select(Membership.user_id).where(
        Membership.association_id == association_id, Membership.is_active.is_(True)
    )
    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(members), User.id != actor.id, User.is_enabled.is_(True))
            .order_by(func.lower(User.name))
        )
    )


def _active_member_ids(association_id: int, user_id: int | None) -> set[int]:
    if user_id is None:
        return set()
    found = db.session.scalar(
        select(Membership.user_id).where(
            Membership.association_id == association_id,
            Membership.user_id == user_id,
            Membership.is_active.is_(True),
        )
    )
    return {found} if found else set()


# --- checking and applying input, per kind -------------------------------------------


def _check(
    record_type: type[LogbookRecord],
    data: RecordInput,
    enrolment: Enrolment,
    certificate: Upload | None,
) -> None:
    day = today()
    if record_type is SessionRecord and isinstance(data, SessionInput):
        members = _active_member_ids(enrolment.association_id, data.co_leader_id)
        validation.check_session(data, today=day, trainee_id=enrolment.trainee_id, member_ids=members)
    elif record_type is SupervisionRecord and isinstance(data, SupervisionInput):
        assigned = {supervisor.id for supervisor in enrolment.supervisors}
        validation.check_supervision(data, today=day, supervisor_ids=assigned)
    elif record_type is TrainingEvent and isinstance(data, EventInput):
        problems: dict[str, list[str]] = {}
        for check in (lambda: validation.check_event(data, today=day), lambda: _check_file(certificate)):
            try:
                check()
            except ValidationError as error:
                problems.update(error.fields)
        if problems:
            raise ValidationError(_("Please correct the highlighted fields."), fields=problems)
    elif record_type is Observation and isinstance(data, ObservationInput):
        validation.check_observation(data, today=day)
    else:
        raise ValidationError(_("These details do not fit this kind of record."))


def _check_file(certificate: Upload | None) -> None:
    if certificate is not None:
        uploads.check(certificate)


def _free_text(data: RecordInput) -> dict[str, str]:
    """The fields the privacy guard reads. A co-leader's name is a colleague named on
    purpose, not a patient, so it is not scanned."""
    if isinstance(data, SessionInput):
        return {"setting": data.setting, "reflection": data.reflection}
    if isinstance(data, SupervisionInput):
        return {"notes": data.notes}
    if isinstance(data, EventInput):
        return {"title": data.title, "provider": data.provider}
    return {"setting": data.setting, "report": data.report}


def _apply(record: LogbookRecord, data: RecordInput) -> None:
    values = asdict(data)
    if isinstance(data, SessionInput):
        values["phases"] = list(data.phases)
        values["setting"] = data.setting.strip()
        values["co_leader_name"] = data.co_leader_name.strip()
        values["reflection"] = data.reflection.strip()
    elif isinstance(data, SupervisionInput):
        values["notes"] = data.notes.strip()
    elif isinstance(data, EventInput):
        values["occurred_on"] = values.pop("starts_on")
        values["title"] = data.title.strip()
        values["provider"] = data.provider.strip()
    else:
        values["setting"] = data.setting.strip()
        values["report"] = data.report.strip()
    for name, value in values.items():
        setattr(record, name, value)


def _attach(record: TrainingEvent, certificate: Upload | None, remove: bool) -> None:
    if remove and record.certificate_key:
        _forget_certificate(record)
    if certificate is not None:
        if record.certificate_key:
            _forget_certificate(record)
        stored = uploads.store(certificate)
        record.certificate_key = stored.key
        record.certificate_name = stored.name
        record.certificate_type = stored.content_type
        record.certificate_size = stored.size
        record.certificate_sha256 = stored.sha256


def _forget_certificate(record: TrainingEvent) -> None:
    """Detach the file; delete it unless an older version of the record still vouches for it."""
    key = record.certificate_key
    shared = db.session.scalar(
        select(func.count(TrainingEvent.id)).where(
            TrainingEvent.certificate_key == key, TrainingEvent.id != record.id
        )
    )
    if not shared:
        uploads.remove(key)
    record.certificate_key = None
    record.certificate_name = ""
    record.certificate_type = ""
    record.certificate_size = None
    record.certificate_sha256 = None


def _forget_evidence(record: LogbookRecord) -> None:
    """Evidence files go with the unsigned record they were attached to."""
    from app.attachments.services import forget  # attachments build on this module

    forget(record_id=record.id)


# --- the services --------------------------------------------------------------------

_TYPES: dict[type, type[LogbookRecord]] = {
    SessionInput: SessionRecord,
    SupervisionInput: SupervisionRecord,
    EventInput: TrainingEvent,
    ObservationInput: Observation,
}


def create_record(
    actor: User,
    association_id: int,
    enrolment_id: int | None,
    data: RecordInput,
    *,
    privacy_confirmed: bool = False,
    submit: bool = False,
    certificate: Upload | None = None,
) -> LogbookRecord:
    """A new draft in a logbook (submitted at once when ``submit``)."""
    record_type = _TYPES[type(data)]
    if record_type is Observation:
        enrolment = observable_enrolment(actor, association_id, enrolment_id)
    else:
        enrolment = trainee_enrolment(actor, association_id, enrolment_id or 0)
    _check(record_type, data, enrolment, certificate)
    guard_free_text(
        _free_text(data), is_confirmed=privacy_confirmed, actor=actor, association_id=association_id
    )
    record = record_type(
        association_id=association_id,
        enrolment_id=enrolment.id,
        enrolment=enrolment,
        author_id=actor.id,
        status=RecordStatus.DRAFT.value,
    )
    if record_type is Observation:
        record.observer_id = actor.id
    _apply(record, data)
    if isinstance(record, TrainingEvent):
        _attach(record, certificate, remove=False)
    db.session.add(record)
    db.session.flush()
    audit("logbook.created", record, actor=actor, kind=record.kind)
    if submit:
        _submit(actor, record)
    return record


def update_record(
    actor: User,
    association_id: int,
    record_id: int,
    data: RecordInput,
    *,
    privacy_confirmed: bool = False,
    submit: bool = False,
    certificate: Upload | None = None,
    remove_certificate: bool = False,
) -> LogbookRecord:
    """Change a draft or returned record (and submit it when ``submit``)."""
    record = editable_record(actor, association_id, record_id)
    if _TYPES[type(data)] is not type(record):
        raise ValidationError(_("These details do not fit this kind of record."))
    _check(type(record), data, record.enrolment, certificate)
    guard_free_text(
        _free_text(data),
        is_confirmed=privacy_confirmed,
        actor=actor,
        obj=record,
        association_id=association_id,
    )
    before = record.content()
    _apply(record, data)
    if isinstance(record, TrainingEvent):
        _attach(record, certificate, remove=remove_certificate)
    after = record.content()
    changed = sorted(name for name in after if after[name] != before.get(name))
    record.updated_at = utcnow()
    audit("logbook.updated", record, actor=actor, fields=changed)
    if submit:
        _submit(actor, record)
    return record


def editable_record(actor: User, association_id: int, record_id: int) -> LogbookRecord:
    """A record its author may change now; a submitted or signed one is a conflict (409)."""
    record = access.get_record(actor, association_id, record_id)
    policy.require_edit_record(actor, record)
    if not record.is_editable:
        raise InvalidState(state_message(record))
    return record


def submit_record(actor: User, association_id: int, record_id: int) -> LogbookRecord:
    """Send a draft or returned record to its verifier."""
    record = editable_record(actor, association_id, record_id)
    _submit(actor, record)
    return record


def _submit(actor: User, record: LogbookRecord) -> None:
    if not policy.can_submit_record(actor, record):
        raise InvalidState(state_message(record))
    previous = record.status
    record.status = RecordStatus.SUBMITTED.value
    record.submitted_at = utcnow()
    db.session.flush()
    audit("logbook.submitted", record, actor=actor, previous=previous)
    news.submitted(record, actor)


def delete_record(actor: User, association_id: int, record_id: int) -> None:
    """Remove a draft that never reached a verifier; anything later is kept as evidence."""
    record = access.get_record(actor, association_id, record_id)
    policy.require_edit_record(actor, record)
    if not policy.can_delete_record(actor, record):
        if record.status == RecordStatus.RETURNED:
            raise InvalidState(_("A returned record stays in the logbook: correct it and submit it again."))
        raise InvalidState(state_message(record))
    if isinstance(record, TrainingEvent) and record.certificate_key:
        _forget_certificate(record)
    _forget_evidence(record)
    audit(
        "logbook.deleted", record, actor=actor, kind=record.kind, occurred_on=record.occurred_on.isoformat()
    )
    db.session.delete(record)
    db.session.flush()


def discard_unsigned(record: LogbookRecord) -> None:
    """Delete a record nobody signed, with its attachment and any confirmation of it.

    For erasure and retention, which act for the association rather than the author;
    the caller checks its own permission and writes its own audit event."""
    if record.status == RecordStatus.SIGNED:
        raise InvalidState(_("A signed record is kept as evidence."))
    if isinstance(record, TrainingEvent) and record.certificate_key:
        _forget_certificate(record)
    _forget_evidence(record)
    if isinstance(record, SessionRecord):
        for confirmation in list(record.confirmations):
            db.session.delete(confirmation)
    db.session.delete(record)


def certificate_of(actor: User, association_id: int, record_id: int) -> tuple[TrainingEvent, bytes]:
    """An event and its certificate's bytes, for whoever may see the record."""
    record = access.get_record(actor, association_id, record_id)
    if not isinstance(record, TrainingEvent) or not record.certificate_key:
        raise NotFound(_("This record has no certificate."))
    data = uploads.read(record.certificate_key)
    if data is None:
        raise NotFound(_("The certificate file is missing. Please tell your association's admin."))
    return record, data

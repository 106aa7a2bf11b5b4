"""Sign-off: the verifier's side of a record's life (sign, return), corrections, confirmations, the queue.

A signature is written with one conditional UPDATE (``... WHERE status = 'submitted'``):
of two supervisors signing the same record at once, the database lets exactly one
through and the other learns that the record changed under them. Signing stores who,
when and the SHA-256 of the record's canonical content; after that the row is final
(the triggers in ``app.logbook.triggers`` refuse any change) and a correction is a new
record that references it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, select, union_all, update
from sqlalchemy.orm import aliased, attributes, selectinload

from app import formatting, policy
from app import search as text_search
from app.accounts.models import User
from app.audit.services import record as audit
from app.database import utcnow
from app.errors import DomainError, InvalidState, NotFound
from app.extensions import db
from app.logbook import access, accreditations, news, validation
from app.logbook.labels import describe
from app.logbook.models import (
    CoLeaderConfirmation,
    LogbookRecord,
    Observation,
    RecordKind,
    RecordStatus,
    SessionRecord,
    SupervisionRecord,
    TrainingEvent,
)
from app.pagination import Page
from app.privacy.guard import guard_free_text
from app.programmes.models import Enrolment, enrolment_supervisor
from app.requirements.staleness import mark_progress_stale

MAX_BATCH = 200


def today() -> date:
    return utcnow().date()


def _not_submitted_message(record: LogbookRecord) -> str:
    if record.status == RecordStatus.SIGNED:
        return _("This record is already signed.")
    if record.status == RecordStatus.RETURNED:
        return _("This record was returned to its author; it can be signed once it is submitted again.")
    return _("This record has not been submitted yet.")


def check_can_sign(actor: User, record: LogbookRecord, day: date) -> None:
    """Every rule a signature must pass, most fundamental first, each with its own message."""
    policy.require_sign_record(actor, record)
    if record.status != RecordStatus.SUBMITTED:
        raise InvalidState(_not_submitted_message(record))
    if not accreditations.is_accredited_on(actor.id, record.association_id, day):
        raise InvalidState(
            _(
                "Your accreditation as a supervisor is not valid on %(day)s, so you cannot sign. "
                "Ask an admin of your association to record your accreditation.",
                day=formatting.date(day),
            )
        )


def _transition(record: LogbookRecord, values: dict[str, object]) -> None:
    """Move a submitted record on, atomically; refuse if someone else moved it first."""
    result = db.session.execute(
        update(LogbookRecord.__table__)
        .where(LogbookRecord.id == record.id, LogbookRecord.status == RecordStatus.SUBMITTED.value)
        .values(**values)
    )
    if result.rowcount != 1:
        raise InvalidState(_("Someone else signed or returned this record a moment ago. Please reload it."))
    # A Core UPDATE passes the flush hook by: say so ourselves (signed, returned, reopened).
    mark_progress_stale([record.enrolment_id])
    for name, value in values.items():  # the row is already written: tell the ORM, do not re-send
        attributes.set_committed_value(record, name, value)


def _sign_loaded(actor: User, record: LogbookRecord, day: date) -> None:
    check_can_sign(actor, record, day)
    content_hash = record.compute_hash()
    _confirm_as_signer(actor, record, content_hash)
    _transition(
        record,
        {
            "status": RecordStatus.SIGNED.value,
            "signer_id": actor.id,
            "signed_at": utcnow(),
            "content_hash": content_hash,
        },
    )
    attributes.set_committed_value(record, "signer", actor)
    audit("logbook.signed", record, actor=actor, kind=record.kind, content_hash=content_hash)


def _confirm_as_signer(actor: User, record: LogbookRecord, content_hash: str) -> None:
    """A supervisor who signs a session naming them as co-leader vouches for it twice over:
    the signature records their confirmation too, so nothing keeps asking them for it."""
    if not isinstance(record, SessionRecord) or record.co_leader_id != actor.id:
        return
    if record.confirmation() is not None:
        return
    confirmation = CoLeaderConfirmation(
        record_id=record.id, user_id=actor.id, content_hash=content_hash, confirmed_at=utcnow()
    )
    db.session.add(confirmation)
    record.confirmations.append(confirmation)
    db.session.flush()
    audit("logbook.confirmed", record, actor=actor, content_hash=content_hash, with_signature=True)


def sign(actor: User, association_id: int, record_id: int) -> LogbookRecord:
    """Sign one submitted record as its verifier."""
    record = _load_for_verifier(actor, association_id, record_id)
    _sign_loaded(actor, record, today())
    news.signed([record], actor)
    return record


@dataclass(frozen=True)
class BatchOutcome:
    record_id: int
    label: str
    is_signed: bool
    message: str


def sign_many(actor: User, association_id: int, record_ids: list[int]) -> list[BatchOutcome]:
    """Sign each chosen record on its own merits; one refusal does not stop the others."""
    policy.require_supervisor(actor, association_id)
    wanted = list(dict.fromkeys(record_ids))[:MAX_BATCH]
    found = {
        record.id: record
        for record in db.session.scalars(
            select(LogbookRecord)
            .where(LogbookRecord.id.in_(wanted), LogbookRecord.association_id == association_id)
            .options(*access.record_options())
        )
    }
    day = today()
    outcomes: list[BatchOutcome] = []
    signed: list[LogbookRecord] = []
    for record_id in wanted:
        record = found.get(record_id)
        if record is None:
            outcomes.append(
                BatchOutcome(record_id, _("Record %(id)d", id=record_id), False, _("No such record."))
            )
            continue
        label = _("%(record)s — %(name)s", record=describe(record), name=record.enrolment.trainee.name)
        try:
            _sign_loaded(actor, record, day)
        except DomainError as error:
            outcomes.append(BatchOutcome(record.id, label, False, error.message))
        else:
            signed.append(record)
            outcomes.append(BatchOutcome(record.id, label, True, _("Signed.")))
    audit(
        "logbook.batch_signed",
        actor=actor,
        association_id=association_id,
        object_type="LogbookRecord",
        signed=[r.id for r in signed],
        refused=[o.record_id for o in outcomes if not o.is_signed],
    )
    news.signed(signed, actor)
    return outcomes


def return_record(
    actor: User, association_id: int, record_id: int, comment: str, *, privacy_confirmed: bool = False
) -> LogbookRecord:
    """Send a submitted record back to its author with a comment saying what to change."""
    record = _load_for_verifier(actor, association_id, record_id)
    policy.require_sign_record(actor, record)
    if record.status != RecordStatus.SUBMITTED:
        raise InvalidState(_not_submitted_message(record))
    validation.check_comment(
        comment, name="comment", required=_("Say what the author should change before you return it.")
    )
    guard_free_text({"comment": comment}, is_confirmed=privacy_confirmed, actor=actor, obj=record)
    _transition(
        record,
        {
            "status": RecordStatus.RETURNED.value,
            "returned_at": utcnow(),
            "returned_by_id": actor.id,
            "return_comment": comment.strip(),
        },
    )
    attributes.set_committed_value(record, "returned_by", actor)
    audit("logbook.returned", record, actor=actor, kind=record.kind)
    news.returned(record, actor)
    return record


def _load_for_verifier(actor: User, association_id: int, record_id: int) -> LogbookRecord:
    if not policy.is_member(actor, association_id):
        raise NotFound(_("No such record."))
    return access.load_record(association_id, record_id)


_COPIED = {
    SessionRecord: (
        "role minutes mode group_kind setting_category setting members cases co_leader_id "
        "co_leader_name is_co_leader_accredited phases_run reflection"
    ),
    SupervisionRecord: "minutes mode channel supervisor_id has_recording notes",
    TrainingEvent: (
        "event_kind title provider ends_on days certificate_key certificate_name certificate_type "
        "certificate_size certificate_sha256"
    ),
    Observation: "observer_id setting outcome report",
}


def reopen(
    actor: User, association_id: int, record_id: int, reason: str, *, privacy_confirmed: bool = False
) -> LogbookRecord:
    """An admin's correction path: a new draft version that references the signed one.

    The signed record is not touched (the database would refuse it); the new version
    carries the reason, goes back to the author, and replaces the old one in totals and
    exports once it is signed in its turn. The audit trail keeps the old content hash.
    """
    if not policy.is_member(actor, association_id):
        raise NotFound(_("No such record."))
    old = access.load_record(association_id, record_id)
    policy.require_reopen_record(actor, old)
    if old.status != RecordStatus.SIGNED:
        raise InvalidState(_("Only a signed record can be reopened; this one can still be returned instead."))
    if old.superseded_by is not None:
        raise InvalidState(_("This record was already reopened; the newer version is the one to correct."))
    validation.check_comment(
        reason, name="reason", required=_("Give the reason for reopening a signed record.")
    )
    guard_free_text({"reason": reason}, is_confirmed=privacy_confirmed, actor=actor, obj=old)
    record_type = type(old)
    new = record_type(
        association_id=old.association_id,
        enrolment_id=old.enrolment_id,
        enrolment=old.enrolment,
        occurred_on=old.occurred_on,
        author_id=old.author_id,
        status=RecordStatus.DRAFT.value,
        supersedes_id=old.id,
        reopened_by_id=actor.id,
        reopen_reason=reason.strip(),
    )
    for name in _COPIED[record_type].split():
        setattr(new, name, getattr(old, name))
    db.session.add(new)
    db.session.flush()
    audit(
        "logbook.reopened",
        new,
        actor=actor,
        supersedes=old.id,
        old_content_hash=old.content_hash,
        old_signer_id=old.signer_id,
        reason=reason.strip(),
    )
    news.reopened(new, actor)
    return new


def confirm(actor: User, association_id: int, record_id: int) -> CoLeaderConfirmation:
    """The named co-leader confirms the session as it now reads."""
    if not policy.is_member(actor, association_id):
        raise NotFound(_("No such record."))
    record = access.load_record(association_id, record_id)
    policy.require_confirm_session(actor, record)
    if not policy.can_confirm_session(actor, record):
        raise InvalidState(_("This session can be confirmed once it has been submitted."))
    if record.confirmation() is not None:
        raise InvalidState(_("You have already confirmed this session."))
    confirmation = CoLeaderConfirmation(
        record_id=record.id, user_id=actor.id, content_hash=record.compute_hash(), confirmed_at=utcnow()
    )
    db.session.add(confirmation)
    db.session.flush()
    audit("logbook.confirmed", record, actor=actor, content_hash=confirmation.content_hash)
    news.confirmed(record, actor)
    return confirmation


def session_to_confirm(actor: User, association_id: int, record_id: int) -> SessionRecord:
    """One session as its named co-leader may see it: the facts they confirm.

    The co-leader is not a reader of the trainee's logbook, so callers show them only
    what the confirmation vouches for (date, length, group, members), never the
    trainee's reflection or their other records."""
    if not policy.is_member(actor, association_id):
        raise NotFound(_("No such record."))
    record = access.load_record(association_id, record_id)
    if not policy.can_confirm_session(actor, record):
        raise NotFound(_("No such record."))
    return record


def awaiting_confirmation(actor: User, association_id: int) -> list[SessionRecord]:
    """Sessions naming the actor as co-leader that they have not confirmed as they now read."""
    policy.require_member(actor, association_id)
    sessions = db.session.scalars(
        select(SessionRecord)
        .where(
            SessionRecord.association_id == association_id,
            SessionRecord.co_leader_id == actor.id,
            SessionRecord.status.in_([RecordStatus.SUBMITTED.value, RecordStatus.SIGNED.value]),
            access.is_current(),
        )
        .options(
            selectinload(SessionRecord.confirmations),
            selectinload(SessionRecord.enrolment).selectinload(Enrolment.trainee),
        )
        .order_by(SessionRecord.occurred_on.desc())
        .limit(200)
    )
    return [session for session in sessions if session.confirmation() is None]


# --- the supervisor's queue -------------------------------------------------------------


def _waiting(actor: User, association_id: int, enrolment_ids: list[int] | None = None):
    """The submitted records this supervisor is asked to sign, one part per way in, as
    rows of (id, enrolment_id, kind, submitted_at): what the queue counts, filters and
    orders by.

    Sessions and events of the trainees they are assigned to, supervision they gave to
    those trainees, and observations they wrote. The first two start from the
    supervisor's own enrolments and read the partial index of submitted records by
    (enrolment, kind), which holds every column returned here, so a count or a page
    reads index entries, not the association's 75,000 submitted records (issue 14); the
    third starts from the observations the supervisor wrote. Each part names its kind,
    so no record is in two parts and a UNION ALL lists each once.
    """
    record = LogbookRecord.__table__
    columns = (record.c.id, record.c.enrolment_id, record.c.kind, record.c.submitted_at)
    waiting = and_(record.c.status == RecordStatus.SUBMITTED.value, record.c.association_id == association_id)
    supervised = record.c.enrolment_id.in_(
        select(enrolment_supervisor.c.enrolment_id).where(enrolment_supervisor.c.supervisor_id == actor.id)
    )
    if enrolment_ids is not None:  # only these trainees' records (a page of them)
        waiting = and_(waiting, record.c.enrolment_id.in_(enrolment_ids))
    supervision, observation = SupervisionRecord.__table__, Observation.__table__
    return union_all(
        select(*columns).where(
            supervised, waiting, record.c.kind.in_([RecordKind.SESSION.value, RecordKind.EVENT.value])
        ),
        select(*columns)
        .join(supervision, supervision.c.id == record.c.id)
        .where(
            supervised,
            waiting,
            record.c.kind == RecordKind.SUPERVISION.value,
            supervision.c.supervisor_id == actor.id,
        ),
        select(*columns)
        .join(observation, observation.c.id == record.c.id)
        .where(observation.c.observer_id == actor.id, waiting, record.c.kind == RecordKind.OBSERVATION.value),
    ).subquery("waiting")


def queue_query(actor: User, association_id: int):
    """The records waiting for the actor's signature, as a query each caller orders."""
    policy.require_supervisor(actor, association_id)
    return select(LogbookRecord).where(LogbookRecord.id.in_(select(_waiting(actor, association_id).c.id)))


def queue(
    actor: User,
    association_id: int,
    *,
    enrolment_id: int | None = None,
    kind: str = "",
    page: int = 1,
    search: str = "",
) -> Page:
    """Records waiting for the actor's signature, oldest submission first; ``search`` keeps
    trainees whose name contains it (a supervisor may follow a thousand: no pick list)."""
    policy.require_supervisor(actor, association_id)
    waiting = _waiting(actor, association_id)
    ids = select(waiting.c.id, waiting.c.submitted_at)
    if enrolment_id:
        ids = ids.where(waiting.c.enrolment_id == enrolment_id)
    if search.strip():
        trainee = aliased(User)
        ids = ids.where(
            waiting.c.enrolment_id.in_(
                select(Enrolment.id)
                .join(trainee, trainee.id == Enrolment.trainee_id)
                .where(text_search.matches(search, trainee.name))
            )
        )
    if kind in {k.value for k in RecordKind}:
        ids = ids.where(waiting.c.kind == kind)
    return _page_by_ids(ids, page)


def _page_by_ids(ids, page: int) -> Page:
    """One page of the queue: the page's ids first (from the waiting rows alone, which
    the index holds), then those twenty records with everything a row shows. Joining
    every kind's table and the people to each of a supervisor's thousands of waiting
    records before keeping twenty took PostgreSQL over a second (issue 14). Two
    statements, as ``paginate``'s."""
    total = db.session.scalar(select(func.count()).select_from(ids.subquery()))
    per_page = current_app.config["PAGE_SIZE"]
    page = min(max(1, page), max(1, -(-total // per_page)))
    shown = ids.order_by(ids.selected_columns.submitted_at, ids.selected_columns.id)
    shown = shown.limit(per_page).offset((page - 1) * per_page).subquery()
    items = list(
        db.session.scalars(
            select(LogbookRecord)
            .join(shown, shown.c.id == LogbookRecord.id)
            .options(*access.record_options())
            .order_by(shown.c.submitted_at, shown.c.id)
        ).unique()
    )
    return Page(items=items, page=page, per_page=per_page, total=total)


def next_in_queue(actor: User, association_id: int) -> int | None:
    """The record the queue lists first for the actor (where a signature leads next), if any."""
    if not policy.is_supervisor(actor, association_id):
        return None
    waiting = _waiting(actor, association_id)
    return db.session.scalar(select(waiting.c.id).order_by(waiting.c.submitted_at, waiting.c.id).limit(1))


def unfinished_observations(actor: User, association_id: int) -> list[Observation]:
    """The actor's observation drafts (and returned ones), which no other list shows them."""
    policy.require_supervisor(actor, association_id)
    return list(
        db.session.scalars(
            select(Observation)
            .where(
                Observation.association_id == association_id,
                Observation.observer_id == actor.id,
                Observation.status.in_([RecordStatus.DRAFT.value, RecordStatus.RETURNED.value]),
            )
            .options(selectinload(Observation.enrolment).selectinload(Enrolment.trainee))
            .order_by(Observation.occurred_on.desc())
            .limit(50)
        )
    )


def queue_count(actor: User, association_id: int) -> int:
    """How many records the queue lists for the actor: the home page and nav say this."""
    if not policy.is_supervisor(actor, association_id):
        return 0
    return db.session.scalar(select(func.count()).select_from(_waiting(actor, association_id)))


def queue_counts_by_enrolment(actor: User, association_id: int, enrolment_ids: list[int]) -> dict[int, int]:
    """How many records the queue lists for the actor, per enrolment (the trainees page):
    the queue's own query, so the two never disagree."""
    if not enrolment_ids or not policy.is_supervisor(actor, association_id):
        return {}
    waiting = _waiting(actor, association_id, enrolment_ids)
    rows = db.session.execute(select(waiting.c.enrolment_id, func.count()).group_by(waiting.c.enrolment_id))
    return {enrolment_id: count for enrolment_id, count in rows}

"""Adding, listing, serving and removing evidence files on logbook records and reflections.

Who may see a file is who may see what it is attached to (the trainee, their supervisors,
their association's admins); another association's file reads as not found. Files come and
go only while the record or reflection is still the trainee's to change: once it is signed,
accepted or under review, its evidence is final.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app import policy
from app.accounts.models import User
from app.attachments.models import EvidenceAttachment
from app.audit.services import record as audit
from app.errors import InvalidState, NotFound
from app.extensions import db
from app.logbook import access, uploads
from app.logbook.models import LogbookRecord
from app.logbook.uploads import Upload
from app.vignettes import services as reflections

#: A record or reflection carries at most this many files.
MAX_PER_ITEM = 10
FIELD = "file"


def _add(actor: User, owner, upload: Upload | None, **owner_column) -> EvidenceAttachment:
    if upload is None or not upload.filename:
        from app.errors import ValidationError

        message = _("Choose a file to attach.")
        raise ValidationError(message, fields={FIELD: [message]})
    column = EvidenceAttachment.record_id if "record_id" in owner_column else EvidenceAttachment.reflection_id
    count = db.session.scalar(select(func.count(EvidenceAttachment.id)).where(column == owner.id))
    if count >= MAX_PER_ITEM:
        raise InvalidState(_("At most %(n)d files can be attached.", n=MAX_PER_ITEM))
    stored = uploads.store(upload, field=FIELD)
    attachment = EvidenceAttachment(
        association_id=owner.association_id,
        key=stored.key,
        name=stored.name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by_id=actor.id,
        **owner_column,
    )
    db.session.add(attachment)
    db.session.flush()
    audit(
        "attachments.added",
        owner,
        actor=actor,
        attachment_id=attachment.id,
        name=stored.name,
        sha256=stored.sha256,
    )
    return attachment


def add_to_record(
    actor: User, association_id: int, record_id: int, upload: Upload | None
) -> EvidenceAttachment:
    record = access.get_record(actor, association_id, record_id)
    if not policy.can_change_record_evidence(actor, record):
        policy.require_edit_record(actor, record)
        raise InvalidState(_("This record is no longer a draft: its evidence is final."))
    return _add(actor, record, upload, record_id=record.id)


def add_to_reflection(
    actor: User, association_id: int, reflection_id: int, upload: Upload | None
) -> EvidenceAttachment:
    reflection = reflections.load_reflection(actor, association_id, reflection_id)
    policy.require_view_reflection(actor, reflection)
    if not policy.can_change_reflection_evidence(actor, reflection):
        policy.require_author_of(actor, reflection)
        raise InvalidState(_("This reflection is no longer a draft: its evidence is final."))
    return _add(actor, reflection, upload, reflection_id=reflection.id)


def _load(actor: User, association_id: int, attachment_id: int) -> tuple[EvidenceAttachment, object]:
    """The attachment and what it is attached to, if the actor may see that."""
    attachment = db.session.get(EvidenceAttachment, attachment_id)
    if (
        attachment is None
        or attachment.association_id != association_id
        or not policy.is_member(actor, association_id)
    ):
        raise NotFound(_("There is no such file."))
    if attachment.record_id is not None:
        owner = access.get_record(actor, association_id, attachment.record_id)
    else:
        owner = reflections.load_reflection(actor, association_id, attachment.reflection_id)
        policy.require_view_reflection(actor, owner)
    return attachment, owner


def file_of(actor: User, association_id: int, attachment_id: int) -> tuple[EvidenceAttachment, bytes]:
    attachment, _owner = _load(actor, association_id, attachment_id)
    data = uploads.read(attachment.key)
    if data is None:
        raise NotFound(_("The file is missing. Please tell your association's admin."))
    return attachment, data


def remove(actor: User, association_id: int, attachment_id: int) -> EvidenceAttachment:
    """Take a file off a draft; refused once the record or reflection has left the trainee's hands."""
    attachment, owner = _load(actor, association_id, attachment_id)
    if isinstance(owner, LogbookRecord):
        allowed = policy.can_change_record_evidence(actor, owner)
        if not allowed:
            policy.require_edit_record(actor, owner)
    else:
        allowed = policy.can_change_reflection_evidence(actor, owner)
        if not allowed:
            policy.require_author_of(actor, owner)
    if not allowed:
        raise InvalidState(_("This file is part of a record that has left your hands: it stays."))
    audit("attachments.removed", owner, actor=actor, attachment_id=attachment.id, name=attachment.name)
    uploads.remove(attachment.key)
    db.session.delete(attachment)
    db.session.flush()
    return attachment


def forget(*, record_id: int | None = None, reflection_id: int | None = None) -> None:
    """Delete the files of a record or reflection that is itself being deleted (drafts, erasure)."""
    column = EvidenceAttachment.record_id if record_id is not None else EvidenceAttachment.reflection_id
    owner_id = record_id if record_id is not None else reflection_id
    for key in db.session.scalars(select(EvidenceAttachment.key).where(column == owner_id)):
        uploads.remove(key)
    db.session.execute(delete(EvidenceAttachment).where(column == owner_id))


def of_record(record_id: int) -> list[EvidenceAttachment]:
    return list(
        db.session.scalars(
            select(EvidenceAttachment)
            .where(EvidenceAttachment.record_id == record_id)
            .order_by(EvidenceAttachment.created_at, EvidenceAttachment.id)
        )
    )


def of_reflection(reflection_id: int) -> list[EvidenceAttachment]:
    return list(
        db.session.scalars(
            select(EvidenceAttachment)
            .where(EvidenceAttachment.reflection_id == reflection_id)
            .order_by(EvidenceAttachment.created_at, EvidenceAttachment.id)
        )
    )

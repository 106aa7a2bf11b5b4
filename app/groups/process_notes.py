"""The leader's process note: a short reflection after each group, along the four dimensions.

Where was the group on each dimension of mentalizing, what moved it there, and what did
the leader do: the questions a supervisor asks about a session, written down while the
session is fresh. A note is private to the leader who wrote it and to that leader's
assigned supervisors; the co-leader writes their own, and admins do not read either.
Free text passes the privacy guard, as every other text about a group does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import exists, select

from app import policy
from app.accounts.models import User
from app.audit.services import record as audit
from app.database import utcnow
from app.errors import Forbidden, NotFound
from app.extensions import db
from app.groups import services
from app.groups.kinds import SessionStatus
from app.groups.models import GroupSession, ProcessNote, SessionLeader
from app.logbook.validation import Problems
from app.privacy.guard import guard_free_text
from app.vignettes.schema import DIMENSION_KEYS, DIMENSIONS, RATING_VALUES, Dimension

#: Longest text per box: a note is a few sentences, not a transcript.
MAX_TEXT = 2000


@dataclass(frozen=True)
class NoteInput:
    positions: dict[str, int | None] = field(default_factory=dict)
    movements: dict[str, str] = field(default_factory=dict)
    leader_actions: str = ""
    for_supervision: str = ""

    def texts(self) -> dict[str, str]:
        """The free text by form field name, for the privacy guard and its messages."""
        named = {f"moved_{key.replace('-', '_')}": text for key, text in self.movements.items()}
        return {**named, "leader_actions": self.leader_actions, "for_supervision": self.for_supervision}


def dimensions() -> tuple[Dimension, ...]:
    """The four dimensions, in the order a note shows them."""
    return DIMENSIONS


def _session(association_id: int, session_id: int) -> GroupSession:
    session = db.session.get(GroupSession, session_id)
    if session is None or session.association_id != association_id:
        raise NotFound(_("No such session."))
    return session


def _leads(user: User, session: GroupSession) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(SessionLeader.session_id == session.id, SessionLeader.user_id == user.id))
        )
    )


def _supervises(actor: User, author_id: int, association_id: int) -> bool:
    """Whether the actor is an assigned supervisor of the author in this association."""
    return policy.is_supervisor(actor, association_id) and services.supervises_any(
        actor, [author_id], association_id
    )


def own_note(actor: User, association_id: int, session_id: int) -> tuple[GroupSession, ProcessNote | None]:
    """The session and the actor's note on it (None before the first save); its leaders only."""
    if not policy.is_member(actor, association_id):
        raise NotFound(_("No such session."))
    session = _session(association_id, session_id)
    if not _leads(actor, session):
        raise Forbidden(_("Only the session's leaders write process notes on it."))
    note = db.session.scalar(
        select(ProcessNote).where(ProcessNote.session_id == session.id, ProcessNote.author_id == actor.id)
    )
    return session, note


def check_note(data: NoteInput) -> None:
    problems = Problems()
    for key, value in data.positions.items():
        if key not in DIMENSION_KEYS or (value is not None and value not in RATING_VALUES):
            problems.add(
                f"position_{key.replace('-', '_')}", _("Choose a place on the scale, or leave it open.")
            )
    for key in data.movements:
        if key not in DIMENSION_KEYS:
            problems.add("movements", _("Unknown dimension."))
    for name, text in data.texts().items():
        if len(text) > MAX_TEXT:
            problems.add(name, _("At most %(count)d characters, please.", count=MAX_TEXT))
    if not any(data.texts().values()) and all(value is None for value in data.positions.values()):
        problems.add("leader_actions", _("Write at least one thing, or place the group on one dimension."))
    problems.raise_if_any()


def save_note(
    actor: User, association_id: int, session_id: int, data: NoteInput, *, privacy_confirmed: bool = False
) -> ProcessNote:
    """Write or rewrite the actor's note on a session they led, once it has begun."""
    session, note = own_note(actor, association_id, session_id)
    if session.status == SessionStatus.PLANNED:
        raise Forbidden(_("A process note follows the session: open it on the run sheet first."))
    check_note(data)
    guard_free_text(data.texts(), is_confirmed=privacy_confirmed, actor=actor, association_id=association_id)
    if note is None:
        note = ProcessNote(association_id=association_id, session_id=session.id, author_id=actor.id)
        db.session.add(note)
    note.positions = {key: data.positions.get(key) for key in DIMENSION_KEYS}
    note.movements = {key: data.movements.get(key, "").strip() for key in DIMENSION_KEYS}
    note.leader_actions = data.leader_actions.strip()
    note.for_supervision = data.for_supervision.strip()
    note.updated_at = utcnow()
    db.session.flush()
    # What was written stays out of the trail: the note is private to the leader.
    audit("group.process_note_saved", note, actor=actor, association_id=association_id, session_id=session.id)
    return note


def get_note(actor: User, association_id: int, note_id: int) -> ProcessNote:
    """A note, for its author or one of the author's assigned supervisors; others get 404."""
    note = db.session.get(ProcessNote, note_id)
    if note is None or note.association_id != association_id or not policy.is_member(actor, association_id):
        raise NotFound(_("No such note."))
    if note.author_id != actor.id and not _supervises(actor, note.author_id, association_id):
        raise NotFound(_("No such note."))
    return note


def notes_on_session(actor: User, session: GroupSession) -> list[ProcessNote]:
    """The notes on a session the actor may read: their own, and their supervisees'."""
    notes = db.session.scalars(
        select(ProcessNote).where(ProcessNote.session_id == session.id).order_by(ProcessNote.id)
    ).all()
    return [
        note
        for note in notes
        if note.author_id == actor.id or _supervises(actor, note.author_id, session.association_id)
    ]

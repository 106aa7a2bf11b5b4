"""Bulk import of earlier training: sessions, supervision and events a trainee did before Stillpoint.

One row per earlier record. An imported record is final like a signed one: it is stored
as signed, with the admin who imports it as the signer (the attestation) and the
attesting document the admin uploads with it, and is shown as "Imported, attested by
<admin> on <date>". Whether it counts is the rule set's choice (``count_imported``).

As for members, nothing is written while any row has an error, and the same file
imported again changes nothing: each row has a stable key (a hash of the trainee,
programme, kind, date and the fields that tell two records of a day apart), stored on
the record and unique per enrolment.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app import csv_safe, policy
from app.accounts.models import Association, Membership, Role, User
from app.accounts.services import normalise_email
from app.audit.services import record as audit
from app.database import utcnow
from app.errors import NotFound, ValidationError
from app.extensions import db
from app.imports.models import ImportDocument
from app.imports.reading import Table, read_table
from app.logbook import access, uploads
from app.logbook.kinds import (
    EventKind,
    GroupKind,
    RecordStatus,
    SessionMode,
    SessionRole,
    SettingCategory,
    SupervisionChannel,
    SupervisionMode,
)
from app.logbook.models import LogbookRecord, SessionRecord, SupervisionRecord, TrainingEvent
from app.programmes.models import Enrolment, Programme

KINDS = ("session", "supervision", "event")
COLUMNS = (
    "email",
    "programme",
    "kind",
    "date",
    "minutes",
    "role",
    "members",
    "mode",
    "group_kind",
    "setting_category",
    "cases",
    "co_leader",
    "supervisor",
    "channel",
    "event_kind",
    "title",
    "provider",
    "end_date",
    "days",
)
REQUIRED_COLUMNS = ("email", "programme", "kind", "date")
#: What each kind of row must fill in, beyond e-mail, programme, kind and date.
REQUIRED_BY_KIND = {
    "session": ("role", "minutes", "members"),
    "supervision": ("minutes", "supervisor"),
    "event": ("event_kind", "title"),
}
TEMPLATE_ROWS = (
    ("tia.trainee@example.org", "leaders", "session", "2024-03-12", "90", "co-leader", "8", "in-person")
    + ("ongoing", "primary-care", "1", "Dr Co", "", "", "", "GP trainees", "", "", ""),
    ("tia.trainee@example.org", "leaders", "supervision", "2024-04-02", "60", "", "", "individual")
    + ("", "", "", "", "sam.supervisor@example.org", "online", "", "", "", "", ""),
    ("tia.trainee@example.org", "leaders", "event", "2024-05-17", "720", "", "", "")
    + (
        "",
        "",
        "",
        "",
        "",
        "",
        "leadership-workshop",
        "Leadership weekend",
        "Balint Society",
        "2024-05-19",
        "3",
    ),
)
FIELD = "document"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class TrainingRow:
    """One earlier record of the file: whose, what, and whether importing it adds it."""

    row: int
    email: str
    programme_slug: str
    kind: str
    occurred_on: date | None = None
    values: dict[str, object] = field(default_factory=dict)
    enrolment: Enrolment | None = None
    key: str = ""
    is_new: bool = False
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row, column, message))

    @property
    def description(self) -> str:
        """What the row is, in words, for the preview."""
        v = self.values
        minutes = v.get("minutes") or "?"
        if self.kind == "session":
            return _("%(role)s, %(minutes)s min", role=v.get("role") or "?", minutes=minutes)
        if self.kind == "supervision":
            return _("supervision, %(minutes)s min", minutes=minutes)
        return str(v.get("title", ""))


@dataclass
class TrainingPlan:
    rows: list[TrainingRow]
    file_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not self.errors

    @property
    def change_count(self) -> int:
        return sum(1 for row in self.rows if row.is_new and not row.errors)


@dataclass(frozen=True)
class TrainingResult:
    records_created: int
    rows: int
    document: ImportDocument | None


def template_csv() -> str:
    """The file to fill in: the columns and one example row of each kind."""
    out = io.StringIO()
    writer = csv_safe.Writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()


def preview(actor: User, association_id: int, filename: str, data: bytes) -> TrainingPlan:
    """Read and check the file without writing anything; every problem names row and column."""
    policy.require_admin(actor, association_id)
    table = read_table(filename, data)
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        return TrainingPlan(
            rows=[],
            file_errors=[
                _(
                    "The first row must name the columns; this file has no %(columns)s column. "
                    "Start from the template for earlier training.",
                    columns=", ".join(missing),
                )
            ],
        )
    return _plan(association_id, table)


def _plan(association_id: int, table: Table) -> TrainingPlan:
    file_errors = []
    unknown = [c for c in table.columns if c and c not in COLUMNS]
    if unknown:
        file_errors.append(
            _(
                "Unknown column(s): %(columns)s. The columns are: %(known)s.",
                columns=", ".join(unknown),
                known=", ".join(COLUMNS),
            )
        )
    rows = [_check_row(number, cells) for number, cells in table.rows]
    enrolments = _enrolments(
        association_id, {row.email for row in rows}, {row.programme_slug for row in rows}
    )
    supervisors = _supervisors(association_id, {str(row.values.get("supervisor", "")) for row in rows})
    slugs = set(db.session.scalars(select(Programme.slug).where(Programme.association_id == association_id)))
    for row in rows:
        _match(row, enrolments, supervisors, slugs)
    _check_duplicates(rows)
    existing = _existing_keys([row for row in rows if row.enrolment is not None and row.key])
    for row in rows:
        row.is_new = not row.errors and (row.enrolment.id, row.key) not in existing
    return TrainingPlan(rows=rows, file_errors=file_errors)


def _check_row(number: int, cells: dict[str, str]) -> TrainingRow:
    kind = cells.get("kind", "").strip().lower()
    row = TrainingRow(
        row=number,
        email=normalise_email(cells.get("email", "")),
        programme_slug=cells.get("programme", "").strip().lower(),
        kind=kind,
    )
    if not row.email:
        row.error("email", _("The trainee's e-mail address is missing."))
    if not row.programme_slug:
        row.error("programme", _("Name the programme the trainee is enrolled on."))
    if kind not in KINDS:
        row.error("kind", _("“%(value)s” is not a kind: use session, supervision or event.", value=kind))
        return row
    row.occurred_on = _date(row, cells, "date", required=True)
    if row.occurred_on is not None and row.occurred_on > utcnow().date():
        row.error("date", _("Earlier training cannot be in the future."))
    for column in REQUIRED_BY_KIND[kind]:
        if not cells.get(column, "").strip():
            row.error(column, _("Fill in %(column)s: every %(kind)s row needs it.", kind=kind, column=column))
    getattr(_Kinds, kind)(row, cells)
    return row


def _date(row: TrainingRow, cells: dict[str, str], column: str, *, required: bool = False) -> date | None:
    text = cells.get(column, "").strip()
    if not text:
        if required:
            row.error(column, _("The date is missing: write it as 2024-03-12."))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        row.error(column, _("“%(value)s” is not a date: write it as 2024-03-12.", value=text))
        return None


def _number(row: TrainingRow, cells, column: str, low: int, high: int) -> int | None:
    text = cells.get(column, "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        row.error(column, _("“%(value)s” is not a whole number.", value=text))
        return None
    if not low <= value <= high:
        row.error(
            column, _("%(column)s must be between %(low)d and %(high)d.", column=column, low=low, high=high)
        )
        return None
    return value


def _choice(row: TrainingRow, cells, column: str, choices, default: str) -> str:
    value = cells.get(column, "").strip().lower() or default
    allowed = [choice.value for choice in choices]
    if value and value not in allowed:  # an empty required one is reported as missing
        row.error(
            column, _("“%(value)s” is not one of: %(allowed)s.", value=value, allowed=", ".join(allowed))
        )
    return value


def _text(row: TrainingRow, cells, column: str, limit: int = 200) -> str:
    value = cells.get(column, "").strip()
    if len(value) > limit:
        row.error(column, _("Longer than %(n)d characters.", n=limit))
    return value[:limit]


class _Kinds:
    """Each kind's fields, checked and with the defaults of a record a trainee would write."""

    @staticmethod
    def session(row: TrainingRow, cells) -> None:
        row.values = {
            "role": _choice(row, cells, "role", SessionRole, ""),
            "minutes": _number(row, cells, "minutes", 15, 600),
            "members": _number(row, cells, "members", 1, 30),
            "mode": _choice(row, cells, "mode", SessionMode, SessionMode.IN_PERSON.value),
            "group_kind": _choice(row, cells, "group_kind", GroupKind, GroupKind.ONGOING.value),
            "setting_category": _choice(
                row, cells, "setting_category", SettingCategory, SettingCategory.OTHER.value
            ),
            "cases": _number(row, cells, "cases", 0, 30) or 0,
            "co_leader": _text(row, cells, "co_leader", 120),
            "title": _text(row, cells, "title"),
        }

    @staticmethod
    def supervision(row: TrainingRow, cells) -> None:
        row.values = {
            "minutes": _number(row, cells, "minutes", 15, 600),
            "mode": _choice(row, cells, "mode", SupervisionMode, SupervisionMode.INDIVIDUAL.value),
            "channel": _choice(row, cells, "channel", SupervisionChannel, SupervisionChannel.IN_PERSON.value),
            "supervisor": normalise_email(cells.get("supervisor", "")),
            "title": _text(row, cells, "title"),
        }

    @staticmethod
    def event(row: TrainingRow, cells) -> None:
        ends_on = _date(row, cells, "end_date") or row.occurred_on
        if row.occurred_on and ends_on and ends_on < row.occurred_on:
            row.error("end_date", _("The end date is before the date."))
            ends_on = row.occurred_on
        span = (ends_on - row.occurred_on).days + 1 if row.occurred_on and ends_on else 1
        row.values = {
            "event_kind": _choice(row, cells, "event_kind", EventKind, ""),
            "title": _text(row, cells, "title"),
            "provider": _text(row, cells, "provider"),
            "ends_on": ends_on,
            "days": _number(row, cells, "days", 1, 366) or span,
            "minutes": _number(row, cells, "minutes", 1, 60 * 24 * 30),
        }


def _enrolments(association_id: int, emails: set[str], slugs: set[str]) -> dict[tuple[str, str], Enrolment]:
    """(e-mail, programme slug) -> the trainee's latest enrolment on it, in this association only."""
    query = (
        select(Enrolment, User.email, Programme.slug)
        .join(User, User.id == Enrolment.trainee_id)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(
            Enrolment.association_id == association_id,
            User.email.in_(sorted(emails)),
            Programme.slug.in_(sorted(slugs)),
        )
        .order_by(Enrolment.id)
    )
    return {(email, slug): enrolment for enrolment, email, slug in db.session.execute(query)}


def _supervisors(association_id: int, emails: set[str]) -> dict[str, int]:
    emails.discard("")
    if not emails:
        return {}
    query = (
        select(User.email, User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.role == Role.SUPERVISOR,
            Membership.is_active.is_(True),
            User.email.in_(sorted(emails)),
        )
    )
    return dict(db.session.execute(query).all())


def _match(row: TrainingRow, enrolments, supervisors, slugs: set[str]) -> None:
    if row.programme_slug and row.programme_slug not in slugs:
        known = ", ".join(sorted(slugs)) or _("none yet")
        row.error(
            "programme",
            _("No programme “%(slug)s” here (programmes: %(known)s).", slug=row.programme_slug, known=known),
        )
    elif row.email and row.programme_slug:
        row.enrolment = enrolments.get((row.email, row.programme_slug))
        if row.enrolment is None:
            row.error(
                "email",
                _(
                    "%(email)s is not enrolled on %(slug)s here: import the enrolment first.",
                    email=row.email,
                    slug=row.programme_slug,
                ),
            )
    supervisor = row.values.get("supervisor")
    if row.kind == "supervision" and supervisor:
        row.values["supervisor_id"] = supervisors.get(supervisor)
        if row.values["supervisor_id"] is None:
            row.error("supervisor", _("%(email)s is not a supervisor here.", email=supervisor))
    if row.kind in KINDS and row.occurred_on is not None:
        row.key = _key(row)


def _key(row: TrainingRow) -> str:
    """The row's identity: the same earlier record in any later file has the same key."""
    v = row.values
    parts = [
        row.email,
        row.programme_slug,
        row.kind,
        row.occurred_on.isoformat() if row.occurred_on else "",
        str(v.get("role", "")),
        str(v.get("minutes", "")),
        str(v.get("title", "")).lower(),
        str(v.get("supervisor", "")),
        str(v.get("event_kind", "")),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _check_duplicates(rows: list[TrainingRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if not row.key:
            continue
        if row.key in seen:
            row.error(
                "date",
                _(
                    "The same record as row %(row)d. Two records of one day need a different "
                    "title, role or length.",
                    row=seen[row.key],
                ),
            )
        seen.setdefault(row.key, row.row)


def _existing_keys(rows: list[TrainingRow]) -> set[tuple[int, str]]:
    if not rows:
        return set()
    query = select(LogbookRecord.enrolment_id, LogbookRecord.import_key).where(
        LogbookRecord.enrolment_id.in_(sorted({row.enrolment.id for row in rows})),
        LogbookRecord.import_key.in_(sorted({row.key for row in rows})),
    )
    return {(enrolment_id, key) for enrolment_id, key in db.session.execute(query)}


def apply(
    actor: User, association_id: int, filename: str, data: bytes, document: uploads.Upload | None
) -> TrainingResult:
    """Import every new record of a file whose preview has no error, with its attesting document.

    The file is checked again here. When every record is already imported nothing is
    written and the document is not stored.
    """
    plan = preview(actor, association_id, filename, data)
    if not plan.is_valid:
        raise ValidationError(
            _("Nothing was imported: the file has errors. Fix them and upload the file again."),
            fields={"file": [error.message for error in plan.errors][:1] or plan.file_errors[:1]},
        )
    new_rows = [row for row in plan.rows if row.is_new]
    if not new_rows:
        return TrainingResult(0, len(plan.rows), None)
    if document is None or not document.filename:
        message = _("Attach the document that attests these records (PDF, PNG or JPEG).")
        raise ValidationError(message, fields={FIELD: [message]})
    uploads.check(document, field=FIELD)
    stored = uploads.store(document, field=FIELD)
    attestation = ImportDocument(
        association_id=association_id,
        key=stored.key,
        name=stored.name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        attested_by_id=actor.id,
    )
    db.session.add(attestation)
    db.session.flush()
    for row in new_rows:
        _create_record(actor, row, attestation)
    association = db.session.get(Association, association_id)
    audit(
        "import.training_applied",
        association,
        actor=actor,
        association_id=association_id,
        file=filename[:200],
        rows=len(plan.rows),
        records_created=len(new_rows),
        document=stored.name,
        document_sha256=stored.sha256,
    )
    return TrainingResult(len(new_rows), len(plan.rows), attestation)


def _create_record(actor: User, row: TrainingRow, attestation: ImportDocument) -> LogbookRecord:
    """Insert one imported record, then sign it in the admin's name (a signed row is final)."""
    enrolment, v = row.enrolment, row.values
    common = {
        "association_id": enrolment.association_id,
        "enrolment_id": enrolment.id,
        "occurred_on": row.occurred_on,
        "author_id": enrolment.trainee_id,
        "status": RecordStatus.SUBMITTED.value,  # signed below, once the id is in the content
        "submitted_at": utcnow(),
        "is_imported": True,
        "import_key": row.key,
        "import_document_id": attestation.id,
    }
    if row.kind == "session":
        record: LogbookRecord = SessionRecord(
            **common,
            role=v["role"],
            minutes=v["minutes"],
            mode=v["mode"],
            group_kind=v["group_kind"],
            setting_category=v["setting_category"],
            setting=v["title"],
            members=v["members"],
            cases=v["cases"],
            co_leader_name=v["co_leader"],
        )
    elif row.kind == "supervision":
        record = SupervisionRecord(
            **common,
            minutes=v["minutes"],
            mode=v["mode"],
            channel=v["channel"],
            supervisor_id=v["supervisor_id"],
            notes=v["title"],
        )
    else:
        record = TrainingEvent(
            **common,
            event_kind=v["event_kind"],
            title=v["title"],
            provider=v["provider"],
            ends_on=v["ends_on"],
            days=v["days"],
            minutes=v["minutes"],
        )
    db.session.add(record)
    db.session.flush()
    record.signer_id = actor.id
    record.signed_at = utcnow()
    record.content_hash = record.compute_hash()
    record.status = RecordStatus.SIGNED.value
    db.session.flush()
    audit(
        "logbook.imported",
        record,
        actor=actor,
        association_id=enrolment.association_id,
        import_document_id=attestation.id,
        content_hash=record.content_hash,
    )
    return record


def attestation_of(actor: User, association_id: int, record_id: int) -> tuple[ImportDocument, bytes]:
    """An imported record's attesting document, for whoever may see the record."""
    record = access.get_record(actor, association_id, record_id)
    document = record.import_document
    if document is None or document.association_id != association_id:
        raise NotFound(_("This record has no attesting document."))
    data = uploads.read(document.key)
    if data is None:
        raise NotFound(_("The file is missing. Please tell your association's admin."))
    return document, data

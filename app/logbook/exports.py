"""The portfolio: every record as CSV, and the signed logbook as the PDF a committee reads."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app import csv_safe
from app.accounts.models import User
from app.database import utcnow
from app.extensions import db
from app.logbook import access, summary
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
from app.pdf import html_to_pdf
from app.programmes.models import Enrolment

CSV_COLUMNS = [
    "record_type",
    "record_id",
    "status",
    "date",
    "end_date",
    "role",
    "minutes",
    "hours",
    "mode",
    "group_kind",
    "setting_category",
    "setting",
    "members",
    "cases",
    "co_leader",
    "co_leader_accredited",
    "co_leader_confirmed_at",
    "phases",
    "supervision_mode",
    "channel",
    "supervisor",
    "recording_used",
    "event_kind",
    "title",
    "provider",
    "days",
    "certificate",
    "observer",
    "outcome",
    "text",
    "submitted_at",
    "signed_by",
    "is_imported",
    "signed_at",
    "content_hash",
    "supersedes_record_id",
    "is_current",
    "reopen_reason",
]


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _all_records(enrolment: Enrolment) -> list[LogbookRecord]:
    """Every version of every record, with what the rows show, in a fixed number of queries.

    People join the main query; versions and confirmations are matched up in Python from
    the same logbook, because batched eager loading would add a query per 500 records.
    """
    found = list(
        db.session.scalars(
            select(LogbookRecord)
            .where(LogbookRecord.enrolment_id == enrolment.id)
            .options(
                joinedload(LogbookRecord.signer),
                joinedload(SessionRecord.co_leader),
                joinedload(SupervisionRecord.supervisor),
                joinedload(Observation.observer),
            )
            .order_by(LogbookRecord.occurred_on, LogbookRecord.id)
        ).unique()
    )
    confirmations: dict[int, list[CoLeaderConfirmation]] = {}
    for confirmation in db.session.scalars(
        select(CoLeaderConfirmation)
        .join(SessionRecord, SessionRecord.id == CoLeaderConfirmation.record_id)
        .where(SessionRecord.enrolment_id == enrolment.id)
        .order_by(CoLeaderConfirmation.confirmed_at)
    ):
        confirmations.setdefault(confirmation.record_id, []).append(confirmation)
    newer = {record.supersedes_id: record for record in found if record.supersedes_id}
    for record in found:
        set_committed_value(record, "superseded_by", newer.get(record.id))
        if isinstance(record, SessionRecord):
            set_committed_value(record, "confirmations", confirmations.get(record.id, []))
    return found


def _row(record: LogbookRecord) -> dict[str, object]:
    row: dict[str, object] = {
        "record_type": record.kind,
        "record_id": record.id,
        "status": record.status,
        "date": record.occurred_on.isoformat(),
        "submitted_at": _when(record.submitted_at),
        "signed_by": record.signer.name if record.signer else "",
        "is_imported": _yes(record.is_imported),
        "signed_at": _when(record.signed_at),
        "content_hash": record.content_hash or "",
        "supersedes_record_id": record.supersedes_id or "",
        "is_current": _yes(record.superseded_by is None),
        "reopen_reason": record.reopen_reason,
    }
    if isinstance(record, SessionRecord):
        confirmation = record.confirmation()
        row |= {
            "role": record.role,
            "minutes": record.minutes,
            "hours": round(record.minutes / 60, 2),
            "mode": record.mode,
            "group_kind": record.group_kind,
            "setting_category": record.setting_category,
            "setting": record.setting,
            "members": record.members,
            "cases": record.cases,
            "co_leader": record.co_leader_label,
            "co_leader_accredited": _yes(record.is_co_leader_accredited),
            "co_leader_confirmed_at": _when(confirmation.confirmed_at) if confirmation else "",
            "phases": " ".join(record.phases),
            "text": record.reflection,
        }
    elif isinstance(record, SupervisionRecord):
        row |= {
            "minutes": record.minutes,
            "hours": round(record.minutes / 60, 2),
            "supervision_mode": record.mode,
            "channel": record.channel,
            "supervisor": record.supervisor.name,
            "recording_used": _yes(record.has_recording),
            "text": record.notes,
        }
    elif isinstance(record, TrainingEvent):
        row |= {
            "end_date": record.ends_on.isoformat(),
            "event_kind": record.event_kind,
            "title": record.title,
            "provider": record.provider,
            "days": record.days,
            "certificate": record.certificate_name if record.has_certificate else "",
        }
    elif isinstance(record, Observation):
        row |= {
            "setting": record.setting,
            "observer": record.observer.name,
            "outcome": record.outcome,
            "text": record.report,
        }
    return row


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "trainee"


def file_name(enrolment: Enrolment, extension: str) -> str:
    return f"logbook-{_slug(enrolment.trainee.name)}-{utcnow().date().isoformat()}.{extension}"


def logbook_csv(actor: User, association_id: int, enrolment_id: int) -> tuple[str, str]:
    """Every record of the logbook, all kinds in one file, old versions included and marked."""
    enrolment = access.get_enrolment(actor, association_id, enrolment_id)
    buffer = io.StringIO()
    writer = csv_safe.DictWriter(buffer, fieldnames=CSV_COLUMNS, restval="", lineterminator="\r\n")
    writer.writeheader()
    for record in _all_records(enrolment):
        writer.writerow(_row(record))
    return file_name(enrolment, "csv"), buffer.getvalue()


@dataclass(frozen=True)
class SignedLogbook:
    sessions: list[SessionRecord]
    supervision: list[SupervisionRecord]
    events: list[TrainingEvent]
    observations: list[Observation]

    @property
    def signatures(self) -> list[LogbookRecord]:
        records = [*self.sessions, *self.supervision, *self.events, *self.observations]
        return sorted(records, key=lambda r: (r.signed_at, r.id))


def signed_logbook(enrolment: Enrolment) -> SignedLogbook:
    """The current, signed records only: what counts towards accreditation."""
    signed = [
        record
        for record in _all_records(enrolment)
        if record.status == RecordStatus.SIGNED and record.superseded_by is None
    ]
    by_kind = {kind: [r for r in signed if r.kind == kind] for kind in RecordKind}
    return SignedLogbook(
        sessions=by_kind[RecordKind.SESSION],
        supervision=by_kind[RecordKind.SUPERVISION],
        events=by_kind[RecordKind.EVENT],
        observations=by_kind[RecordKind.OBSERVATION],
    )


def logbook_pdf(
    actor: User,
    association_id: int,
    enrolment_id: int,
    progress: Callable[[int, str], None] | None = None,
) -> tuple[str, bytes]:
    """The printable logbook: cover, one table per kind, totals, and a line per signature.

    It takes seconds for a long logbook, so it runs as a job (``app.jobs.kinds``);
    ``progress(percent, stage)`` hears how far it is.
    """
    report = progress or (lambda percent, stage: None)
    enrolment = access.get_enrolment(actor, association_id, enrolment_id)
    report(10, _("Collecting the signed records…"))
    logbook = signed_logbook(enrolment)
    totals = summary.totals(enrolment)
    count = len(logbook.signatures)
    report(30, ngettext("Laying out %(num)d record…", "Laying out %(num)d records…", count))
    html = render_template(
        "pdf/logbook.html",
        enrolment=enrolment,
        association=enrolment.programme.association,
        logbook=logbook,
        totals=totals,
        generated_at=utcnow(),
        generated_by=actor,
    )
    pdf = html_to_pdf(html)
    report(95, _("Storing the file…"))
    return file_name(enrolment, "pdf"), pdf

"""The supervisor's competency report: drafted, then signed and final."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import User
from app.audit.services import record
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.logbook.labels import describe
from app.logbook.models import LogbookRecord, RecordStatus
from app.notifications.services import link_to, notify
from app.privacy.guard import guard_free_text
from app.programmes.models import Enrolment
from app.programmes.services import get_enrolment
from app.requirements.models import CompetencyReport, Recommendation, ReportAcknowledgement, ReportStatus
from app.requirements.rubric import RatedCompetency, rated_competencies
from app.requirements.services import parsed
from app.requirements.staleness import mark_progress_stale
from app.vignettes.content import library
from app.vignettes.models import Reflection, ReflectionStatus

RATING_RANGE = range(1, 6)
EVIDENCE_LIMIT = 60  # of each kind, newest first: what a report's period plausibly cites
MAX_COMMENT_LENGTH = 5_000


def require_assigned_supervisor(actor: User, enrolment: Enrolment) -> None:
    if not (
        policy.is_supervisor(actor, enrolment.association_id)
        and any(s.id == actor.id for s in enrolment.supervisors)
    ):
        raise Forbidden(_("Only a supervisor assigned to this trainee writes their reports."))


def competencies_for(enrolment: Enrolment) -> tuple[RatedCompetency, ...]:
    """The rubric rows: the programme's competencies, or the canonical ten when it names none."""
    return rated_competencies(parsed(enrolment.rule_set).competencies)


@dataclass(frozen=True)
class EvidenceItem:
    """A record or reflection of the trainee a supervisor can cite for a competency."""

    ref: str  # "record:<id>" or "reflection:<id>"
    label: str
    endpoint: str
    object_id: int

    @property
    def url_values(self) -> dict[str, int]:
        key = "record_id" if self.ref.startswith("record:") else "reflection_id"
        return {key: self.object_id}


def evidence_options(enrolment: Enrolment) -> list[EvidenceItem]:
    """The trainee's submitted or signed records and submitted or accepted reflections, newest
    first (two queries, each capped), as the report form offers them for evidence."""
    records = db.session.scalars(
        select(LogbookRecord)
        .where(
            LogbookRecord.enrolment_id == enrolment.id,
            LogbookRecord.status.in_([RecordStatus.SUBMITTED.value, RecordStatus.SIGNED.value]),
            LogbookRecord.superseded_by == None,  # noqa: E711  (SQL IS NULL)
        )
        .order_by(LogbookRecord.occurred_on.desc(), LogbookRecord.id.desc())
        .limit(EVIDENCE_LIMIT)
    )
    reflections = db.session.scalars(
        select(Reflection)
        .where(
            Reflection.enrolment_id == enrolment.id,
            Reflection.status.in_([ReflectionStatus.SUBMITTED.value, ReflectionStatus.ACCEPTED.value]),
        )
        .order_by(Reflection.submitted_at.desc(), Reflection.id.desc())
        .limit(EVIDENCE_LIMIT)
    )
    titles = library()
    items = [EvidenceItem(f"record:{r.id}", describe(r), "logbook.record", r.id) for r in records]
    for reflection in reflections:
        vignette = titles.get(reflection.vignette_slug)
        title = vignette.title if vignette else reflection.vignette_slug
        label = _("Reflection on “%(title)s”, version %(v)d", title=title, v=reflection.version)
        items.append(
            EvidenceItem(f"reflection:{reflection.id}", label, "vignettes.reflection", reflection.id)
        )
    return items


def cited_evidence(report: CompetencyReport) -> dict[str, list[EvidenceItem]]:
    """Per competency, the evidence the report cites, resolved to labels and links."""
    cited = {ref for refs in (report.evidence or {}).values() for ref in refs}
    if not cited:
        return {}
    by_ref = {item.ref: item for item in _resolve(cited)}
    return {
        competency_id: [by_ref[ref] for ref in refs if ref in by_ref]
        for competency_id, refs in (report.evidence or {}).items()
    }


def _resolve(refs: set[str]) -> list[EvidenceItem]:
    record_ids = [int(ref.split(":")[1]) for ref in refs if ref.startswith("record:")]
    reflection_ids = [int(ref.split(":")[1]) for ref in refs if ref.startswith("reflection:")]
    items = []
    if record_ids:
        for r in db.session.scalars(select(LogbookRecord).where(LogbookRecord.id.in_(record_ids))):
            items.append(EvidenceItem(f"record:{r.id}", describe(r), "logbook.record", r.id))
    if reflection_ids:
        titles = library()
        for r in db.session.scalars(select(Reflection).where(Reflection.id.in_(reflection_ids))):
            vignette = titles.get(r.vignette_slug)
            label = _(
                "Reflection on “%(title)s”, version %(v)d",
                title=vignette.title if vignette else r.vignette_slug,
                v=r.version,
            )
            items.append(EvidenceItem(f"reflection:{r.id}", label, "vignettes.reflection", r.id))
    return items


def _validate(enrolment, kind, period_start, period_end, ratings, recommendation, narrative, evidence):
    fields: dict[str, list[str]] = {}
    if kind not in ("periodic", "final"):
        fields["kind"] = [_("Choose a periodic or a final report.")]
    if recommendation not in {r.value for r in Recommendation}:
        fields["recommendation"] = [_("Choose your recommendation: ready, or not yet ready.")]
    if period_end is None:
        fields["period_end"] = [_("Give the date the period ends.")]
    elif period_end > dt.date.today():
        fields["period_end"] = [_("The period cannot end in the future.")]
    elif period_start and period_start > period_end:
        fields["period_start"] = [_("The period must start before it ends.")]
    if not (narrative or "").strip():
        fields["narrative"] = [_("Write the narrative: how the trainee has developed as a leader.")]
    clean = {}
    competencies = competencies_for(enrolment)
    for competency in competencies:
        value = ratings.get(competency.id)
        if value not in RATING_RANGE:
            fields[f"rating_{competency.id}"] = [
                _("Choose a level from 1 to 5 for “%(label)s”.", label=competency.label)
            ]
        else:
            clean[competency.id] = int(value)
    allowed = {item.ref for item in evidence_options(enrolment)} if evidence else set()
    clean_evidence: dict[str, list[str]] = {}
    known = {competency.id for competency in competencies}
    for competency_id, refs in (evidence or {}).items():
        refs = list(dict.fromkeys(refs))
        if competency_id not in known:
            fields.setdefault("evidence", []).append(
                _("“%(id)s” is not a competency of this programme.", id=competency_id)
            )
        elif any(ref not in allowed for ref in refs):
            fields[f"evidence_{competency_id}"] = [
                _("Cite only this trainee's submitted or signed records and reflections.")
            ]
        elif refs:
            clean_evidence[competency_id] = refs
    if fields:
        raise ValidationError(_("Please correct the marked fields."), fields=fields)
    return clean, clean_evidence


def save_report(
    actor: User,
    enrolment_id: int,
    *,
    report_id: int | None = None,
    kind: str,
    period_start: dt.date | None,
    period_end: dt.date,
    ratings: dict[str, int],
    narrative: str,
    recommendation: str,
    evidence: dict[str, list[str]] | None = None,
    is_reviewed_with_trainee: bool = False,
    privacy_confirmed: bool = False,
) -> CompetencyReport:
    """Create or update a draft report by an assigned supervisor.

    ``evidence`` maps competency ids to the records and reflections ("record:<id>",
    "reflection:<id>") that support the rating; only the trainee's own may be cited.
    """
    enrolment = get_enrolment(actor, enrolment_id)
    require_assigned_supervisor(actor, enrolment)
    clean, clean_evidence = _validate(
        enrolment, kind, period_start, period_end, ratings, recommendation, narrative, evidence
    )
    # Checked before anything is added to the session, so a warning leaves no half-made row.
    guard_free_text(
        {"narrative": narrative},
        is_confirmed=privacy_confirmed,
        actor=actor,
        obj=enrolment,
        association_id=enrolment.association_id,
        known_names=[enrolment.trainee.name],
    )
    if report_id is None:
        report = CompetencyReport(
            association_id=enrolment.association_id, enrolment_id=enrolment.id, supervisor_id=actor.id
        )
        db.session.add(report)
    else:
        report = get_report(actor, report_id)
        if report.enrolment_id != enrolment.id:
            raise NotFound(_("No such report."))
        if report.is_signed:
            raise InvalidState(_("A signed report is final and cannot be changed."))
        if report.supervisor_id != actor.id:
            raise Forbidden(_("Only the report's author can change it."))
    report.kind, report.period_start, report.period_end = kind, period_start, period_end
    report.ratings, report.narrative, report.recommendation = clean, narrative.strip(), recommendation
    report.evidence = clean_evidence
    report.is_reviewed_with_trainee = is_reviewed_with_trainee
    db.session.flush()
    record("report.saved", report, actor=actor, kind=kind, recommendation=recommendation)
    return report


def content_of(report: CompetencyReport) -> str:
    content = {
        "enrolment_id": report.enrolment_id,
        "supervisor_id": report.supervisor_id,
        "kind": report.kind,
        "period_start": report.period_start.isoformat() if report.period_start else None,
        "period_end": report.period_end.isoformat(),
        "ratings": report.ratings,
        "narrative": report.narrative,
        "recommendation": report.recommendation,
    }
    if report.evidence:  # only when cited, so reports signed before evidence existed hash as they did
        content["evidence"] = report.evidence
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign_report(actor: User, report_id: int) -> CompetencyReport:
    """Sign a draft: it becomes final, with a hash of what was signed."""
    report = get_report(actor, report_id)
    if report.supervisor_id != actor.id:
        raise Forbidden(_("Only the report's author signs it."))
    require_assigned_supervisor(actor, report.enrolment)
    updated = db.session.execute(
        CompetencyReport.__table__.update()
        .where(CompetencyReport.id == report.id, CompetencyReport.status == ReportStatus.DRAFT.value)
        .values(
            status=ReportStatus.SIGNED.value,
            signed_at=utcnow(),
            content_hash=hashlib.sha256(content_of(report).encode()).hexdigest(),
        )
    )
    if updated.rowcount != 1:
        raise InvalidState(_("This report is already signed."))
    mark_progress_stale([report.enrolment_id])  # a Core UPDATE: the flush hook does not see it
    db.session.refresh(report)
    record("report.signed", report, actor=actor, recommendation=report.recommendation)
    return report


def get_report(actor: User, report_id: int) -> CompetencyReport:
    report = db.session.get(CompetencyReport, report_id)
    if report is None or not policy.is_member(actor, report.association_id):
        raise NotFound(_("No such report."))
    enrolment = get_enrolment(actor, report.enrolment_id)
    if report.status == ReportStatus.DRAFT.value and enrolment.trainee_id == actor.id:
        raise NotFound(_("No such report."))  # trainees see reports once signed
    return report


def reports_of(actor: User, enrolment_id: int) -> list[CompetencyReport]:
    enrolment = get_enrolment(actor, enrolment_id)
    query = (
        select(CompetencyReport)
        .where(CompetencyReport.enrolment_id == enrolment.id)
        .options(selectinload(CompetencyReport.supervisor))
        .order_by(CompetencyReport.period_end.desc(), CompetencyReport.id.desc())
    )
    if enrolment.trainee_id == actor.id and not policy.is_admin(actor, enrolment.association_id):
        query = query.where(CompetencyReport.status == ReportStatus.SIGNED.value)
    return list(db.session.scalars(query))


def acknowledge_report(
    actor: User, report_id: int, *, comment: str = "", privacy_confirmed: bool = False
) -> ReportAcknowledgement:
    """The trainee acknowledges having read a signed report, with an optional comment.

    Once only; the signed report itself is not touched (the acknowledgement is its own row).
    """
    report = get_report(actor, report_id)
    if report.enrolment.trainee_id != actor.id:
        raise Forbidden(_("Only the trainee the report is about acknowledges it."))
    if not report.is_signed:
        raise InvalidState(_("Only a signed report can be acknowledged."))
    if report.acknowledgement is not None or db.session.scalar(
        select(ReportAcknowledgement.id).where(ReportAcknowledgement.report_id == report.id)
    ):
        raise InvalidState(_("You have already acknowledged this report."))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            _("Please keep your comment under %(n)d characters.", n=MAX_COMMENT_LENGTH),
            fields={"comment": [_("Please keep your comment under %(n)d characters.", n=MAX_COMMENT_LENGTH)]},
        )
    guard_free_text(
        {"comment": comment},
        is_confirmed=privacy_confirmed,
        actor=actor,
        obj=report,
        association_id=report.association_id,
        known_names=[actor.name, report.supervisor.name],
    )
    acknowledgement = ReportAcknowledgement(report_id=report.id, trainee_id=actor.id, comment=comment)
    db.session.add(acknowledgement)
    db.session.flush()
    db.session.refresh(report)
    record("report.acknowledged", report, actor=actor, has_comment=bool(comment))
    notify(
        report.supervisor_id,
        report.association_id,
        _("%(name)s acknowledged your report.", name=actor.name)
        + (" " + _("They added a comment.") if comment else ""),
        link_to("progress.report", report_id=report.id),
    )
    return acknowledgement

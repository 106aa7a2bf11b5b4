"""Gathering the engine's facts from the database, for one enrolment or a whole cohort.

The cost is a fixed number of queries whatever the number of enrolments or records:
one per logbook record type, one each for reflections, module scores, reports and
decisions. Only the columns the rules read are fetched, as plain rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.logbook.models import (
    CoLeaderConfirmation,
    LogbookRecord,
    Observation,
    SessionRecord,
    SupervisionRecord,
    TrainingEvent,
)
from app.programmes.models import Enrolment
from app.requirements.facts import AcceptedReflection, Fact, ManualDecision, SignedReport, TraineeFacts
from app.requirements.models import CompetencyReport, ReportStatus, RequirementDecision
from app.vignettes.models import Reflection, ReflectionStatus


def _columns_and_filter(record_class, enrolment_ids: list[int]):
    """The shared columns of one record type, and the rows of these enrolments that count.

    A record replaced by a signed correction no longer counts; the correction does.
    """
    newer = aliased(LogbookRecord)
    superseded = exists().where(and_(newer.supersedes_id == record_class.id, newer.status == "signed"))
    columns = (record_class.id, record_class.enrolment_id, record_class.occurred_on, record_class.status)
    return columns, (record_class.enrolment_id.in_(enrolment_ids), ~superseded)


def _facts(enrolment_ids: list[int]) -> dict[int, list[Fact]]:
    found: dict[int, list[Fact]] = defaultdict(list)

    confirmed = exists().where(CoLeaderConfirmation.record_id == SessionRecord.id)
    base, where = _columns_and_filter(SessionRecord, enrolment_ids)
    sessions = select(
        *base,
        SessionRecord.role,
        SessionRecord.mode,
        SessionRecord.group_kind,
        SessionRecord.setting_category,
        SessionRecord.setting,
        SessionRecord.minutes,
        SessionRecord.cases,
        SessionRecord.co_leader_id,
        SessionRecord.co_leader_name,
        SessionRecord.is_co_leader_accredited,
        confirmed.label("is_confirmed"),
    ).where(*where)
    for row in db.session.execute(sessions):
        co_leader = (
            f"user:{row.co_leader_id}" if row.co_leader_id else (row.co_leader_name or "").strip().lower()
        )
        found[row.enrolment_id].append(
            Fact(
                row.id,
                "sessions",
                row.occurred_on,
                row.status,
                {
                    "role": row.role,
                    "mode": row.mode,
                    "group_kind": row.group_kind,
                    "setting_category": row.setting_category,
                    "setting": (row.setting or "").strip().lower(),
                    "minutes": row.minutes,
                    "cases": row.cases,
                    "co_leader": co_leader or None,
                    "co_leader_accredited": row.is_co_leader_accredited,
                    "co_leader_confirmed": row.is_confirmed,
                },
            )
        )

    base, where = _columns_and_filter(SupervisionRecord, enrolment_ids)
    supervision = select(
        *base,
        SupervisionRecord.minutes,
        SupervisionRecord.mode,
        SupervisionRecord.channel,
        SupervisionRecord.supervisor_id,
        SupervisionRecord.has_recording,
    ).where(*where)
    for row in db.session.execute(supervision):
        found[row.enrolment_id].append(
            Fact(
                row.id,
                "supervision",
                row.occurred_on,
                row.status,
                {
                    "minutes": row.minutes,
                    "mode": row.mode,
                    "channel": row.channel,
                    "supervisor": f"user:{row.supervisor_id}",
                    "recording_used": row.has_recording,
                },
            )
        )

    base, where = _columns_and_filter(TrainingEvent, enrolment_ids)
    events = select(*base, TrainingEvent.event_kind, TrainingEvent.days, TrainingEvent.provider).where(*where)
    for row in db.session.execute(events):
        found[row.enrolment_id].append(
            Fact(
                row.id,
                "events",
                row.occurred_on,
                row.status,
                {
                    "event_kind": row.event_kind,
                    "days": row.days,
                    "provider": (row.provider or "").strip().lower(),
                },
            )
        )

    base, where = _columns_and_filter(Observation, enrolment_ids)
    observations = select(*base, Observation.observer_id, Observation.outcome).where(*where)
    for row in db.session.execute(observations):
        found[row.enrolment_id].append(
            Fact(
                row.id,
                "observations",
                row.occurred_on,
                row.status,
                {
                    "observer": f"user:{row.observer_id}",
                    "outcome": row.outcome,
                },
            )
        )
    return found


def _reflections(enrolment_ids: list[int]) -> dict[int, list[AcceptedReflection]]:
    found: dict[int, list[AcceptedReflection]] = defaultdict(list)
    query = (
        select(Reflection.id, Reflection.enrolment_id, Reflection.vignette_slug, Reflection.reviewed_at)
        .where(
            Reflection.enrolment_id.in_(enrolment_ids), Reflection.status == ReflectionStatus.ACCEPTED.value
        )
        .order_by(Reflection.reviewed_at, Reflection.id)
    )
    for row in db.session.execute(query):
        accepted_on = row.reviewed_at.date() if row.reviewed_at else dt.date.min
        found[row.enrolment_id].append(AcceptedReflection(row.id, row.vignette_slug, accepted_on))
    return found


def _module_scores(enrolments: list[Enrolment]) -> dict[int, float]:
    """The best final-test score of each enrolment's trainee in its association."""
    from app.learning.scores import best_final_scores

    pairs = {(e.trainee_id, e.association_id) for e in enrolments}
    scores = best_final_scores(pairs)
    return {
        e.id: scores[(e.trainee_id, e.association_id)]
        for e in enrolments
        if (e.trainee_id, e.association_id) in scores
    }


def _reports(enrolment_ids: list[int]) -> dict[int, list[SignedReport]]:
    found: dict[int, list[SignedReport]] = defaultdict(list)
    query = (
        select(CompetencyReport)
        .where(
            CompetencyReport.enrolment_id.in_(enrolment_ids),
            CompetencyReport.status == ReportStatus.SIGNED.value,
        )
        .order_by(CompetencyReport.signed_at)
    )
    for report in db.session.scalars(query):
        found[report.enrolment_id].append(
            SignedReport(report.id, report.signed_at.date(), report.recommendation, dict(report.ratings))
        )
    return found


def _decisions(
    enrolment_ids: list[int],
) -> tuple[dict[int, dict[str, str]], dict[int, dict[str, ManualDecision]]]:
    waivers: dict[int, dict[str, str]] = defaultdict(dict)
    manual: dict[int, dict[str, ManualDecision]] = defaultdict(dict)
    query = (
        select(RequirementDecision)
        .where(RequirementDecision.enrolment_id.in_(enrolment_ids))
        .order_by(RequirementDecision.id)
    )
    for decision in db.session.scalars(query):  # later rows override earlier ones
        key, enrolment_id = decision.requirement_id, decision.enrolment_id
        waivers[enrolment_id].pop(key, None)
        manual[enrolment_id].pop(key, None)
        if decision.decision == "waived":
            waivers[enrolment_id][key] = decision.reason
        elif decision.decision in ("met", "not_met"):
            manual[enrolment_id][key] = ManualDecision(decision.decision == "met", decision.reason)
    return waivers, manual


def gather(enrolments: list[Enrolment], as_of: dt.date | None = None) -> dict[int, TraineeFacts]:
    """TraineeFacts for each enrolment, keyed by enrolment id, in a fixed number of queries."""
    as_of = as_of or dt.date.today()
    ids = [e.id for e in enrolments]
    if not ids:
        return {}
    facts, reflections, reports = _facts(ids), _reflections(ids), _reports(ids)
    scores = _module_scores(enrolments)
    waivers, manual = _decisions(ids)
    return {
        e.id: TraineeFacts(
            enrolment_start=e.started_on,
            as_of=as_of,
            facts=tuple(facts.get(e.id, ())),
            profile={"psychodynamic_training": bool(e.has_psychodynamic_training)},
            qualification_date=e.qualified_on,
            best_module_score=scores.get(e.id),
            reflections=tuple(reflections.get(e.id, ())),
            reports=tuple(reports.get(e.id, ())),
            manual=dict(manual.get(e.id, {})),
            waivers=dict(waivers.get(e.id, {})),
        )
        for e in enrolments
    }


def record_counts(enrolment_ids: list[int]) -> dict[int, int]:
    """Submitted records waiting for sign-off, per enrolment (for dashboards)."""
    query = (
        select(LogbookRecord.enrolment_id, func.count())
        .where(LogbookRecord.enrolment_id.in_(enrolment_ids), LogbookRecord.status == "submitted")
        .group_by(LogbookRecord.enrolment_id)
    )
    return dict(db.session.execute(query).all())

"""Gathering the engine's facts from the database, for one enrolment or a whole cohort.

The cost is a fixed number of queries whatever the number of enrolments or records:
one per logbook record type, one each for reflections, module scores, reports and
decisions. Only the columns the rules read are fetched, as plain rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import String, func, select, type_coerce

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

_BASE = LogbookRecord.__table__
ALL_RECORD_TYPES = frozenset({"sessions", "supervision", "events", "observations"})


def _raw_date(column):
    """The date as the driver gives it: SQLAlchemy's per-row string parsing on SQLite is
    the slowest step of a cohort, and ``_day`` does the same job with ``fromisoformat``."""
    return type_coerce(column, String).label(column.name)


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def _rows(kind_table, columns, enrolment_ids: list[int], *, signed_only: bool) -> list:
    """Rows of one record kind joined to the shared record table, as plain Core tuples.

    Core (not ORM entities) and one ``fetchall`` keep the cost per row low for cohorts
    of 100,000s of rows.
    """
    query = (
        select(_BASE.c.id, _BASE.c.enrolment_id, _raw_date(_BASE.c.occurred_on), _BASE.c.status, *columns)
        .select_from(kind_table.join(_BASE, kind_table.c.id == _BASE.c.id))
        .where(_BASE.c.enrolment_id.in_(enrolment_ids))
    )
    if signed_only:
        query = query.where(_BASE.c.status == "signed")
    return db.session.execute(query).all()


def _superseded(enrolment_ids: list[int]) -> set[int]:
    """Records replaced by a signed correction: they no longer count, the correction does."""
    query = select(_BASE.c.supersedes_id).where(
        _BASE.c.enrolment_id.in_(enrolment_ids),
        _BASE.c.supersedes_id.is_not(None),
        _BASE.c.status == "signed",
    )
    return set(db.session.scalars(query))


def _confirmed(enrolment_ids: list[int]) -> set[int]:
    """Sessions whose co-leader (a user of the system) confirmed them."""
    confirmations = CoLeaderConfirmation.__table__.c
    query = (
        select(confirmations.record_id)
        .join(_BASE, _BASE.c.id == confirmations.record_id)
        .where(_BASE.c.enrolment_id.in_(enrolment_ids))
    )
    return set(db.session.scalars(query))


# fmt: off
def _facts(enrolment_ids: list[int], *, signed_only: bool = False,
           record_types: set[str] | None = None) -> dict[int, list[Fact]]:
    found: dict[int, list[Fact]] = defaultdict(list)
    wanted = record_types if record_types is not None else ALL_RECORD_TYPES
    if not wanted:
        return found
    superseded = _superseded(enrolment_ids)
    confirmed = _confirmed(enrolment_ids) if "sessions" in wanted else set()

    sessions = SessionRecord.__table__.c
    for (record_id, enrolment_id, day, status, role, mode, group_kind, category, setting, minutes, cases,
         co_leader_id, co_leader_name, accredited) in _rows(
        SessionRecord.__table__,
        (sessions.role, sessions.mode, sessions.group_kind, sessions.setting_category, sessions.setting,
         sessions.minutes, sessions.cases, sessions.co_leader_id, sessions.co_leader_name,
         sessions.is_co_leader_accredited),
        enrolment_ids, signed_only=signed_only,
    ) if "sessions" in wanted else ():
        if record_id in superseded:
            continue
        co_leader = f"user:{co_leader_id}" if co_leader_id else (co_leader_name or "").strip().lower()
        found[enrolment_id].append(Fact(record_id, "sessions", _day(day), status, {
            "role": role, "mode": mode, "group_kind": group_kind, "setting_category": category,
            "setting": (setting or "").strip().lower(), "minutes": minutes, "cases": cases,
            "co_leader": co_leader or None, "co_leader_accredited": accredited,
            "co_leader_confirmed": record_id in confirmed,
        }))

    supervision = SupervisionRecord.__table__.c
    for record_id, enrolment_id, day, status, minutes, mode, channel, supervisor_id, recording in _rows(
        SupervisionRecord.__table__,
        (supervision.minutes, supervision.mode, supervision.channel, supervision.supervisor_id,
         supervision.has_recording),
        enrolment_ids, signed_only=signed_only,
    ) if "supervision" in wanted else ():
        if record_id in superseded:
            continue
        found[enrolment_id].append(Fact(record_id, "supervision", _day(day), status, {
            "minutes": minutes, "mode": mode, "channel": channel, "supervisor": f"user:{supervisor_id}",
            "recording_used": recording,
        }))

    events = TrainingEvent.__table__.c
    for record_id, enrolment_id, day, status, event_kind, days, provider in _rows(
        TrainingEvent.__table__, (events.event_kind, events.days, events.provider), enrolment_ids,
        signed_only=signed_only,
    ) if "events" in wanted else ():
        if record_id in superseded:
            continue
        found[enrolment_id].append(Fact(record_id, "events", _day(day), status, {
            "event_kind": event_kind, "days": days, "provider": (provider or "").strip().lower(),
        }))

    observations = Observation.__table__.c
    for record_id, enrolment_id, day, status, observer_id, outcome in _rows(
        Observation.__table__, (observations.observer_id, observations.outcome), enrolment_ids,
        signed_only=signed_only,
    ) if "observations" in wanted else ():
        if record_id in superseded:
            continue
        found[enrolment_id].append(Fact(record_id, "observations", _day(day), status, {
            "observer": f"user:{observer_id}", "outcome": outcome,
        }))
    return found
# fmt: on


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


def gather(
    enrolments: list[Enrolment],
    as_of: dt.date | None = None,
    *,
    signed_only: bool = False,
    record_types: set[str] | None = None,
    measurements: dict[int, dict[str, object]] | None = None,
) -> dict[int, TraineeFacts]:
    """TraineeFacts for each enrolment, keyed by enrolment id, in a fixed number of queries.

    By default every record is loaded, so an outcome can list what counted and what
    was left out. Cohorts pass ``measurements`` computed in SQL and load individual
    records only of the ``record_types`` that rates and spans need, signed only.
    """
    as_of = as_of or dt.date.today()
    ids = [e.id for e in enrolments]
    if not ids:
        return {}
    facts = _facts(ids, signed_only=signed_only, record_types=record_types)
    reflections, reports = _reflections(ids), _reports(ids)
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
            measurements=(measurements or {}).get(e.id, {}),
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

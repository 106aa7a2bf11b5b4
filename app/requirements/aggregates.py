"""Set-based measurements for cohorts: one GROUP BY query per record type.

For a cohort the engine does not need every record, only each requirement's numbers:
sums for totals, distinct counts, the two sums of a share. Those are computed here in
SQL, grouped by enrolment, with one ``SUM(CASE WHEN ...)`` column per requirement, and
handed to the engine as ``TraineeFacts.measurements``. The conditions mirror
``engine.exclusion_reason`` exactly; ``tests/requirements/test_aggregates.py`` checks
that both paths give the same outcomes on random logbooks, on SQLite and PostgreSQL.
Rates and spans need the dates of individual records and stay on the fact path.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import String, and_, case, cast, exists, func, literal, or_, select

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
from app.requirements.ruleset import Requirement, RuleSet

SQL_KINDS = ("total", "distinct", "share")
FACT_KINDS = ("rate", "span")

_RECORD = LogbookRecord.__table__
_ENROLMENT = Enrolment.__table__
_TABLES = {
    "sessions": SessionRecord.__table__,
    "supervision": SupervisionRecord.__table__,
    "events": TrainingEvent.__table__,
    "observations": Observation.__table__,
}


def _user_key(column):
    return literal("user:").concat(cast(column, String))


def _fields(records: str) -> dict[str, object]:
    """The SQL expression of each field a rule can filter, count or measure on."""
    c = _TABLES[records].c
    if records == "sessions":
        return {
            "role": c.role,
            "mode": c.mode,
            "group_kind": c.group_kind,
            "setting_category": c.setting_category,
            "setting": func.nullif(func.lower(func.trim(c.setting)), ""),
            "co_leader": case(
                (c.co_leader_id.is_not(None), _user_key(c.co_leader_id)),
                else_=func.nullif(func.lower(func.trim(c.co_leader_name)), ""),
            ),
            "co_leader_accredited": c.is_co_leader_accredited,
            "co_leader_confirmed": exists().where(CoLeaderConfirmation.__table__.c.record_id == c.id),
            "minutes": c.minutes,
            "cases": c.cases,
        }
    if records == "supervision":
        return {
            "mode": c.mode,
            "channel": c.channel,
            "supervisor": _user_key(c.supervisor_id),
            "recording_used": c.has_recording,
            "minutes": c.minutes,
        }
    if records == "events":
        return {"event_kind": c.event_kind, "days": c.days, "provider": func.lower(func.trim(c.provider))}
    return {"observer": _user_key(c.observer_id), "outcome": c.outcome}


def _measure(fields: dict, measure: str):
    if measure == "records":
        return literal(1)
    if measure == "hours":
        return fields["minutes"] / 60.0
    if measure == "double_hours":
        return fields["minutes"] / 90.0
    return fields[measure]


def _bound(value, column, *, is_after: bool):
    occurred = _RECORD.c.occurred_on
    if value == "enrolment_start":
        return occurred >= _ENROLMENT.c.started_on if is_after else occurred < _ENROLMENT.c.started_on
    if value == "qualification":
        qualified = _ENROLMENT.c.qualified_on
        if is_after:
            return and_(qualified.is_not(None), occurred >= qualified)
        return or_(qualified.is_(None), occurred < qualified)
    return occurred >= value if is_after else occurred < value


def _condition(requirement: Requirement, fields: dict, as_of: dt.date):
    """The SQL twin of ``engine.exclusion_reason(...) is None``."""
    conditions = []
    if not requirement.count_unsigned:
        conditions.append(_RECORD.c.status == "signed")
    window = requirement.window
    if window is not None:
        if window.after is not None:
            conditions.append(_bound(window.after, None, is_after=True))
        if window.before is not None:
            conditions.append(_bound(window.before, None, is_after=False))
        if window.within_last_years is not None:
            cutoff = as_of.replace(year=as_of.year - window.within_last_years)
            conditions.append(_RECORD.c.occurred_on >= cutoff)
    for name, wanted in requirement.where:
        conditions.append(fields[name].in_(sorted(wanted, key=str)))
    return and_(*conditions) if conditions else literal(True)


def _numerator(requirement: Requirement, fields: dict):
    return and_(*(fields[name].in_(sorted(wanted, key=str)) for name, wanted in requirement.numerator))


def _columns(requirement: Requirement, fields: dict, as_of: dt.date) -> list:
    condition = _condition(requirement, fields, as_of)
    if requirement.kind == "total":
        return [func.sum(case((condition, _measure(fields, m)), else_=0)) for m, _ in requirement.at_least]
    if requirement.kind == "distinct":
        return [func.count(func.distinct(case((condition, fields[requirement.field]), else_=None)))]
    measure = _measure(fields, requirement.measure)
    inside = and_(condition, _numerator(requirement, fields))
    return [func.sum(case((inside, measure), else_=0)), func.sum(case((condition, measure), else_=0))]


def _value(requirement: Requirement, numbers: list) -> object:
    numbers = [float(number or 0) for number in numbers]
    if requirement.kind == "total":
        return {m: number for (m, _), number in zip(requirement.at_least, numbers, strict=True)}
    if requirement.kind == "distinct":
        return int(numbers[0])
    return numbers[0], numbers[1]


def sql_requirements(rule_set: RuleSet) -> list[Requirement]:
    return [r for r in rule_set.walk() if r.kind in SQL_KINDS]


def fact_record_types(rule_set: RuleSet) -> set[str]:
    """Record types that rates and spans still need as individual facts."""
    return {r.records for r in rule_set.walk() if r.kind in FACT_KINDS}


def measurements(groups: list[tuple[RuleSet, list[int]]], as_of: dt.date) -> dict[int, dict[str, object]]:
    """Enrolment id -> requirement id -> measurement, for each (rule set, enrolment ids) group."""
    result: dict[int, dict[str, object]] = defaultdict(dict)
    superseded = (
        select(_RECORD.c.supersedes_id)
        .where(_RECORD.c.supersedes_id.is_not(None), _RECORD.c.status == "signed")
        .scalar_subquery()
    )
    for rule_set, enrolment_ids in groups:
        by_records: dict[str, list[Requirement]] = defaultdict(list)
        for requirement in sql_requirements(rule_set):
            by_records[requirement.records].append(requirement)
        for records, requirements in by_records.items():
            table = _TABLES[records]
            fields = _fields(records)
            spans, columns = [], []
            for requirement in requirements:
                parts = _columns(requirement, fields, as_of)
                spans.append((requirement, len(columns), len(columns) + len(parts)))
                columns.extend(parts)
            query = (
                select(_RECORD.c.enrolment_id, *columns)
                .select_from(
                    table.join(_RECORD, table.c.id == _RECORD.c.id).join(
                        _ENROLMENT, _ENROLMENT.c.id == _RECORD.c.enrolment_id
                    )
                )
                .where(_RECORD.c.enrolment_id.in_(enrolment_ids), _RECORD.c.id.not_in(superseded))
                .group_by(_RECORD.c.enrolment_id)
            )
            if not any(requirement.count_unsigned for requirement in requirements):
                query = query.where(_RECORD.c.status == "signed")  # fewer rows to aggregate
            seen = set()
            for row in db.session.execute(query):
                seen.add(row[0])
                for requirement, start, end in spans:
                    result[row[0]][requirement.id] = _value(requirement, list(row[1 + start : 1 + end]))
            for enrolment_id in set(enrolment_ids) - seen:  # no records of this type at all
                for requirement, start, end in spans:
                    result[enrolment_id][requirement.id] = _value(requirement, [0] * (end - start))
    return result

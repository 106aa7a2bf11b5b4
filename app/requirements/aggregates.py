"""Set-based measurements for cohorts: a few GROUP BY queries instead of every record.

For a cohort the engine does not need every record, only each requirement's numbers,
computed here in SQL with one ``SUM(CASE WHEN ...)`` column (or two) per requirement
and handed to the engine as ``TraineeFacts.measurements``:

* totals, distinct counts and shares: one query per record type, grouped by enrolment;
* rates and spans: one query per record type, grouped by enrolment and day. A rate
  gets the units counted on each day, a span the days with a counted record; the
  engine then judges the periods and gaps with the same date code as on the record
  path (month ends and leap days included), from a few rows per trainee;
* ``every`` and ``ends`` (``record_outcomes``): in the same per-day query, the records
  counted on each day and how many of them do not match.

The conditions mirror ``engine.exclusion_reason`` exactly (signature, imported records,
windows, filters); ``tests/requirements/
test_aggregates.py`` checks that both paths give the same outcomes on random
logbooks, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import (
    Date,
    Float,
    String,
    and_,
    case,
    cast,
    event,
    exists,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Engine

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
from app.requirements import anchors, exam_measures, status_filters, windows_sql
from app.requirements.engine import years_before
from app.requirements.facts import measure_field
from app.requirements.ruleset import Compare, Requirement, RuleSet
from app.requirements.sources import among, day_of, observer_status, raw_date

PER_ENROLMENT = ("total", "distinct", "share")
PER_DAY = ("rate", "span", "every", "ends")
RECORD_KINDS = ("every", "ends")  # two columns a day: records counted, records not matching
SQL_KINDS = PER_ENROLMENT + PER_DAY

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
    held = {name: _HeldOnTheDay(records, name) for name in status_filters.STATUS_FIELDS.get(records, {})}
    return _fields_of(records) | held


def _fields_of(records: str) -> dict[str, object]:
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
            "supervisor_accredited": status_filters.supervisor_accredited_sql(_TABLES[records], _RECORD),
            "minutes": c.minutes,
        }
    if records == "events":
        return {
            "event_kind": c.event_kind,
            "days": c.days,
            "minutes": c.minutes,
            "provider": func.lower(func.trim(c.provider)),
        }
    return {
        "observer": _user_key(c.observer_id),
        "outcome": c.outcome,
        "observer_status": observer_status(c.id),
    }


def _units(fields: dict, measure: str, units: tuple[tuple[str, int], ...] = ()):
    """Whole units of ``measure`` per record; the divisor is applied in ``_value``.

    A record without the field (an event whose length was not given) is NULL, which
    SUM skips: it adds nothing, as ``Fact.units`` does."""
    field, _ = measure_field(measure, units)
    return literal(1) if field is None else fields[field]


def _matches(column, wanted):
    """The SQL twin of ``value in wanted``: a set of values, or a ``Compare`` of a number
    (a missing number compares as NULL, so it never matches, as in Python)."""
    if isinstance(column, _HeldOnTheDay):
        return column.matching(wanted)
    if not isinstance(wanted, Compare):
        return column.in_(sorted(wanted, key=str))
    conditions = [column.is_not(None)]
    if wanted.low is not None:
        conditions.append(column > wanted.low if wanted.low_strict else column >= wanted.low)
    if wanted.high is not None:
        conditions.append(column < wanted.high if wanted.high_strict else column <= wanted.high)
    return and_(*conditions)


def _condition(requirement: Requirement, fields: dict, as_of: dt.date, latest=None):
    """The SQL twin of ``engine.exclusion_reason(...) is None``."""
    conditions = []
    if not requirement.count_unsigned:
        conditions.append(_RECORD.c.status == "signed")
    if not requirement.count_imported:
        conditions.append(_RECORD.c.is_imported.is_(False))
    if requirement.window is not None:
        conditions.append(windows_sql.condition(requirement.window, as_of, latest))
    for name, wanted in requirement.where:
        conditions.append(_matches(fields[name], wanted))
    return and_(*conditions) if conditions else literal(True)


def _numerator(requirement: Requirement, fields: dict):
    return and_(*(_matches(fields[name], wanted) for name, wanted in requirement.numerator))


class _HeldOnTheDay:
    """A status field in SQL: not a column but a condition built from the filter's levels."""

    def __init__(self, records: str, name: str):
        self.records, self.name = records, name

    def matching(self, wanted: status_filters.HeldStatus):
        return status_filters.sql_condition(self.records, self.name, wanted, _TABLES[self.records], _RECORD)


def _columns(requirement: Requirement, fields: dict, as_of: dt.date, latest=None) -> list:
    if requirement.records == "exams":  # not logbook records: no signature, import or correction
        condition = exam_measures.condition(requirement, fields, as_of, _matches, years_before)
    else:
        condition = _condition(requirement, fields, as_of, latest)
    if requirement.kind == "total":
        units = requirement.units
        return [
            func.sum(case((condition, _units(fields, m, units)), else_=0)) for m, _ in requirement.at_least
        ]
    if requirement.kind == "distinct":
        return [func.count(func.distinct(case((condition, fields[requirement.field]), else_=None)))]
    if requirement.kind == "rate":
        return [func.sum(case((condition, _units(fields, requirement.measure, requirement.units)), else_=0))]
    if requirement.kind == "span":
        return [func.max(case((condition, 1), else_=0))]
    if requirement.kind in RECORD_KINDS:
        matching = and_(condition, *(_matches(fields[name], wanted) for name, wanted in requirement.match))
        # A NULL comparison is not a match: the second WHEN catches it, as Python's ``in`` does.
        return [
            func.sum(case((condition, 1), else_=0)),
            func.sum(case((matching, 0), (condition, 1), else_=0)),
        ]
    units = _units(fields, requirement.measure, requirement.units)
    inside = and_(condition, _numerator(requirement, fields))
    return [func.sum(case((inside, units), else_=0)), func.sum(case((condition, units), else_=0))]


def _divisors(requirement: Requirement) -> tuple[int, ...]:
    """What each of a requirement's columns is divided by (see ``facts.measure_field``)."""
    if requirement.kind == "total":
        return tuple(measure_field(m, requirement.units)[1] for m, _ in requirement.at_least)
    if requirement.kind == "distinct":
        return (1,)
    return (measure_field(requirement.measure, requirement.units)[1],) * 2  # share: inside, total


def _value(requirement: Requirement, numbers, divisors: tuple[int, ...]) -> object:
    """A requirement's measurement from its columns of one enrolment's row, as the engine's
    record path makes it: totals per measure, a distinct count, a share's two sums."""
    values = tuple(float(number or 0) / divisor for number, divisor in zip(numbers, divisors, strict=True))
    if requirement.kind == "distinct":
        return int(values[0])
    return values


def _superseded():
    """Ids of records replaced by a signed correction: they no longer count, the correction does.

    ``supersedes_id > 0`` selects the same rows as ``IS NOT NULL`` (ids are positive),
    but SQLite answers it from the unique index instead of scanning every record.
    """
    return select(_RECORD.c.supersedes_id).where(_RECORD.c.supersedes_id > 0, _RECORD.c.status == "signed")


def _query(
    records: str, requirements: list[Requirement], enrolment_ids: list[int], as_of: dt.date, by_day: bool
):
    """One record type's measuring query: the group key, then each requirement's columns."""
    if records == "exams":
        fields = exam_measures.fields()
        columns = [column for requirement in requirements for column in _columns(requirement, fields, as_of)]
        return exam_measures.query(columns, enrolment_ids, by_day, among, raw_date)
    table, fields = _TABLES[records], _fields(records)
    latest = anchors.latest_applications(as_of)
    columns = [
        column for requirement in requirements for column in _columns(requirement, fields, as_of, latest)
    ]
    source = table.join(_RECORD, table.c.id == _RECORD.c.id)
    if any(_reads_enrolment(requirement) for requirement in requirements):
        source = source.join(_ENROLMENT, _ENROLMENT.c.id == _RECORD.c.enrolment_id)
    if any(_reads_application(requirement) for requirement in requirements):
        source = source.outerjoin(latest, latest.c.enrolment_id == _RECORD.c.enrolment_id)
    keys = [_RECORD.c.enrolment_id, _RECORD.c.occurred_on] if by_day else [_RECORD.c.enrolment_id]
    shown = [_RECORD.c.enrolment_id, raw_date(_RECORD.c.occurred_on)] if by_day else keys
    query = (
        select(*shown, *columns)
        .select_from(source)
        .where(among(_RECORD.c.enrolment_id, enrolment_ids), _RECORD.c.id.not_in(_superseded()))
        .group_by(*keys)
    )
    if not any(requirement.count_unsigned for requirement in requirements):
        query = query.where(_RECORD.c.status == "signed")  # fewer rows to aggregate
    return query.order_by(*keys) if by_day else query


def _reads_enrolment(requirement: Requirement) -> bool:
    """Whether the requirement's window is anchored on the enrolment (start or qualification)."""
    window = requirement.window
    return window is not None and any(
        anchor in ("enrolment_start", "qualification") for anchor in window.anchors()
    )


def _reads_application(requirement: Requirement) -> bool:
    window = requirement.window
    return window is not None and "application" in window.anchors()


def needs_records(rule_set: RuleSet) -> set[str]:
    """The record types a cohort must load for the requirements judged record by record
    (their own, and those of the requirements whose first-met day they wait for); empty
    for most rule sets."""
    by_id = {requirement.id: requirement for requirement in rule_set.walk()}
    types = set()
    for requirement in rule_set.walk():
        if _record_path_only(rule_set, requirement):
            types.add(requirement.records)
            targets = requirement.window.met_ids() if requirement.window is not None else ()
            types.update(by_id[target].records for target in targets)
    return types - {None}


def _record_path_only(rule_set: RuleSet, requirement: Requirement) -> bool:
    """``count_once`` members and windows on the day another requirement was met need every
    record in order (``exclusive``); one more query for a cohort that uses them."""
    if requirement.window is not None and requirement.window.met_ids():
        return True
    return requirement.records is not None and any(
        requirement.id in ids for ids, _line in rule_set.count_once
    )


def _per_enrolment(rows, requirements, enrolment_ids, result) -> None:
    """Each requirement's slice of the row's columns, turned into its measurement."""
    slices, start = [], 0
    for requirement in requirements:
        divisors = _divisors(requirement)
        slices.append((requirement, start, start + len(divisors), divisors))
        start += len(divisors)
    seen = set()
    for enrolment_id, *numbers in rows:
        seen.add(enrolment_id)
        measured = result[enrolment_id]
        for requirement, first, end, divisors in slices:
            measured[requirement.id] = _value(requirement, numbers[first:end], divisors)
    for enrolment_id in set(enrolment_ids) - seen:  # no records of this type at all
        for requirement, first, end, divisors in slices:
            result[enrolment_id][requirement.id] = _value(requirement, [0] * (end - first), divisors)


def _per_day(rows, requirements, enrolment_ids, result) -> None:
    """Rates get ((day, units), ...), spans (day, ...), ``every`` and ``ends`` ((day, counted,
    not matching), ...): only days where something counted."""
    widths = [2 if requirement.kind in RECORD_KINDS else 1 for requirement in requirements]
    found: dict[int, list[list]] = defaultdict(lambda: [[] for _ in requirements])
    for enrolment_id, raw_day, *numbers in rows:  # in (enrolment, day) order
        day, lists, start = day_of(raw_day), found[enrolment_id], 0
        for index, requirement in enumerate(requirements):
            number = numbers[start]
            if number and widths[index] == 2:
                lists[index].append((day, int(number), int(numbers[start + 1] or 0)))
            elif number:
                lists[index].append((day, number) if requirement.kind == "rate" else day)
            start += widths[index]
    for enrolment_id in enrolment_ids:
        lists = found.get(enrolment_id)
        for index, requirement in enumerate(requirements):
            result[enrolment_id][requirement.id] = tuple(lists[index]) if lists else ()


@event.listens_for(Engine, "connect")
def _plan_for_actual_parameters(dbapi_connection, _connection_record) -> None:
    """On PostgreSQL, plan every statement of a connection for its actual parameters.

    psycopg prepares a statement on the server once it has run five times, and
    PostgreSQL may then switch to a generic plan that cannot see how many enrolments
    the id array holds: it guesses a handful and probes indexes row by row. From
    about the tenth view on, the cohort took twice as long. Set once per connection
    when the pool opens it (committed, so that no rollback undoes it), instead of a
    ``SET LOCAL`` statement on every page that shows progress.
    """
    if not type(dbapi_connection).__module__.startswith("psycopg"):
        return
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


def sql_requirements(rule_set: RuleSet) -> list[Requirement]:
    """Record-based requirements on logbook records (a group member's ``attendance`` is no
    enrolment's record: a participant rule set is evaluated per member, never for a cohort)."""
    return [
        r
        for r in rule_set.walk()
        if r.kind in SQL_KINDS and r.records != "attendance" and not _record_path_only(rule_set, r)
    ]


def measurements(groups: list[tuple[RuleSet, list[int]]], as_of: dt.date) -> dict[int, dict[str, object]]:
    """Enrolment id -> requirement id -> measurement, for each (rule set, enrolment ids) group.

    Two queries per record type a rule set reads (one per enrolment, one per enrolment
    and day), sent as one ``UNION ALL`` statement, whatever the number of enrolments or
    records: a page that shows progress pays one statement for them, not four.
    """
    result: dict[int, dict[str, object]] = defaultdict(dict)
    parts = []
    for rule_set, enrolment_ids in groups:
        batches: dict[tuple[str, bool], list[Requirement]] = defaultdict(list)
        for requirement in sql_requirements(rule_set):
            batches[(requirement.records, requirement.kind in PER_DAY)].append(requirement)
        for (records, by_day), requirements in batches.items():
            query = _query(records, requirements, enrolment_ids, as_of, by_day)
            parts.append((query, requirements, enrolment_ids, by_day))
    if not parts:  # only manual, module, report... requirements: no record to measure
        return result
    if len(parts) == 1:
        query, requirements, enrolment_ids, by_day = parts[0]
        collect = _per_day if by_day else _per_enrolment
        collect(db.session.execute(query), requirements, enrolment_ids, result)
        return result
    widths = [len(query.selected_columns) - (2 if by_day else 1) for query, _, _, by_day in parts]
    rows_of: dict[int, list] = defaultdict(list)
    for tag, enrolment_id, day, *numbers in db.session.execute(_together(parts, max(widths))):
        kept = numbers[: widths[tag]]
        rows_of[tag].append((enrolment_id, day, *kept) if parts[tag][3] else (enrolment_id, *kept))
    for tag, (_, requirements, enrolment_ids, by_day) in enumerate(parts):
        collect = _per_day if by_day else _per_enrolment
        collect(rows_of[tag], requirements, enrolment_ids, result)
    return result


def _together(parts, widest: int):
    """Every measuring query as one ``UNION ALL`` statement: a tag says which query a row
    answers; the day is NULL for the per-enrolment ones; numbers are cast to one type and
    padded with NULLs to the widest query. Rows come in (query, enrolment, day) order."""
    branches = []
    for tag, (query, _requirements, _ids, by_day) in enumerate(parts):
        columns = list(query.selected_columns)
        # A typed NULL: PostgreSQL reads two untyped NULLs in a row as text, then refuses
        # to unite text with the per-day queries' dates. Read back untouched (``raw_date``).
        day = columns[1] if by_day else type_coerce(cast(null(), Date), String)
        numbers = columns[2:] if by_day else columns[1:]
        padded = [cast(number, Float) for number in numbers]
        padded += [cast(null(), Float)] * (widest - len(numbers))
        branches.append(
            query.order_by(None).with_only_columns(
                literal(tag).label("tag"),
                columns[0].label("enrolment"),
                day.label("day"),
                *(number.label(f"n{index}") for index, number in enumerate(padded)),
            )
        )
    together = union_all(*branches)
    return together.order_by(*(together.selected_columns[name] for name in ("tag", "enrolment", "day")))

"""Filters on the status level another person held on a record's date.

``co_leader_status: certified-leader`` counts a session only when its co-leader held
that level (in the enrolment's association) on the day of the session;
``supervisor_status`` does the same for supervision, ``observer_level`` for observations
(unlike ``observer_status``, which is what the observation report states). A list or
``one_of`` means any of the levels. A co-leader named by hand, not a user, holds none.
``supervisor_accredited`` (yes/no) reads the supervisors' sign-off accreditation the same
way: accredited on the day of the supervision.

Both evaluation paths read the same dated rows (``app.statuslevels``): the record path
attaches the levels each record's person held that day (``attach``, one query for all
records), the SQL cohort path asks ``EXISTS`` per record (``sql_condition``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, or_, select

from app.extensions import db
from app.logbook.models import SupervisorAccreditation
from app.statuslevels.models import PersonStatusLevel

#: record type -> status field -> (the field holding the person, "user:<id>"; the column name)
STATUS_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "sessions": {"co_leader_status": ("co_leader", "co_leader_id")},
    "supervision": {"supervisor_status": ("supervisor", "supervisor_id")},
    "observations": {"observer_level": ("observer", "observer_id")},
}
FIELD_NAMES = frozenset(name for fields in STATUS_FIELDS.values() for name in fields)
LEVEL = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class HeldLevels(frozenset):
    """The levels a record's person held on its date; reads as their names."""

    def __str__(self) -> str:
        return ", ".join(sorted(self)) if self else "none held that day"


@dataclass(frozen=True)
class HeldStatus:
    """A filter: the person held at least one of ``levels`` on the record's date."""

    levels: frozenset[str]

    def __contains__(self, held: Any) -> bool:
        return isinstance(held, frozenset) and not self.levels.isdisjoint(held)

    def describe(self) -> str:
        return " or ".join(sorted(self.levels))

    def mismatch(self, name: str, held: Any) -> str:
        """Why a record was left out: 'co-leader held training-leader that day, not supervisor-leader'."""
        who = name.removesuffix("_status").removesuffix("_level").replace("_", "-")
        shown = ", ".join(sorted(held)) if held else "no status level"
        return f"{who} held {shown} that day, not {self.describe()}"


def parse(wanted: Any) -> HeldStatus | str:
    """The filter, or what is wrong with it: a level, a list of levels, or ``{one_of: [...]}``."""
    if isinstance(wanted, dict):
        if set(wanted) != {"one_of"}:
            return "use a level, a list of levels, or one_of (comparisons do not apply to a status)"
        wanted = wanted["one_of"]
    values = wanted if isinstance(wanted, list) else [wanted]
    if not values:
        return "name at least one status level"
    bad = [value for value in values if not (isinstance(value, str) and LEVEL.match(value))]
    if bad:
        return f"{bad[0]!r} is not a status level name: lower-case letters, digits and hyphens"
    return HeldStatus(frozenset(values))


def levels_named(rule_set) -> list[tuple[int, str]]:
    """(line, level) for every status level the rule set's filters name."""
    named = []
    for requirement in rule_set.walk():
        for _name, wanted in (*requirement.where, *requirement.numerator):
            if isinstance(wanted, HeldStatus):
                named.extend((requirement.line, level) for level in sorted(wanted.levels))
    return named


def unknown_levels(rule_set, known: set[str] | frozenset[str]) -> list[tuple[int, str]]:
    """(line, level) for the levels the rule set names that ``known`` does not hold."""
    return [(line, level) for line, level in levels_named(rule_set) if level not in known]


def undeclared_default_levels(rule_set) -> list:
    """A problem for every level a filter names that is not a default level: a preset is
    applied to any association, and every association starts with the defaults."""
    from app.requirements.ruleset import RuleSetProblem
    from app.statuslevels.models import DEFAULT_LEVELS

    defaults = {slug for slug, _label, _granted in DEFAULT_LEVELS}
    return [
        RuleSetProblem(
            line,
            f"status level {level!r} is not a default level ({', '.join(sorted(defaults))}); "
            "only an association that declares it can use this rule set",
        )
        for line, level in unknown_levels(rule_set, defaults)
    ]


# --- the record path -----------------------------------------------------------------------


def _user_id(value: Any) -> int | None:
    if isinstance(value, str) and value.startswith("user:"):
        return int(value[5:])
    return None


def fields_used(rule_set) -> frozenset[str]:
    """The fields read from dated registries that the rule set's filters name."""
    return frozenset(
        name
        for requirement in rule_set.walk()
        for name, _wanted in (*requirement.where, *requirement.numerator)
        if name in FIELD_NAMES or name == "supervisor_accredited"
    )


def attach(
    facts: dict[int, list], association_of: dict[int, int], fields: frozenset[str] | None = None
) -> None:
    """Give every fact that can carry a status field the levels its person held on its date.

    ``facts``: enrolment id -> facts; ``association_of``: enrolment id -> association id;
    ``fields``: only these (``fields_used``; None: all). One query for every person and
    association involved, whatever the number of records; none when no rule reads them."""
    if fields is not None and not fields:
        return
    wanted = {
        records: {name: how for name, how in named.items() if fields is None or name in fields}
        for records, named in STATUS_FIELDS.items()
    }
    people: set[int] = set()
    for found in facts.values():
        for fact in found:
            for person, _column in wanted.get(fact.records, {}).values():
                user_id = _user_id(fact.values.get(person))
                if user_id is not None:
                    people.add(user_id)
    periods: dict[tuple[int, int], list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    if people:
        rows = db.session.execute(
            select(
                PersonStatusLevel.user_id,
                PersonStatusLevel.association_id,
                PersonStatusLevel.since,
                PersonStatusLevel.until,
                PersonStatusLevel.level,
            ).where(
                PersonStatusLevel.user_id.in_(sorted(people)),
                PersonStatusLevel.association_id.in_(sorted(set(association_of.values()))),
            )
        )
        for user_id, association_id, since, until, level in rows:
            periods[(user_id, association_id)].append((since, until, level))
    reads_accreditation = fields is None or "supervisor_accredited" in fields
    accredited = _supervisor_accreditations(facts, association_of) if reads_accreditation else {}
    for enrolment_id, found in facts.items():
        association_id = association_of.get(enrolment_id)
        for fact in found:
            if fact.records == "supervision" and reads_accreditation:
                supervisor = _user_id(fact.values.get("supervisor"))
                fact.values["supervisor_accredited"] = any(
                    since <= fact.date and (until is None or fact.date <= until)
                    for since, until in accredited.get((supervisor, association_id), ())
                )
            for name, (person, _column) in wanted.get(fact.records, {}).items():
                user_id = _user_id(fact.values.get(person))
                held = periods.get((user_id, association_id), ()) if user_id is not None else ()
                fact.values[name] = HeldLevels(
                    level
                    for since, until, level in held
                    if since <= fact.date and (until is None or fact.date <= until)
                )


def _supervisor_accreditations(facts: dict[int, list], association_of: dict[int, int]) -> dict:
    """(supervisor, association) -> the periods the association accredited them to sign
    (``supervisor_accredited``: accredited on the day of the supervision). One query, only
    when there is supervision to judge."""
    supervisors = {
        _user_id(fact.values.get("supervisor"))
        for found in facts.values()
        for fact in found
        if fact.records == "supervision"
    } - {None}
    periods: dict[tuple[int, int], list] = defaultdict(list)
    if not supervisors:
        return periods
    table = SupervisorAccreditation
    rows = db.session.execute(
        select(table.supervisor_id, table.association_id, table.valid_from, table.valid_until).where(
            table.supervisor_id.in_(sorted(supervisors)),
            table.association_id.in_(sorted(set(association_of.values()))),
        )
    )
    for supervisor_id, association_id, since, until in rows:
        periods[(supervisor_id, association_id)].append((since, until))
    return periods


def supervisor_accredited_sql(table, record_table):
    """The SQL twin: the association accredited the supervisor on the record's date."""
    accreditation = SupervisorAccreditation.__table__.c
    occurred = record_table.c.occurred_on
    return exists().where(
        and_(
            accreditation.supervisor_id == table.c.supervisor_id,
            accreditation.association_id == record_table.c.association_id,
            accreditation.valid_from <= occurred,
            or_(accreditation.valid_until.is_(None), accreditation.valid_until >= occurred),
        )
    )


# --- the SQL path --------------------------------------------------------------------------


def sql_condition(records: str, name: str, wanted: HeldStatus, table, record_table):
    """The SQL twin of ``held in wanted``: the record's person held one of the levels, in the
    record's association, on the record's date."""
    _person, column = STATUS_FIELDS[records][name]
    level = PersonStatusLevel.__table__.c
    occurred = record_table.c.occurred_on
    return exists().where(
        and_(
            level.user_id == table.c[column],
            level.association_id == record_table.c.association_id,
            level.level.in_(sorted(wanted.levels)),
            level.since <= occurred,
            or_(level.until.is_(None), level.until >= occurred),
        )
    )

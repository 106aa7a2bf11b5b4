"""The SQL twin of exams (``records: exams``) for cohorts, beside ``aggregates``.

Exams are not logbook records: an admin records each from the examiner's result
(``app.profiles.models.AssessedEvent``), so every one counts as signed and none is
imported or superseded. The measuring query has the shape of ``aggregates._query``
(the enrolment, the day when by day, then each requirement's columns), so the rest of
the cohort path treats its rows like any other record type's.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, and_, case, cast, func, literal, or_, select

from app.profiles.models import AssessedEvent
from app.programmes.models import Enrolment

_EXAM = AssessedEvent.__table__
_ENROLMENT = Enrolment.__table__


def fields() -> dict[str, object]:
    """The SQL expression of each field a rule reads on an exam (as ``profiles.facts`` makes them)."""
    c = _EXAM.c
    return {
        "exam_kind": c.kind,
        "outcome": c.outcome,
        "examiner": case(
            (c.examiner_id.is_not(None), literal("user:").concat(cast(c.examiner_id, String))),
            else_=func.nullif(func.lower(func.trim(c.examiner_name)), ""),
        ),
    }


def _bound(value, *, is_after: bool):
    occurred = _EXAM.c.occurred_on
    if value == "enrolment_start":
        started = _ENROLMENT.c.started_on
        return occurred >= started if is_after else occurred < started
    if value == "qualification":
        qualified = _ENROLMENT.c.qualified_on
        if is_after:
            return and_(qualified.is_not(None), occurred >= qualified)
        return or_(qualified.is_(None), occurred < qualified)
    if isinstance(value, dt.date):
        return occurred >= value if is_after else occurred < value
    raise ValueError(f"exams cannot be windowed on {value!r} yet")


def condition(requirement, exam_fields: dict, as_of: dt.date, matches, years_before):
    """The SQL twin of ``engine.exclusion_reason(...) is None`` for an exam."""
    conditions = []
    window = requirement.window
    if window is not None:
        if window.after is not None:
            conditions.append(_bound(window.after, is_after=True))
        if window.before is not None:
            conditions.append(_bound(window.before, is_after=False))
        if window.within_last_years is not None:
            conditions.append(_EXAM.c.occurred_on >= years_before(as_of, window.within_last_years))
    for name, wanted in requirement.where:
        conditions.append(matches(exam_fields[name], wanted))
    return and_(*conditions) if conditions else literal(True)


def query(columns: list, enrolment_ids, by_day: bool, among, raw_date):
    """Exams grouped by enrolment (and day), with the requirements' ``columns``."""
    keys = [_EXAM.c.enrolment_id, _EXAM.c.occurred_on] if by_day else [_EXAM.c.enrolment_id]
    shown = [_EXAM.c.enrolment_id, raw_date(_EXAM.c.occurred_on)] if by_day else keys
    source = _EXAM.join(_ENROLMENT, _ENROLMENT.c.id == _EXAM.c.enrolment_id)
    built = (
        select(*shown, *columns)
        .select_from(source)
        .where(among(_EXAM.c.enrolment_id, enrolment_ids))
        .group_by(*keys)
    )
    return built.order_by(*keys) if by_day else built

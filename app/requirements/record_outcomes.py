"""Evaluating ``every`` and ``ends`` (see ``record_kinds``): rules about single records.

Both judge the counted records day by day: for each day with a counted record, how many
counted and how many of those do not match the requirement's ``match``. The record path
makes that from the facts; a cohort's SQL path (``aggregates``) makes the same tuple with
one GROUP BY (enrolment, day), so both give the same outcome and the same sentence.
``ends`` looks at the first and the last of those days: every counted record of that day
must match (a block of two sessions on the first day starts in person only if both were).
"""

from __future__ import annotations

import datetime as dt

from app.requirements import engine
from app.requirements.facts import TraineeFacts
from app.requirements.ruleset import Compare, Requirement

Daily = tuple[tuple[dt.date, int, int], ...]  # (day, counted, not matching), in date order


def matches(requirement: Requirement, values: dict) -> bool:
    return all(values.get(name) in wanted for name, wanted in requirement.match)


def daily_matches(requirement: Requirement, facts) -> Daily:
    """(day, records counted, records that do not match) for each day with a counted record."""
    days: dict[dt.date, list[int]] = {}
    for fact in facts:
        counts = days.setdefault(fact.date, [0, 0])
        counts[0] += 1
        counts[1] += 0 if matches(requirement, fact.values) else 1
    return tuple((day, counted, failing) for day, (counted, failing) in sorted(days.items()))


def describe_match(requirement: Requirement) -> str:
    """'mode in-person', 'minutes at most 90 and group size between 8 and 12'."""
    parts = []
    for name, wanted in requirement.match:
        label = name.replace("_", " ")
        if isinstance(wanted, Compare):
            parts.append(f"{label} {wanted.describe()}")
        else:
            parts.append(f"{label} {' or '.join(sorted(str(value) for value in wanted))}")
    return " and ".join(parts)


def _records_word(requirement: Requirement, count: int) -> str:
    unit = engine._unit(requirement, "records")
    return engine._singular(unit) if count == 1 else unit


def every(requirement: Requirement, trainee: TraineeFacts) -> engine.Outcome:
    """Met when every counted record matches; with none counted there is nothing to break it."""
    counted, excluded, daily = engine._measured(
        requirement, trainee, lambda facts: daily_matches(requirement, facts)
    )
    total = sum(number for _, number, _ in daily)
    failing_days = [day for day, _, failing in daily if failing]
    failing = sum(failing for _, _, failing in daily)
    missing = ""
    if failing:
        days = ", ".join(day.isoformat() for day in failing_days)
        missing = (
            f"{failing} of {total} {_records_word(requirement, total)} "
            f"{'does' if failing == 1 else 'do'} not have {describe_match(requirement)}: {days}."
        )
    return engine.Outcome(
        requirement,
        engine.MET if not failing else engine.NOT_MET,
        total - failing,
        total,
        _records_word(requirement, total),
        missing,
        tuple(f.id for f in counted),
        tuple(excluded),
        progress=min((total - failing) / total, 0.99) if failing else None,
    )


def ends(requirement: Requirement, trainee: TraineeFacts) -> engine.Outcome:
    """Met when the counted records of the first and/or the last day all match."""
    counted, excluded, daily = engine._measured(
        requirement, trainee, lambda facts: daily_matches(requirement, facts)
    )
    needed = len(requirement.ends)
    if not daily:
        return engine.Outcome(
            requirement, engine.NOT_MET, 0, needed, "ends", "No records count yet.", (), tuple(excluded)
        )
    word = _records_word(requirement, 1)
    chosen = {"first": daily[0], "last": daily[-1]}
    problems = [
        f"the {end} {word} ({chosen[end][0].isoformat()}) does not have {describe_match(requirement)}"
        for end in requirement.ends
        if chosen[end][2]
    ]
    return engine.Outcome(
        requirement,
        engine.MET if not problems else engine.NOT_MET,
        needed - len(problems),
        needed,
        "ends",
        engine._capital("; ".join(problems) + ("." if problems else "")),
        tuple(f.id for f in counted),
        tuple(excluded),
    )


EVALUATORS = {"every": every, "ends": ends}

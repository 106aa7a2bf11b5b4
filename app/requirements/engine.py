"""Evaluating a rule set against one enrolment's facts.

Pure functions of (rule set, facts): the same inputs always give the same outcome.
Each requirement yields an ``Outcome``: met, not met, waived or not applicable, how far
along it is in the rule's own unit, the records that counted, the records left out and
why, and one plain sentence of what is missing.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, replace

from app.requirements import exclusive, profile_rules, windows
from app.requirements.facts import Fact, TraineeFacts, measure_field
from app.requirements.ruleset import ELAPSED_ANCHORS, Compare, Requirement, RuleSet

MET, NOT_MET, WAIVED, NOT_APPLICABLE = "met", "not_met", "waived", "not_applicable"
SATISFIED = (MET, WAIVED)

UNIT_WORDS = {
    "records": {
        "sessions": "sessions",
        "supervision": "supervision sessions",
        "events": "events",
        "observations": "observations",
        "attendance": "sessions attended",
        "exams": "exams",
    },
    "cases": "cases",
    "minutes": "minutes",
    "hours": "hours",
    "double_hours": "double hours (90 minutes)",
    "days": "days",
}


@dataclass(frozen=True, slots=True)
class Run:
    """The longest unbroken run of periods that each reach a rate's minimum.

    ``starts_on`` is the first day of its first period, ``ends_on`` the last day of its
    last; ``breaks`` label the completed periods just before and after it that fell
    short (a run at the start of the history or still going has fewer)."""

    length: int
    first: str
    last: str
    starts_on: dt.date
    ends_on: dt.date
    breaks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)  # slots: a cohort page makes 24,000 of these
class Outcome:
    requirement: Requirement
    status: str
    current: float
    required: float
    unit: str
    missing: str = ""
    counted: tuple[int, ...] = ()
    excluded: tuple[tuple[int, str], ...] = ()
    children: tuple[Outcome, ...] = ()
    waiver_reason: str = ""
    progress: float | None = None  # when current/required does not express how far along it is
    run: Run | None = None  # a rate with ``run``: the longest run of periods that reach the minimum
    met_on: dt.date | None = None  # elapsed: the day it is (or will be) met

    @property
    def is_satisfied(self) -> bool:
        return self.status in SATISFIED

    @property
    def fraction(self) -> float:
        if self.status in SATISFIED or self.status == NOT_APPLICABLE:
            return 1.0
        if self.progress is not None:
            return max(0.0, min(1.0, self.progress))
        if self.required <= 0:
            return 0.0
        return max(0.0, min(1.0, self.current / self.required))


@dataclass(frozen=True)
class Evaluation:
    outcomes: tuple[Outcome, ...]

    @property
    def is_ready(self) -> bool:
        """Every essential requirement is met, waived or does not apply."""
        return all(
            outcome.status != NOT_MET for outcome in self.outcomes if outcome.requirement.level == "essential"
        )

    @property
    def unmet_essentials(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.requirement.level == "essential" and o.status == NOT_MET]


def evaluate(rule_set: RuleSet, trainee: TraineeFacts) -> Evaluation:
    if rule_set.needs_plan:  # count_once groups, or windows on the day another was met
        plan = exclusive.Plan(rule_set, _counted, _base_reason, _applies)
        trainee = replace(trainee, plan=plan)
        plan.trainee = trainee
    return Evaluation(tuple(evaluate_requirement(r, trainee) for r in rule_set.requirements))


def evaluate_requirement(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    if requirement.when and (why := profile_rules.inapplicable(requirement, trainee)) is not None:
        if why[0] == "unknown":  # a branch for one track, and no track recorded yet
            return Outcome(requirement, NOT_MET, 0, 1, "track", why[1])
        return Outcome(requirement, NOT_APPLICABLE, 0, 0, "", why[1])
    outcome = _EVALUATORS[requirement.kind](requirement, trainee)
    if trainee.plan is not None or (requirement.window is not None and not requirement.window.is_plain):
        outcome = _explain_window(outcome, trainee)
    reason = trainee.waivers.get(requirement.id)
    if reason is not None and outcome.status == NOT_MET:
        return replace(outcome, status=WAIVED, missing="", waiver_reason=reason)
    return outcome


def _applies(requirement: Requirement, trainee: TraineeFacts) -> bool:
    """Whether a requirement applies to this trainee (its profile and track conditions);
    a requirement for a track not yet recorded does not apply yet."""
    return not requirement.when or profile_rules.inapplicable(requirement, trainee) is None


# -- choosing the records that count ------------------------------------------------------


def _met_on(trainee: TraineeFacts):
    """The first-met day lookup for ``{met: <id>}`` anchors (none without a plan)."""
    return trainee.plan.met_on if trainee.plan is not None else _never


def _never(_requirement_id: str) -> None:
    return None


def exclusion_reason(requirement: Requirement, fact: Fact, trainee: TraineeFacts) -> str | None:
    """Why ``fact`` does not count for ``requirement``; None when it counts."""
    reason = _base_reason(requirement, fact, trainee)
    if reason is None and trainee.plan is not None and fact.records == requirement.records:
        other = trainee.plan.claimed(requirement).get(fact.id)
        if other is not None:
            return f"already counted for {other}"
    return reason


def _base_reason(requirement: Requirement, fact: Fact, trainee: TraineeFacts) -> str | None:
    """``exclusion_reason`` before ``count_once`` groups hand records out."""
    if fact.records != requirement.records:
        return None  # not considered at all
    if not fact.is_signed and not requirement.count_unsigned:
        return "not signed"
    if fact.is_imported and not requirement.count_imported:
        return "imported earlier training, which this rule set does not count"
    if requirement.window is not None:
        reason = windows.reason(requirement.window, fact.date, trainee, _met_on(trainee))
        if reason is not None:
            return reason
    for name, wanted in requirement.where:
        value = fact.values.get(name)
        if value not in wanted:
            return _describe_mismatch(name, value, wanted)
    return None


def _counted(requirement: Requirement, trainee: TraineeFacts) -> list[Fact]:
    return _select(requirement, trainee)[0]


def _explain_window(outcome: Outcome, trainee: TraineeFacts) -> Outcome:
    label_of = trainee.plan.label_of if trainee.plan is not None else str
    return windows.explain(outcome, trainee, _met_on(trainee), label_of)


def _describe_mismatch(name: str, value, wanted=None) -> str:
    if hasattr(wanted, "mismatch"):  # a status held on the record's date (status_filters)
        return wanted.mismatch(name, value)
    if isinstance(wanted, Compare):
        shown = "not recorded" if value is None else _number(value)
        return f"{name.replace('_', ' ')}: {shown}, not {wanted.describe()}"
    if isinstance(value, bool):
        return f"{name.replace('_', ' ')}: {'yes' if value else 'no'}"
    if name in ("mode", "role", "group_kind", "event_kind", "channel", "outcome") and value:
        return str(value).replace("-", " ")
    return f"{name.replace('_', ' ')}: {value or 'not recorded'}"


def _select(requirement: Requirement, trainee: TraineeFacts) -> tuple[list[Fact], list[tuple[int, str]]]:
    counted, excluded = [], []
    for fact in trainee.facts_of(requirement.records):
        reason = exclusion_reason(requirement, fact, trainee)
        if reason is None:
            counted.append(fact)
        else:
            excluded.append((fact.id, reason))
    counted.sort(key=lambda fact: (fact.date, fact.id))
    return counted, excluded


def _unit(requirement: Requirement, measure: str) -> str:
    for name, minutes in requirement.units:
        if name == measure:  # the rule set's own unit: 'double sessions (90 minutes)'
            return f"{_plural(name.replace('_', ' '))} ({minutes} minutes)"
    word = UNIT_WORDS[measure]
    return word[requirement.records] if isinstance(word, dict) else word


def _plural(words: str) -> str:
    return words if words.endswith("s") else f"{words}s"


def _singular(unit: str) -> str:
    if unit in SINGULAR:
        return SINGULAR[unit]
    head, bracket, tail = unit.partition(" (")  # a rule set's unit: 'teaching hours (45 minutes)'
    if bracket and head.endswith("s"):
        return f"{head[:-1]} ({tail}"
    return unit


SINGULAR = {
    "sessions": "session",
    "supervision sessions": "supervision session",
    "events": "event",
    "observations": "observation",
    "sessions attended": "session attended",
    "exams": "exam",
    "cases": "case",
    "minutes": "minute",
    "hours": "hour",
    "double hours (90 minutes)": "double hour (90 minutes)",
    "days": "day",
    "accepted vignette reflections": "accepted vignette reflection",
}


def _more(amount: float, unit: str) -> str:
    """'3 more sessions', '1 more session'."""
    return f"{_number(amount)} more {_singular(unit) if amount == 1 else unit}"


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


# -- the requirement kinds ----------------------------------------------------------------


def _measured(requirement: Requirement, trainee: TraineeFacts, measure_facts):
    """Counted and excluded records and the requirement's measurement.

    A cohort passes measurements computed in SQL (``TraineeFacts.measurements``, see
    ``aggregates.py``); then there are no record lists, only what ``measure_facts``
    would have made of them.
    """
    if requirement.id in trainee.measurements:
        return (), (), trainee.measurements[requirement.id]
    counted, excluded = _select(requirement, trainee)
    return counted, excluded, measure_facts(counted)


def _total(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    counted, excluded, sums = _measured(
        requirement,
        trainee,
        lambda facts: tuple(_sum(facts, m, requirement.units) for m, _ in requirement.at_least),
    )
    shortfalls, worst = [], None
    for (measure, minimum), current in zip(requirement.at_least, sums, strict=True):
        ratio = current / minimum
        if worst is None or ratio < worst[0]:
            worst = (ratio, measure, current, minimum)
        if current < minimum:
            shortfalls.append(_more(minimum - current, _unit(requirement, measure)))
    _, measure, current, minimum = worst
    status = MET if not shortfalls else NOT_MET
    missing = "" if status == MET else " and ".join(shortfalls) + "."
    return Outcome(
        requirement,
        status,
        current,
        minimum,
        _unit(requirement, measure),
        _capital(missing),
        tuple(f.id for f in counted),
        tuple(excluded),
    )


def _distinct(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    counted, excluded, seen = _measured(
        requirement, trainee, lambda facts: len({f.values.get(requirement.field) for f in facts} - {None, ""})
    )
    minimum = requirement.minimum()
    label = requirement.field.replace("_", " ")
    missing = "" if seen >= minimum else f"{_number(minimum - seen)} more different {label} values."
    return Outcome(
        requirement,
        MET if not missing else NOT_MET,
        seen,
        minimum,
        f"different {label}s",
        _capital(missing),
        tuple(f.id for f in counted),
        tuple(excluded),
    )


def _sum(facts, measure: str, units: tuple[tuple[str, int], ...] = ()) -> float:
    """The facts' total in ``measure``: whole units added up, then divided once."""
    field, divisor = measure_field(measure, units)
    return sum(fact.units(field) for fact in facts) / divisor


def _share_parts(requirement: Requirement, facts) -> tuple[float, float]:
    inside = [
        fact
        for fact in facts
        if all(fact.values.get(name) in wanted for name, wanted in requirement.numerator)
    ]
    units = requirement.units
    return _sum(inside, requirement.measure, units), _sum(facts, requirement.measure, units)


def _share(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    counted, excluded, (inside, total) = _measured(
        requirement, trainee, lambda facts: _share_parts(requirement, facts)
    )
    share = inside / total if total else 0.0
    low, high = requirement.minimum("share"), requirement.at_most
    problems = []
    if low is not None and requirement.more_than and share <= low:
        problems.append(
            f"the share is {_percent(share)}, more than {_percent(low)} is needed "
            f"(exactly {_percent(low)} is not enough)"
        )
    elif low is not None and share < low:
        problems.append(f"the share is {share:.0%}, at least {low:.0%} is needed")
    if high is not None and requirement.less_than and share >= high:
        problems.append(
            f"the share is {_percent(share)}, less than {_percent(high)} is allowed "
            f"(exactly {_percent(high)} is too much)"
        )
    elif high is not None and share > high:
        problems.append(f"the share is {share:.0%}, at most {high:.0%} is allowed")
    if total == 0 and low is not None:
        problems = ["no records count yet"]
    # Below a minimum, progress is share/minimum; above a maximum, maximum/share.
    progress = min(share / low if low else 1.0, high / share if high is not None and share else 1.0)
    if problems:  # a strict bound missed exactly, or a rounding: not met is never 100%
        progress = min(progress, 0.99)
    return Outcome(
        requirement,
        MET if not problems else NOT_MET,
        round(share, 4),
        low if low is not None else high,
        "share",
        _capital("; ".join(problems) + ("." if problems else "")),
        tuple(f.id for f in counted),
        tuple(excluded),
        progress=progress,
    )


def _percent(fraction: float) -> str:
    """A share as a percentage that does not round 49.6% up to the 50% it must stay below."""
    value = round(fraction * 100, 1)
    return f"{value:g}%"


def _periods(requirement: Requirement, trainee: TraineeFacts) -> list[tuple[dt.date, dt.date, str]]:
    """The periods a rate is judged over: [start, end) with a label."""
    start, periods = trainee.enrolment_start, []
    if requirement.per == "year":
        start = dt.date(start.year, 1, 1)
    elif requirement.per == "month":
        start = start.replace(day=1)
    number = 1
    while True:
        if requirement.per == "month":
            end = _add_months(start, 1)
            label = start.strftime("%B %Y")
        elif requirement.per == "year":
            end = dt.date(start.year + 1, 1, 1)
            label = str(start.year)
        else:
            end = _add_months(start, 12)
            label = f"training year {number}"
        is_complete = end <= trainee.as_of
        if requirement.periods is not None:
            if len(periods) >= requirement.periods:
                break
            periods.append((start, end, label))
        else:
            if not is_complete and periods:
                break
            periods.append((start, end, label))
            if not is_complete:
                break
        start, number = end, number + 1
    return periods


def _daily_units(requirement: Requirement, facts) -> tuple[tuple[dt.date, int], ...]:
    """(day, whole units) for each day with counted records, in date order.

    All a rate needs of its records; the SQL path measures the same with one GROUP BY
    (enrolment, day), so periods stay computed here, in one place, by ``_periods``.
    """
    field, _ = measure_field(requirement.measure, requirement.units)
    units: dict[dt.date, int] = {}
    for fact in facts:
        units[fact.date] = units.get(fact.date, 0) + fact.units(field)
    return tuple(sorted(units.items()))


def _rate(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    counted, excluded, daily = _measured(requirement, trainee, lambda facts: _daily_units(requirement, facts))
    if requirement.run is not None:
        return _run(requirement, trainee, counted, excluded, daily)
    days = [day for day, _ in daily]
    _, divisor = measure_field(requirement.measure, requirement.units)
    minimum = requirement.minimum()
    unit = _unit(requirement, requirement.measure)
    periods = _periods(requirement, trainee)
    short = []
    for start, end, label in periods:
        inside = daily[bisect_left(days, start) : bisect_left(days, end)]
        amount = sum(units for _, units in inside) / divisor
        if amount < minimum:
            short.append(f"{label} has {_number(amount)} of {_number(minimum)} {unit}")
    good = len(periods) - len(short)
    return Outcome(
        requirement,
        MET if not short else NOT_MET,
        good,
        len(periods),
        "periods",
        _capital("; ".join(short) + ("." if short else "")),
        tuple(f.id for f in counted),
        tuple(excluded),
    )


RUN_UNITS = {
    "month": "consecutive months",
    "year": "consecutive years",
    "training_year": "consecutive training years",
}


def _history(requirement: Requirement, trainee: TraineeFacts, first: dt.date):
    """Every period [start, end) with its label, from the one holding ``first`` to the one
    holding the evaluation date: a run may lie anywhere in the trainee's history."""
    if requirement.per == "month":
        start = first.replace(day=1)
    elif requirement.per == "year":
        start = dt.date(first.year, 1, 1)
    else:  # training years: the enrolment's anniversaries, before its start as well
        offset = first.year - trainee.enrolment_start.year + 1
        while _add_months(trainee.enrolment_start, 12 * offset) > first:
            offset -= 1
        start = _add_months(trainee.enrolment_start, 12 * offset)
    number = 0
    while start <= trainee.as_of:
        if requirement.per == "month":
            end, label = _add_months(start, 1), start.strftime("%B %Y")
        elif requirement.per == "year":
            end, label = dt.date(start.year + 1, 1, 1), str(start.year)
        else:
            end = _add_months(trainee.enrolment_start, 12 * (offset + number + 1))
            label = f"the year from {start.isoformat()}"
        yield start, end, label
        start, number = end, number + 1


def _run(requirement: Requirement, trainee: TraineeFacts, counted, excluded, daily) -> Outcome:
    """A rate met by any ``run`` consecutive periods that each reach the minimum.

    A completed period that falls short breaks a run; the current period extends one
    once it reaches the minimum, and breaks nothing while it is still open."""
    unit = RUN_UNITS[requirement.per]
    needed, minimum = requirement.run, requirement.minimum()
    _, divisor = measure_field(requirement.measure, requirement.units)
    # Days whose records add nothing (an event without a length, measured in minutes) do
    # not start the history: the SQL path has no row for them.
    daily = [(day, units) for day, units in daily if units]
    days = [day for day, _ in daily]
    runs: list[list] = []  # [length, first period, last period, break before]
    current: list | None = None
    previous_break: tuple | None = None
    for period in _history(requirement, trainee, days[0]) if days else ():
        start, end, _label = period
        inside = daily[bisect_left(days, start) : bisect_left(days, end)]
        if sum(units for _, units in inside) / divisor >= minimum:
            if current is None:
                current = [0, period, period, previous_break, None]
                runs.append(current)
            current[0], current[2] = current[0] + 1, period
        elif end <= trainee.as_of:  # a completed period short of the minimum
            if current is not None:
                current[4] = period
            current, previous_break = None, period
    if not runs:
        measured = _unit(requirement, requirement.measure)
        period_word = unit.removeprefix("consecutive ")[:-1]
        detail = (
            "No records count yet"
            if not days
            else f"No {period_word} reaches {_number(minimum)} {measured} yet"
        )
        return Outcome(
            requirement,
            NOT_MET,
            0,
            needed,
            unit,
            f"{detail}; {needed} {unit} are needed.",
            tuple(f.id for f in counted),
            tuple(excluded),
        )
    # The longest; of equal ones the latest, which may still grow.
    length, first, last, before, after = max(reversed(runs), key=lambda run: run[0])
    longest = Run(
        length,
        first[2],
        last[2],
        first[0],
        last[1] - dt.timedelta(days=1),
        tuple(period[2] for period in (before, after) if period is not None),
    )
    missing = ""
    if length < needed:
        broken = f" (broken by {' and '.join(longest.breaks)})" if longest.breaks else ""
        when = longest.first if length == 1 else f"{longest.first} to {longest.last}"
        missing = (
            f"The longest run is {length} {unit[:-1] if length == 1 else unit}, {when}{broken}; "
            f"{needed} are needed."
        )
    return Outcome(
        requirement,
        MET if not missing else NOT_MET,
        length,
        needed,
        unit,
        missing,
        tuple(f.id for f in counted),
        tuple(excluded),
        run=longest,
    )


def _elapsed(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    """Met once the given time has passed since a dated fact; shows the day it will be."""
    if profile_rules.is_profile_since(requirement.since):  # membership, a qualification's kind
        anchor, due, is_met, missing = profile_rules.elapsed_on_profile(requirement, trainee, _add_months)
        needed = requirement.months
        current = needed if is_met else 0
        if anchor is not None and not is_met:
            current = max(0, min(needed - 1, _months_between(anchor, trainee.as_of)))
        return Outcome(
            requirement, MET if is_met else NOT_MET, current, needed, "months", missing, met_on=due
        )
    anchor = trainee.enrolment_start if requirement.since == "enrolment_start" else trainee.qualification_date
    what = ELAPSED_ANCHORS[requirement.since]
    needed = requirement.months
    if needed % 12 == 0:
        wanted = "1 year" if needed == 12 else f"{needed // 12} years"
    else:
        wanted = "1 month" if needed == 1 else f"{needed} months"
    if anchor is None:
        return Outcome(
            requirement, NOT_MET, 0, needed, "months", f"No {what} date is recorded yet ({wanted} after it)."
        )
    due = _add_months(anchor, needed)
    is_met = trainee.as_of >= due
    current = needed if is_met else max(0, min(needed - 1, _months_between(anchor, trainee.as_of)))
    missing = (
        "" if is_met else f"Met on {due.isoformat()}, {wanted} after the {what} on {anchor.isoformat()}."
    )
    return Outcome(
        requirement,
        MET if is_met else NOT_MET,
        current,
        needed,
        "months",
        missing,
        met_on=due,
    )


def _days(facts) -> tuple[dt.date, ...]:
    """The distinct days of the counted records, in order: all a span needs of them."""
    return tuple(sorted({fact.date for fact in facts}))


def _span(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    counted, excluded, days = _measured(requirement, trainee, _days)
    if not days:
        return Outcome(
            requirement,
            NOT_MET,
            0,
            requirement.months or 0,
            "months",
            "No records count yet.",
            (),
            tuple(excluded),
        )
    months = _months_between(days[0], days[-1])
    problems = []
    if requirement.months and months < requirement.months:
        problems.append(f"the records span {months} of {requirement.months} months")
    if requirement.max_gap_months:  # records of one day are no gap: distinct days suffice
        for earlier, later in zip(days, days[1:], strict=False):
            gap = _months_between(earlier, later)
            if gap > requirement.max_gap_months:
                problems.append(
                    f"a gap of {gap} months after {earlier.isoformat()} "
                    f"(at most {requirement.max_gap_months})"
                )
    return Outcome(
        requirement,
        MET if not problems else NOT_MET,
        months,
        requirement.months or months,
        "months",
        _capital("; ".join(problems) + ("." if problems else "")),
        tuple(f.id for f in counted),
        tuple(excluded),
    )


def _module(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    score = trainee.best_module_score
    needed = requirement.min_score
    if score is None:
        missing = f"Pass the module's final test with at least {_number(needed)}%."
    elif score < needed:
        missing = f"Best final test score is {_number(score)}%; at least {_number(needed)}% is needed."
    else:
        missing = ""
    return Outcome(requirement, MET if not missing else NOT_MET, score or 0, needed, "%", missing)


def _reflections(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    reflections = list(trainee.reflections)
    if requirement.distinct_vignettes:
        seen, unique = set(), []
        for reflection in reflections:
            if reflection.vignette_slug not in seen:
                seen.add(reflection.vignette_slug)
                unique.append(reflection)
        reflections = unique
    minimum = requirement.minimum()
    current = len(reflections)
    missing = (
        "" if current >= minimum else f"{_number(minimum - current)} more accepted vignette reflections."
    )
    return Outcome(
        requirement,
        MET if not missing else NOT_MET,
        current,
        minimum,
        "accepted reflections",
        missing,
        tuple(r.id for r in reflections),
    )


def _report_ok(requirement: Requirement, report) -> str | None:
    if requirement.recommendation == "ready" and report.recommendation != "ready":
        return "does not recommend accreditation yet"
    if requirement.min_rating is not None:
        low = [name for name, rating in report.ratings.items() if rating < requirement.min_rating]
        if low:
            return f"rated below {requirement.min_rating} on {', '.join(sorted(low))}"
    return None


def _report(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    good = [r for r in trainee.reports if _report_ok(requirement, r) is None]
    excluded = tuple((r.id, _report_ok(requirement, r)) for r in trainee.reports if r not in good)
    if requirement.every_months:
        due, start, missing_periods = 0, trainee.enrolment_start, []
        while (end := _add_months(start, requirement.every_months)) <= trainee.as_of:
            due += 1
            if not any(start <= r.signed_on < end for r in trainee.reports):
                missing_periods.append(f"{start.isoformat()} to {end.isoformat()}")
            start = end
        current = due - len(missing_periods)
        missing = f"No signed report for {', '.join(missing_periods)}." if missing_periods else ""
        return Outcome(
            requirement,
            MET if not missing else NOT_MET,
            current,
            due,
            "reports",
            missing,
            tuple(r.id for r in trainee.reports),
            excluded,
        )
    missing = "" if good else "A signed supervisor report recommending accreditation."
    return Outcome(
        requirement,
        MET if good else NOT_MET,
        min(1, len(good)),
        1,
        "reports",
        missing,
        tuple(r.id for r in good),
        excluded,
    )


def _manual(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    decision = trainee.manual.get(requirement.id)
    if decision is None:
        return Outcome(requirement, NOT_MET, 0, 1, "decision", "Awaiting the association's decision.")
    missing = "" if decision.is_met else f"Decided as not met: {decision.reason}"
    return Outcome(
        requirement, MET if decision.is_met else NOT_MET, int(decision.is_met), 1, "decision", missing
    )


def _children(requirement: Requirement, trainee: TraineeFacts) -> list[Outcome]:
    return [evaluate_requirement(child, trainee) for child in requirement.children]


def _all_of(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    children = _children(requirement, trainee)
    relevant = [c for c in children if c.status != NOT_APPLICABLE]
    unmet = [c for c in relevant if not c.is_satisfied]
    met = len(relevant) - len(unmet)
    parts = [f"{c.requirement.label}: {c.missing.rstrip('.')}" for c in unmet if c.unit != "track"]
    if any(c.unit == "track" for c in unmet):  # branches waiting for the track: said once
        parts.append(profile_rules.TRACK_UNKNOWN.rstrip("."))
    missing = "; ".join(parts)
    return Outcome(
        requirement,
        MET if not unmet else NOT_MET,
        met,
        len(relevant),
        "parts",
        missing + ("." if missing else ""),
        children=tuple(children),
    )


def _any_of(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    children = _children(requirement, trainee)
    relevant = [c for c in children if c.status != NOT_APPLICABLE]
    if any(c.is_satisfied for c in relevant):
        return Outcome(requirement, MET, 1, 1, "alternatives", children=tuple(children))
    best = max(relevant, key=lambda c: c.fraction, default=None)
    missing = f"Closest: {best.requirement.label}: {best.missing}" if best else "No alternative applies."
    current = best.fraction if best else 0
    return Outcome(
        requirement, NOT_MET, round(current, 4), 1, "alternatives", missing, children=tuple(children)
    )


def _at_least_k_of(requirement: Requirement, trainee: TraineeFacts) -> Outcome:
    children = _children(requirement, trainee)
    met = sum(1 for c in children if c.is_satisfied)
    missing = "" if met >= requirement.k else f"{requirement.k - met} more of the listed parts."
    return Outcome(
        requirement,
        MET if not missing else NOT_MET,
        met,
        requirement.k,
        "parts",
        _capital(missing),
        children=tuple(children),
    )


_EVALUATORS = {
    "total": _total,
    "distinct": _distinct,
    "share": _share,
    "rate": _rate,
    "span": _span,
    "module": _module,
    "reflections": _reflections,
    "report": _report,
    "manual": _manual,
    "elapsed": _elapsed,
    "all_of": _all_of,
    "any_of": _any_of,
    "at_least_k_of": _at_least_k_of,
}


def _register_record_kinds() -> None:
    """``every`` and ``ends`` live in their own module, which builds on this one's helpers."""
    from app.requirements import record_outcomes

    _EVALUATORS.update(record_outcomes.EVALUATORS)


_register_record_kinds()


# -- dates -------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last_day))


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; from 29 February, the 28th (as ``_add_months`` does)."""
    return _add_months(day, -12 * years)


def _months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from ``earlier`` to ``later`` (a month counts once its day is reached)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]

"""Counting a record once (``count_once:``), and the day a requirement was first met.

By default requirements share records: the same sessions can count towards "20 sessions"
and "10 hours". A rule set that must not count a record twice names groups of ``total``
requirements under ``count_once:``; within a group a record counts for one requirement.

Records are handed out in a fixed order, so the outcome never depends on how records
were loaded: the group's requirements in the order the group lists them; each takes the
records it would count that an earlier one did not take, oldest first (day, then record
id), until its minimum is reached (every measure of ``at_least``); the rest stay free for
the requirements after it. Records no one took (more than every minimum) go to the first
requirement that can count them. A requirement that does not apply to the trainee takes
none. A record left out this way is reported "already counted for <label>".

A window anchored on ``{met: <id>}`` needs the day that requirement was first met: the
day of the record that brought it to its minimum (totals, distinct counts), of the
accepted reflection that did (reflections), of the first signed report that qualifies
(reports without ``every_months``), or the day an elapsed requirement is met. A waiver
gives no day. ``ruleset check`` refuses other kinds, unknown ids and cycles.

Both need the whole record list, so a cohort judges such requirements record by record
(``aggregates.needs_records``); the SQL path stays for everything else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.requirements.facts import measure_field

#: Kinds whose first-met day the engine can date (targets of ``{met: <id>}``).
DATABLE_KINDS = ("total", "distinct", "elapsed", "reflections", "report")


# -- checking a rule set -------------------------------------------------------------------


def parse_groups(raw: Any, line: int, fail) -> tuple[tuple[tuple[str, ...], int], ...]:
    """``count_once: [[a, b], [c, d]]`` as ((ids, line), ...); the ids are checked later."""
    if raw is None:
        return ()
    example = "count_once: [[member-weekends, leadership-training]]"
    if not isinstance(raw, list) or not raw:
        fail(line, f"count_once is a list of groups of requirement ids, as in {example}")
        return ()
    groups = []
    lines = getattr(raw, "item_lines", [line] * len(raw))
    for group, group_line in zip(raw, lines, strict=True):
        if not (isinstance(group, list) and len(group) >= 2 and all(isinstance(i, str) for i in group)):
            fail(group_line, f"each count_once group lists two or more requirement ids, as in {example}")
            continue
        groups.append((tuple(group), group_line))
    return tuple(groups)


def check(requirements: list, groups, fail) -> None:
    """Problems of ``count_once`` groups and ``{met: <id>}`` anchors, each at its line."""
    by_id = {r.id: r for r in requirements}
    grouped: dict[str, int] = {}
    for ids, line in groups:
        kinds = set()
        for requirement_id in ids:
            requirement = by_id.get(requirement_id)
            if requirement is None:
                fail(line, f"count_once: no requirement has the id {requirement_id!r}")
                continue
            if requirement_id in grouped:
                fail(
                    line,
                    f"count_once: {requirement_id!r} is already in the group on line "
                    f"{grouped[requirement_id]}; a requirement belongs to one group",
                )
                continue
            grouped[requirement_id] = line
            if requirement.kind != "total":
                fail(
                    line,
                    f"count_once: {requirement_id!r} is a {requirement.kind}; only totals share records out",
                )
            kinds.add(requirement.records)
        if len(kinds) > 1:
            fail(
                line,
                f"count_once: the group mixes {' and '.join(sorted(map(str, kinds)))}; "
                "group requirements that count the same kind of records",
            )
    for requirement in requirements:
        window = requirement.window
        for target in window.met_ids() if window is not None else ():
            other = by_id.get(target)
            if other is None:
                fail(window.line, f"window of {requirement.id!r}: no requirement has the id {target!r}")
            elif other.kind not in DATABLE_KINDS or (other.kind == "report" and other.every_months):
                fail(
                    window.line,
                    f"window of {requirement.id!r}: the day {target!r} was met is not known to the engine "
                    f"(a {other.kind}); anchor on a {', '.join(DATABLE_KINDS[:-1])} or report",
                )
    _check_cycles(requirements, groups, by_id, fail)


def _dependencies(requirements, groups, by_id) -> dict[str, list[str]]:
    """Requirement id -> the ids whose outcome it needs first."""
    needs: dict[str, list[str]] = {r.id: [] for r in requirements}
    for requirement in requirements:
        if requirement.window is not None:
            needs[requirement.id] += [t for t in requirement.window.met_ids() if t in by_id]
    for ids, _line in groups:
        known = [i for i in ids if i in by_id]
        for index, requirement_id in enumerate(known):
            needs[requirement_id] += known[:index]  # records left over by the ones before it
    return needs


def _check_cycles(requirements, groups, by_id, fail) -> None:
    needs = _dependencies(requirements, groups, by_id)
    state: dict[str, str] = {}
    reported: set[frozenset] = set()

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for other in needs[node]:
            if state.get(other) == "open":
                cycle = path[path.index(other) :] + [other]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    first = by_id[cycle[0]]
                    line = first.window.line if first.window is not None else first.line
                    fail(
                        line,
                        f"requirements wait for each other: {' -> '.join(cycle)} "
                        "(a window waits for the day another is met, or a count_once group "
                        "gives the earlier one the records first)",
                    )
            elif other not in state:
                visit(other, [*path, other])
        state[node] = "done"

    for requirement in requirements:
        if requirement.id not in state:
            visit(requirement.id, [requirement.id])


def needs_plan(rule_set) -> bool:
    return bool(rule_set.count_once) or any(
        r.window is not None and r.window.met_ids() for r in rule_set.walk()
    )


# -- judging -------------------------------------------------------------------------------


@dataclass
class Plan:
    """One evaluation's shared answers: who took which record, and when requirements were met.

    Built by ``engine.evaluate`` for rule sets that need it; computed lazily, each answer once.
    """

    rule_set: Any
    select: Callable  # (requirement, trainee) -> counted facts, in (day, id) order
    base_reason: Callable  # (requirement, fact, trainee) -> why it does not count, before claims
    applies: Callable  # (requirement, trainee) -> bool
    trainee: Any = None
    _by_id: dict = field(default_factory=dict)
    _claims: dict[str, dict[int, str]] | None = None
    _met: dict[str, dt.date | None] = field(default_factory=dict)
    _busy: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._by_id = {r.id: r for r in self.rule_set.walk()}

    def label_of(self, requirement_id: str) -> str:
        requirement = self._by_id.get(requirement_id)
        return requirement.label if requirement is not None else requirement_id

    def claimed(self, requirement) -> dict[int, str]:
        """Records this requirement may not count: fact id -> the label of the one that did."""
        if not self.rule_set.count_once:
            return {}
        if self._claims is None:
            self._claims = {}
            for ids, _line in self.rule_set.count_once:
                self._share_out([self._by_id[i] for i in ids])
        return self._claims.get(requirement.id, {})

    def _share_out(self, members) -> None:
        owner: dict[int, str] = {}  # fact id -> the id of the requirement it counts for
        eligible_of: dict[str, list] = {}
        for requirement in members:
            if requirement.id in self._busy or not self.applies(requirement, self.trainee):
                eligible_of[requirement.id] = []
                continue
            self._busy.add(requirement.id)
            eligible_of[requirement.id] = sorted(
                (
                    fact
                    for fact in self.trainee.facts_of(requirement.records)
                    if self.base_reason(requirement, fact, self.trainee) is None
                ),
                key=lambda fact: (fact.date, fact.id),
            )
            self._busy.discard(requirement.id)
            free = [fact for fact in eligible_of[requirement.id] if fact.id not in owner]
            for fact in _until_met(requirement, free):
                owner[fact.id] = requirement.id
        for requirement in members:  # the surplus: to the first that can count it
            for fact in eligible_of[requirement.id]:
                owner.setdefault(fact.id, requirement.id)
        for requirement in members:
            self._claims[requirement.id] = {
                fact_id: self.label_of(other) for fact_id, other in owner.items() if other != requirement.id
            }

    def met_on(self, requirement_id: str) -> dt.date | None:
        """The day the requirement was first met, or None (not met, waived only, or not datable)."""
        if requirement_id in self._met:
            return self._met[requirement_id]
        requirement = self._by_id.get(requirement_id)
        if requirement is None or requirement_id in self._busy:
            return None
        self._busy.add(requirement_id)
        try:
            day = self._first_met(requirement) if self.applies(requirement, self.trainee) else None
        finally:
            self._busy.discard(requirement_id)
        self._met[requirement_id] = day
        return day

    def _first_met(self, requirement) -> dt.date | None:
        trainee = self.trainee
        if requirement.kind == "total":
            met = _until_met(requirement, self.select(requirement, trainee))
            return met[-1].date if met and _reaches(requirement, met) else None
        if requirement.kind == "distinct":
            seen: set = set()
            for fact in self.select(requirement, trainee):
                value = fact.values.get(requirement.field)
                if value not in (None, ""):
                    seen.add(value)
                if len(seen) >= requirement.minimum():
                    return fact.date
            return None
        if requirement.kind == "reflections":
            seen_slugs, count = set(), 0
            for reflection in sorted(trainee.reflections, key=lambda r: (r.accepted_on, r.id)):
                if requirement.distinct_vignettes:
                    if reflection.vignette_slug in seen_slugs:
                        continue
                    seen_slugs.add(reflection.vignette_slug)
                count += 1
                if count >= requirement.minimum():
                    return reflection.accepted_on
            return None
        if requirement.kind == "report":
            from app.requirements.engine import _report_ok  # the engine's own test of a report

            days = [r.signed_on for r in trainee.reports if _report_ok(requirement, r) is None]
            return min(days) if days else None
        if requirement.kind == "elapsed":
            from app.requirements.engine import evaluate_requirement

            outcome = evaluate_requirement(requirement, trainee)
            return outcome.met_on if outcome.status == "met" else None
        return None


def _until_met(requirement, facts) -> list:
    """The facts, oldest first, up to the one that brings every minimum of a total in reach."""
    field_divisors = [(measure_field(m, requirement.units), minimum) for m, minimum in requirement.at_least]
    sums = [0] * len(field_divisors)
    taken = []
    for fact in facts:
        taken.append(fact)
        for index, ((name, _divisor), _minimum) in enumerate(field_divisors):
            sums[index] += fact.units(name)
        if all(sums[i] / divisor >= minimum for i, ((_, divisor), minimum) in enumerate(field_divisors)):
            break
    return taken


def _reaches(requirement, facts) -> bool:
    for measure, minimum in requirement.at_least:
        name, divisor = measure_field(measure, requirement.units)
        if sum(fact.units(name) for fact in facts) / divisor < minimum:
            return False
    return True

"""A parsed rule set written back as YAML that parses to the same rule set.

Used to compare two versions by meaning rather than by layout (comments and key order
drop out) and tested against every preset. Each kind's keys come from the parser's
``BY_KIND``; a key whose value sits on ``Requirement`` under the same name needs no
code here, so a new simple key serializes without work (the round-trip test of the
presets says when one does need it).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from app.programmes.editor import document, kinds
from app.requirements.ruleset import Compare, Requirement, RuleSet, Window
from app.requirements.status_filters import HeldStatus

#: Keys written by ``_special`` (or implied by other keys), not copied by name.
SPECIAL = {
    "at_least",
    "at_most",
    "more_than",
    "less_than",
    "where",
    "numerator",
    "window",
    "requirements",
    "months",
    "years",
    "unit",
    "description",
    "match",
    "which",
    "since",
}


def _number(value: float) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _plain(value: Any) -> Any:
    return _number(value) if isinstance(value, float) else value


def _condition(condition) -> Any:
    if isinstance(condition, Compare):
        bounds = {}
        if condition.low is not None:
            bounds["more_than" if condition.low_strict else "at_least"] = _number(condition.low)
        if condition.high is not None:
            bounds["less_than" if condition.high_strict else "at_most"] = _number(condition.high)
        return bounds
    if isinstance(condition, HeldStatus):  # a status level held on the day: its levels
        condition = condition.levels
    values = sorted(condition, key=lambda value: (str(type(value)), str(value)))
    values = [_plain(value) for value in values]
    return values[0] if len(values) == 1 else values


def _where(pairs) -> dict:
    return {name: _condition(condition) for name, condition in pairs}


def _window(window: Window) -> dict:
    return {key: getattr(window, key) for key in kinds.WINDOW_KEYS if getattr(window, key) is not None}


def _when(conditions) -> dict:
    """``when: {profile: {...}, track: ...}`` from the parsed (name, value) conditions."""
    when: dict[str, Any] = {}
    for name, value in conditions:
        if name == "track":
            tracks = sorted(value)
            when["track"] = tracks[0] if len(tracks) == 1 else tracks
        else:
            when.setdefault("profile", {})[name] = value
    return when


def _special(requirement: Requirement, keys: set[str], result: dict) -> None:
    if requirement.since and requirement.since.startswith("qualification:"):
        result["since"] = {"qualification": requirement.since.removeprefix("qualification:")}
    elif requirement.since:
        result["since"] = requirement.since
    if requirement.kind == "share":
        low = requirement.minimum("share")
        if low is not None:
            result["more_than" if requirement.more_than else "at_least"] = _number(low)
        if requirement.at_most is not None:
            result["less_than" if requirement.less_than else "at_most"] = _number(requirement.at_most)
    elif "at_least" in keys and requirement.at_least:
        pairs = {measure: _number(minimum) for measure, minimum in requirement.at_least}
        result["at_least"] = pairs["records"] if list(pairs) == ["records"] else pairs
    if requirement.where:
        result["where"] = _where(requirement.where)
    if requirement.numerator:
        result["numerator"] = _where(requirement.numerator)
    if requirement.match:
        result["match"] = _where(requirement.match)
    if requirement.ends:
        result["which"] = requirement.ends[0] if len(requirement.ends) == 1 else list(requirement.ends)
    if requirement.window is not None:
        result["window"] = _window(requirement.window)
    if "months" in keys and requirement.months is not None:
        result["months"] = requirement.months


def requirement_data(requirement: Requirement, parent: dict) -> dict:
    """The requirement as a YAML mapping; ``parent`` holds what it would inherit
    (count_unsigned, count_imported, source)."""
    required, optional = kinds.BY_KIND[requirement.kind]
    keys = set(required) | set(optional)
    result: dict[str, Any] = {"id": requirement.id, "label": requirement.label, "kind": requirement.kind}
    if requirement.level != "essential":
        result["level"] = requirement.level
    if requirement.source and requirement.source != parent["source"]:
        result["source"] = requirement.source
    if requirement.when:
        result["when"] = _when(requirement.when)
    for key in kinds.INHERITED:
        if getattr(requirement, key) != parent[key]:
            result[key] = getattr(requirement, key)
    defaults = {f.name: f.default for f in dataclasses.fields(Requirement)}
    for key in sorted(keys - SPECIAL):
        value = getattr(requirement, key, None)
        if value is not None and value != defaults.get(key):
            result[key] = _plain(value)
    _special(requirement, keys, result)
    if "requirements" in keys:
        inherited = {**parent, "count_unsigned": requirement.count_unsigned, "source": requirement.source}
        result["requirements"] = [requirement_data(child, inherited) for child in requirement.children]
    return result


def rule_set_data(rule_set: RuleSet) -> dict:
    data: dict[str, Any] = {"title": rule_set.title}
    if rule_set.units:
        data["units"] = dict(rule_set.units)
    if rule_set.competencies:
        data["competencies"] = [
            {"id": c.id, "label": c.label, **({"canonical": c.canonical} if c.canonical else {})}
            for c in rule_set.competencies
        ]
    if rule_set.count_unsigned:
        data["count_unsigned"] = True
    if not rule_set.count_imported:
        data["count_imported"] = False
    if rule_set.renewal:
        data["renewal"] = rule_set.renewal
    if rule_set.tracks:
        data["tracks"] = dict(rule_set.tracks)
    if rule_set.count_once:
        data["count_once"] = [list(ids) for ids, _line in rule_set.count_once]
    top = {"count_unsigned": rule_set.count_unsigned, "count_imported": rule_set.count_imported, "source": ""}
    data["requirements"] = [requirement_data(r, top) for r in rule_set.requirements]
    return data


def to_yaml(rule_set: RuleSet) -> str:
    """YAML that ``parse_rule_set`` reads back to an equal rule set (line numbers aside)."""
    return document.dump(rule_set_data(rule_set))


def without_lines(rule_set: RuleSet) -> RuleSet:
    """The rule set with every line number zeroed, to compare two by content."""

    def strip(requirement: Requirement) -> Requirement:
        return dataclasses.replace(
            requirement, line=0, children=tuple(strip(c) for c in requirement.children)
        )

    return dataclasses.replace(
        rule_set,
        requirements=tuple(strip(r) for r in rule_set.requirements),
        renewal_line=0,
        count_once=tuple((ids, 0) for ids, _line in rule_set.count_once),
    )

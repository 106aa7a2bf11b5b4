"""Hand-built facts for engine tests."""

from __future__ import annotations

import datetime as dt
import itertools

from app.requirements.facts import Fact, TraineeFacts
from app.requirements.ruleset import parse_rule_set

_ids = itertools.count(1)
START = dt.date(2024, 1, 15)
TODAY = dt.date(2026, 6, 1)


def session(day, role="co-leader", status="signed", **values) -> Fact:
    defaults = {
        "role": role,
        "mode": "in-person",
        "minutes": 90,
        "cases": 2,
        "group_kind": "ongoing",
        "setting_category": "primary-care",
        "co_leader": "Dr A",
    }
    return Fact(next(_ids), "sessions", day, status, {**defaults, **values})


def supervision(day, minutes=60, status="signed", **values) -> Fact:
    return Fact(next(_ids), "supervision", day, status, {"minutes": minutes, "mode": "individual", **values})


def event(day, kind="leadership-workshop", days=2, status="signed", **values) -> Fact:
    return Fact(next(_ids), "events", day, status, {"event_kind": kind, "days": days, **values})


def observation(day, observer, status="signed") -> Fact:
    return Fact(next(_ids), "observations", day, status, {"observer": observer, "outcome": "satisfactory"})


def trainee(*facts, **kwargs) -> TraineeFacts:
    return TraineeFacts(
        enrolment_start=kwargs.pop("start", START),
        as_of=kwargs.pop("as_of", TODAY),
        facts=tuple(facts),
        **kwargs,
    )


def one(requirement_yaml: str):
    """A rule set holding one requirement, given as YAML lines under ``requirements:``."""
    indented = "\n".join("  " + line for line in requirement_yaml.strip().splitlines())
    return parse_rule_set(f"title: T\nrequirements:\n{indented}\n")

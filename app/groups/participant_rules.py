"""The German participant rules (PSGV), checked against one member's attendance.

The requirements engine (``app.requirements``) evaluates a trainee's logbook, not a
group member's attendance, so until it can, the participant preset is written here in
one function. Each rule keeps the wording of the preset file
``curriculum/programmes/participant-de.yaml`` (30 hours over at least 6 months, 8 to
12 members, at least 15 hours in person, first and last session in person, online
sessions of at most 90 minutes), keyed by the same ``key``s, so the engine can take
over later without changing what leaders and verifiers read.

Hours are clock hours (60 minutes); the chambers' 45-minute teaching hours are a
question for the rule set's data once it moves to YAML.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

RULE_SET_KEY = "participant-de"
RULE_SET_TITLE = _l("German participant rules (PSGV)")

TOTAL_MINUTES = 30 * 60
IN_PERSON_MINUTES = 15 * 60
SPREAD_MONTHS = 6
GROUP_SIZE = (8, 12)
ONLINE_SESSION_MAX_MINUTES = 90

#: key -> the rule's wording (as in the preset file).
RULES = {
    "total-hours": _l("30 hours of Balint group work in total"),
    "spread": _l("Spread over at least 6 months"),
    "group-size": _l("A group of 8 to 12 members"),
    "in-person-hours": _l("At least 15 hours in person"),
    "first-last-in-person": _l("First and last session in person"),
    "online-length": _l("Online sessions of at most 90 minutes"),
}


@dataclass(frozen=True)
class Attended:
    """One closed session the member was present at."""

    held_on: date
    minutes: int
    is_online: bool


@dataclass(frozen=True)
class RuleResult:
    key: str
    rule: str
    is_met: bool
    why: str

    def as_dict(self) -> dict:
        return asdict(self)


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on (31 August + 6 months = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def hours(minutes: int) -> str:
    """Minutes as hours with at most two decimals (``90`` → ``1.5``)."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def evaluate(attended: Sequence[Attended], group_size: int) -> list[RuleResult]:
    """Each rule of the German participant preset, met or not, with why."""
    sessions = sorted(attended, key=lambda item: item.held_on)
    total = sum(item.minutes for item in sessions)
    in_person = sum(item.minutes for item in sessions if not item.is_online)
    results: list[RuleResult] = []

    def add(key: str, is_met: bool, why: str) -> None:
        results.append(RuleResult(key, str(RULES[key]), is_met, why))

    add(
        "total-hours",
        total >= TOTAL_MINUTES,
        _("%(hours)s of 30 hours attended.", hours=hours(total)),
    )
    if sessions:
        first, last = sessions[0].held_on, sessions[-1].held_on
        reached = add_months(first, SPREAD_MONTHS)
        add(
            "spread",
            last >= reached,
            _(
                "From %(first)s to %(last)s; 6 months are reached on %(reached)s.",
                first=first.isoformat(),
                last=last.isoformat(),
                reached=reached.isoformat(),
            ),
        )
    else:
        add("spread", False, _("No session attended yet."))
    low, high = GROUP_SIZE
    add(
        "group-size",
        low <= group_size <= high,
        _("The group has %(num)d members.", num=group_size),
    )
    add(
        "in-person-hours",
        in_person >= IN_PERSON_MINUTES,
        _("%(hours)s of 15 hours in person.", hours=hours(in_person)),
    )
    if sessions:
        ends = [("first", sessions[0]), ("last", sessions[-1])]
        online_ends = [name for name, item in ends if item.is_online]
        if not online_ends:
            why = _("The first and the last session were attended in person.")
        elif len(online_ends) == 2:
            why = _("The first and the last session were attended online.")
        elif online_ends == ["first"]:
            why = _("The first session was attended online.")
        else:
            why = _("The last session was attended online.")
        add("first-last-in-person", not online_ends, why)
    else:
        add("first-last-in-person", False, _("No session attended yet."))
    too_long = [item for item in sessions if item.is_online and item.minutes > ONLINE_SESSION_MAX_MINUTES]
    if too_long:
        why = _(
            "Online sessions longer than 90 minutes: %(days)s.",
            days=", ".join(f"{item.held_on.isoformat()} ({item.minutes} min)" for item in too_long),
        )
    else:
        why = _("No online session ran longer than 90 minutes.")
    add("online-length", not too_long, why)
    return results

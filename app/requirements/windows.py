"""Time windows on a requirement's records: parsing, judging one record, and words for trainees.

A window limits the records a rule counts to dates around an *anchor*: the enrolment
start, the qualification, the membership start, the trainee's application for
accreditation, or the day another requirement was first met (``{met: <id>}``). Bounds:

* ``after: A``  records on or after A's day (inclusive);
* ``before: A`` records strictly before A's day (the day itself is not before it);
* ``within: {months|years: N, before|after: A}``  from A back (or forward) N months,
  both edge days included; from 29 February a year back or on is the 28th;
* ``within_last_years: N``  on or after the same day N years before the evaluation date.

An anchor is *known* (a date), *pending* (an event still to come: no application yet, no
qualification recorded, the other requirement not met yet) or *unknown* (no membership
start recorded). Pending anchors are judged as the rule will judge them once the event
happens today: ``before`` it, everything so far counts; ``within N before`` it, the N
months up to today count ("if you applied today"); ``after`` it, nothing counts yet.
An unknown anchor counts nothing and the requirement is not met, with a sentence that
says which date is missing. ``aggregates`` holds the SQL twin of ``reason``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

#: Anchor name -> what the trainee reads ("the 24 months before your application").
ANCHORS = {
    "enrolment_start": "your enrolment start",
    "qualification": "your qualification",
    "membership": "your membership start",
    "application": "your application",
}
MET_PREFIX = "met:"
KNOWN, PENDING, UNKNOWN = "known", "pending", "unknown"
#: Anchors whose event is still to come when no date is recorded (the others are unknown).
PENDING_ANCHORS = ("qualification", "application")


@dataclass(frozen=True)
class Within:
    """N months before or after an anchor, both edge days included."""

    months: int
    side: str  # before | after
    anchor: str | dt.date


@dataclass(frozen=True)
class Window:
    """Records count only inside this window (each bound optional; all given must hold)."""

    after: str | dt.date | None = None  # an anchor name, "met:<id>", or a fixed date
    before: str | dt.date | None = None
    within_last_years: int | None = None
    within: Within | None = None
    line: int = field(default=0, compare=False)

    def anchors(self) -> tuple[str | dt.date, ...]:
        found = [self.after, self.before, self.within.anchor if self.within else None]
        return tuple(anchor for anchor in found if anchor is not None)

    def met_ids(self) -> tuple[str, ...]:
        """Ids of the requirements whose first-met day this window waits for."""
        return tuple(
            a[len(MET_PREFIX) :] for a in self.anchors() if isinstance(a, str) and a.startswith(MET_PREFIX)
        )

    @property
    def is_plain(self) -> bool:
        """Only the bounds of before issue 12's windows (worded as they always were)."""
        return self.within is None and all(
            isinstance(anchor, dt.date) or anchor in ("enrolment_start", "qualification")
            for anchor in self.anchors()
        )


def uses_anchor_days(rule_set) -> bool:
    """Whether a rule set's windows read the application or membership day (a query to load)."""
    return any(
        anchor in ("application", "membership")
        for requirement in rule_set.walk()
        if requirement.window is not None
        for anchor in requirement.window.anchors()
    )


# -- parsing -----------------------------------------------------------------------------

WINDOW_KEYS = ("after", "before", "within", "within_last_years")


def parse_window(raw: Any, line: int, fail: Callable[[int, str], None]) -> Window | None:
    """The window of a requirement's ``window:`` mapping; problems go to ``fail(line, message)``."""
    if not isinstance(raw, dict) or not raw:
        fail(line, "window must be a mapping with after, before, within or within_last_years")
        return None
    line_of = getattr(raw, "line_of", lambda _key: line)
    for key in raw:
        if key not in WINDOW_KEYS:
            fail(line_of(key), f"unknown key {key!r} in a window; use {', '.join(WINDOW_KEYS)}")
    bounds: dict[str, Any] = {}
    for key in ("after", "before"):
        if key in raw:
            bounds[key] = _anchor(raw[key], line_of(key), key, fail)
    within = _within(raw["within"], line_of("within"), fail) if "within" in raw else None
    years = raw.get("within_last_years")
    if years is not None and not (isinstance(years, int) and not isinstance(years, bool) and years > 0):
        fail(line_of("within_last_years"), "within_last_years must be a positive whole number")
        years = None
    return Window(
        after=bounds.get("after"),
        before=bounds.get("before"),
        within_last_years=years,
        within=within,
        line=line,
    )


def _anchor(value: Any, line: int, key: str, fail) -> str | dt.date | None:
    if isinstance(value, dt.date) or (isinstance(value, str) and value in ANCHORS):
        return value
    if isinstance(value, dict) and set(value) == {"met"}:
        target = value["met"]
        if isinstance(target, str) and target:
            return MET_PREFIX + target
    fail(
        line,
        f"{key} must be a date (YYYY-MM-DD), one of {', '.join(ANCHORS)}, "
        f"or {{met: <requirement id>}}, not {value!r}",
    )
    return None


def _within(raw: Any, line: int, fail) -> Within | None:
    example = "within: {months: 24, before: application}"
    if not isinstance(raw, dict):
        fail(line, f"within is a mapping such as {example}")
        return None
    line_of = getattr(raw, "line_of", lambda _key: line)
    for key in raw:
        if key not in ("months", "years", "before", "after"):
            fail(line_of(key), f"unknown key {key!r} in within; use months or years, and before or after")
    lengths = [key for key in ("months", "years") if key in raw]
    sides = [key for key in ("before", "after") if key in raw]
    if len(lengths) != 1:
        fail(line, f"within needs months or years (one of them), as in {example}")
        return None
    if len(sides) != 1:
        fail(line, f"within needs before or after an anchor (one of them), as in {example}")
        return None
    number = raw[lengths[0]]
    if not (isinstance(number, int) and not isinstance(number, bool) and number > 0):
        fail(line_of(lengths[0]), f"within: {lengths[0]} must be a positive whole number")
        return None
    anchor = _anchor(raw[sides[0]], line_of(sides[0]), f"within: {sides[0]}", fail)
    if anchor is None:
        return None
    return Within(number * 12 if lengths[0] == "years" else number, sides[0], anchor)


# -- judging one record ------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier); a missing day clamps to the month's last."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (following - dt.timedelta(days=1)).day))


def resolve(anchor: str | dt.date, trainee, met_on: Callable[[str], dt.date | None]) -> tuple:
    """(day, state) of an anchor for one trainee: KNOWN with its day, PENDING or UNKNOWN.

    The one place that says where each anchor's day comes from; the database side of
    ``application`` and ``membership`` is ``anchors.anchor_days``."""
    if isinstance(anchor, dt.date):
        return anchor, KNOWN
    if anchor == "enrolment_start":
        return trainee.enrolment_start, KNOWN
    if anchor == "qualification":
        day = trainee.qualification_date
    elif anchor.startswith(MET_PREFIX):
        day = met_on(anchor[len(MET_PREFIX) :])
        return (day, KNOWN) if day is not None else (None, PENDING)
    else:
        day = trainee.anchors.get(anchor)
    if day is not None:
        return day, KNOWN
    return None, PENDING if anchor in PENDING_ANCHORS else UNKNOWN


def reason(window: Window, day: dt.date, trainee, met_on) -> str | None:
    """Why a record of ``day`` is outside the window; None when it is inside."""
    if window.after is not None:
        start, state = resolve(window.after, trainee, met_on)
        if state != KNOWN:
            return _not_yet(window.after, state)
        if day < start:
            return "before the window"
    if window.before is not None:
        end, state = resolve(window.before, trainee, met_on)
        if state == UNKNOWN:
            return _not_yet(window.before, state)
        if state == KNOWN and day >= end:
            return "after the window"
    if window.within is not None:
        bounds = within_bounds(window.within, trainee, met_on)
        if isinstance(bounds, str):
            return bounds
        if day < bounds[0]:
            return "before the window"
        if day > bounds[1]:
            return "after the window"
    years = window.within_last_years
    if years is not None and day < add_months(trainee.as_of, -12 * years):
        return f"older than {years} years"
    return None


def within_bounds(within: Within, trainee, met_on) -> tuple[dt.date, dt.date] | str:
    """The first and last day a ``within`` counts (both included), or why nothing counts yet."""
    day, state = resolve(within.anchor, trainee, met_on)
    if state == PENDING and within.side == "before":
        day, state = trainee.as_of, KNOWN  # as the rule will judge it if the event happens today
    if state != KNOWN:
        return _not_yet(within.anchor, state)
    if within.side == "before":
        return add_months(day, -within.months), day
    return day, add_months(day, within.months)


def _not_yet(anchor: str, state: str) -> str:
    if anchor == "application":
        return "after your application: counted once you apply"
    if anchor == "qualification":
        return "before the window"  # as always: nothing counts after a qualification not recorded
    if anchor.startswith(MET_PREFIX):
        return f"counted once {anchor[len(MET_PREFIX) :]!r} is met"
    return f"no {ANCHORS.get(anchor, anchor).removeprefix('your ')} date is recorded yet"


def is_closed(window: Window, trainee, met_on) -> bool:
    """Whether nothing can count yet (an unknown anchor, or a pending one to count after)."""
    for bound, is_after in ((window.after, True), (window.before, False)):
        if bound is None:
            continue
        _, state = resolve(bound, trainee, met_on)
        if state == UNKNOWN or (state == PENDING and is_after):
            return True
    return window.within is not None and isinstance(within_bounds(window.within, trainee, met_on), str)


# -- words --------------------------------------------------------------------------------


def describe(window: Window, trainee, met_on, label_of: Callable[[str], str]) -> str:
    """One sentence for the trainee: which records count, with the days where they are known."""
    parts, notes = [], []

    def name(anchor) -> str:
        if isinstance(anchor, dt.date):
            return anchor.isoformat()
        if anchor.startswith(MET_PREFIX):
            return f"the day '{label_of(anchor[len(MET_PREFIX) :])}' was first met"
        return ANCHORS[anchor]

    def note(anchor, *, is_before: bool = False) -> None:
        day, state = resolve(anchor, trainee, met_on)
        if isinstance(anchor, dt.date) or anchor == "enrolment_start":
            return
        if state == KNOWN:
            notes.append(f"{name(anchor).removeprefix('your ').removeprefix('the ')}: {day.isoformat()}")
        elif anchor == "application":
            # Before an application still to come, everything so far counts already.
            notes.append("you have not applied yet" + ("" if is_before else ": counted once you apply"))
        elif anchor.startswith(MET_PREFIX):
            notes.append(f"'{label_of(anchor[len(MET_PREFIX) :])}' is not met yet")
        else:
            notes.append(f"{name(anchor).removeprefix('your ')} not recorded yet")

    if window.within is not None:
        within = window.within
        span = _span(within.months)
        parts.append(f"within the {span} {within.side} {name(within.anchor)}")
        note(within.anchor, is_before=within.side == "before")
        bounds = within_bounds(within, trainee, met_on)
        if not isinstance(bounds, str):
            pending = resolve(within.anchor, trainee, met_on)[1] == PENDING
            days = f"{bounds[0].isoformat()} to {bounds[1].isoformat()}"
            notes.append(
                f"if you applied today, {days}" if pending and within.anchor == "application" else days
            )
    if window.after is not None:
        parts.append(f"on or after {name(window.after)}")
        note(window.after)
    if window.before is not None:
        parts.append(f"before {name(window.before)}")
        note(window.before, is_before=True)
    if window.within_last_years is not None:
        parts.append(f"within the last {_span(12 * window.within_last_years)}")
    detail = f" ({'; '.join(dict.fromkeys(notes))})" if notes else ""
    return f"Only records {' and '.join(parts)} count{detail}."


def _span(months: int) -> str:
    if months % 12 == 0:
        return "year" if months == 12 else f"{months // 12} years"
    return "month" if months == 1 else f"{months} months"


def explain(outcome, trainee, met_on, label_of):
    """An unmet outcome with its window in words, and how many of its records another
    requirement took (``count_once``); not met while nothing can count yet (a new anchor
    unknown, or pending on the side records must come after)."""
    window, status = outcome.requirement.window, outcome.status
    is_new = window is not None and not window.is_plain
    if status == "met" and is_new and is_closed(window, trainee, met_on):
        status = "not_met"
    if status != "not_met":
        return outcome
    sentences = [outcome.missing.strip()] if outcome.missing.strip() else []
    if is_new:
        sentences.append(describe(window, trainee, met_on, label_of))
    sentences.extend(_claimed_words(outcome.excluded))
    progress = outcome.progress
    if outcome.status == "met":  # a sum reached with nothing counted: never shown as 100%
        progress = 0.99 if progress is None else min(progress, 0.99)
    return replace(outcome, status="not_met", missing=" ".join(sentences), progress=progress)


def _claimed_words(excluded) -> list[str]:
    """'3 records already counted for Leadership training.' per other requirement."""
    counts: dict[str, int] = {}
    for _id, reason in excluded:
        if reason.startswith("already counted for "):
            other = reason.removeprefix("already counted for ")
            counts[other] = counts.get(other, 0) + 1
    return [
        f"{n} {'record' if n == 1 else 'records'} already counted for {other}." for other, n in counts.items()
    ]

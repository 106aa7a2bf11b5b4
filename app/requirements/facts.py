"""What the engine reads: plain facts about one enrolment, gathered from the database elsewhere.

Keeping the engine on plain values makes it deterministic and testable with
hand-built records, and lets the same code judge one trainee or a whole cohort.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Fact:
    """One logbook record: its type, day, sign-off status and the fields rules filter on.

    Not frozen: a cohort builds hundreds of thousands of these, and a frozen
    dataclass's ``__init__`` costs several times more. Nothing mutates them.
    """

    id: int
    records: str  # sessions | supervision | events | observations
    date: dt.date
    status: str  # draft | submitted | signed | returned
    values: dict[str, Any] = field(default_factory=dict)
    #: Earlier training an admin imported and attested (signed, counted as ``count_imported`` says).
    is_imported: bool = False

    @property
    def is_signed(self) -> bool:
        return self.status == "signed"

    def units(self, field: str | None) -> int:
        """This record's whole units of ``field`` (see ``measure_field``); a record counts 1."""
        return 1 if field is None else self.values.get(field) or 0


# A measure is a field added up in whole units and divided once at the end: hours are
# minutes / 60. Sums of whole numbers are exact and do not depend on the order records
# are added in, so the record-by-record path and the SQL path give the same figures.
_MEASURE_FIELDS: dict[str, tuple[str | None, int]] = {
    "records": (None, 1),
    "hours": ("minutes", 60),
    "double_hours": ("minutes", 90),
}


def measure_field(measure: str, units: tuple[tuple[str, int], ...] = ()) -> tuple[str | None, int]:
    """(field to add up, divisor) for a measure; field None counts records.

    ``units`` are the rule set's own units a requirement uses (name, minutes): a
    ``double_session`` of 90 is minutes / 90, added up and divided once like hours.
    """
    for name, minutes in units:
        if name == measure:
            return "minutes", minutes
    return _MEASURE_FIELDS.get(measure, (measure, 1))


@dataclass(frozen=True)
class AcceptedReflection:
    id: int
    vignette_slug: str
    accepted_on: dt.date


@dataclass(frozen=True)
class SignedReport:
    id: int
    signed_on: dt.date
    recommendation: str  # ready | not_yet
    ratings: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ManualDecision:
    is_met: bool
    reason: str


@dataclass(frozen=True)
class MembershipPeriod:
    """A period of society membership: first and last day (inclusive; None: still a member)."""

    started_on: dt.date
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class DatedQualification:
    kind: str  # app.profiles.kinds.QUALIFICATION_KINDS
    obtained_on: dt.date


@dataclass(frozen=True)
class TraineeFacts:
    """Everything the engine needs to judge one enrolment on one day."""

    enrolment_start: dt.date
    as_of: dt.date
    facts: tuple[Fact, ...] = ()
    profile: dict[str, Any] = field(default_factory=dict)
    qualification_date: dt.date | None = None  # also the anchor of ``elapsed ... since: qualification``
    #: The professional-background track recorded on the enrolment (``when: {track: gp}``).
    track: str | None = None
    memberships: tuple[MembershipPeriod, ...] = ()  # of the enrolment's association
    qualifications: tuple[DatedQualification, ...] = ()  # ``since: {qualification: gp-specialist}``
    best_module_score: float | None = None
    reflections: tuple[AcceptedReflection, ...] = ()
    reports: tuple[SignedReport, ...] = ()
    manual: dict[str, ManualDecision] = field(default_factory=dict)
    waivers: dict[str, str] = field(default_factory=dict)  # requirement id -> reason
    # Requirement id -> a measurement computed in SQL for cohorts (see aggregates.py);
    # when present the engine uses it instead of scanning ``facts``.
    measurements: dict[str, Any] = field(default_factory=dict)
    #: Days of the dated anchors a window can use that the enrolment row does not hold:
    #: "application", "membership" (see ``anchors.anchor_days``; ``windows.resolve`` reads them).
    anchors: dict[str, dt.date] = field(default_factory=dict)
    #: ``exclusive.Plan`` of one evaluation (count_once groups, first-met days); set by ``evaluate``.
    plan: Any = field(default=None, compare=False, repr=False)
    _by_records: dict[str, tuple[Fact, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        grouped: dict[str, list[Fact]] = {}
        for fact in self.facts:
            grouped.setdefault(fact.records, []).append(fact)
        object.__setattr__(self, "_by_records", {key: tuple(value) for key, value in grouped.items()})

    def facts_of(self, records: str) -> tuple[Fact, ...]:
        """The facts of one record type, so each rule scans only its own kind of record."""
        return self._by_records.get(records, ())

"""The rule-set format: parsing and validating a programme's requirements.

A rule set is YAML (documented in ``curriculum/programmes/README.md``). Parsing
turns it into frozen ``Requirement`` trees, or a list of ``RuleSetProblem`` rows
that each name the line to fix. Nothing here touches the database: the engine
(``engine.py``) evaluates a parsed rule set against facts gathered elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import yaml

from app.profiles.kinds import EXAM_KINDS, EXAM_OUTCOMES
from app.requirements import exclusive, profile_rules, status_filters, windows
from app.requirements.record_kinds import ATTENDANCE_FIELDS, RecordKindsParser
from app.requirements.windows import Window
from app.requirements.yaml_lines import LineDict, LineList, load_with_lines

RECORD_FIELDS: dict[str, dict[str, tuple[str, ...] | None]] = {
    # record type -> filterable field -> allowed values (None: any value)
    "sessions": {
        "role": ("member", "presenter", "co-leader", "leader"),
        "mode": ("in-person", "online"),
        "group_kind": ("ongoing", "residential-weekend", "intensive", "study-conference", "large-group"),
        "setting_category": None,
        "co_leader_accredited": (True, False),
        "co_leader_confirmed": (True, False),
        "co_leader_status": None,  # a status level held on the day (status_filters)
        "minutes": None,
        "cases": None,
    },
    "supervision": {
        "mode": ("individual", "group"),
        "channel": ("in-person", "online", "phone"),
        "recording_used": (True, False),
        "supervisor_accredited": (True, False),
        "supervisor_status": None,  # a status level held on the day (status_filters)
        "minutes": None,
    },
    "events": {
        "event_kind": (
            "leadership-workshop",
            "residential-weekend",
            "intensive",
            "seminar",
            "international-workshop",
        ),
        "days": None,
        "minutes": None,
        "provider": None,
    },
    # observer_status: the status an observer signed a group's observation report in
    # (app.groups.kinds.ObserverStatus); an observation logged by hand has none.
    "observations": {
        "outcome": ("satisfactory", "needs-development"),
        "observer_status": ("leader-trainer", "accredited-leader", "supervisor"),
        "observer_level": None,  # a status level held on the day (status_filters)
    },
    # A group member's attendance at closed group sessions (app.requirements.attendance).
    "attendance": ATTENDANCE_FIELDS,
    # Exams and assessed intensives an admin recorded from the examiner's result.
    "exams": {"exam_kind": tuple(EXAM_KINDS), "outcome": tuple(EXAM_OUTCOMES)},
}

# What a record can be measured in, per record type, and how to compute it.
MEASURES: dict[str, tuple[str, ...]] = {
    "sessions": ("records", "cases", "minutes", "hours", "double_hours"),
    "supervision": ("records", "minutes", "hours"),
    "events": ("records", "days", "minutes", "hours"),
    "observations": ("records",),
    "attendance": ("records", "minutes", "hours", "double_hours"),
    "exams": ("records",),
}

# Fields holding a number: a filter can compare them (at_least, at_most, between, ...).
NUMBER_FIELDS = frozenset({"minutes", "cases", "days", "group_size"})
# Record types that carry their length in minutes: a rule set's own units measure them.
TIMED_RECORDS = ("sessions", "supervision", "events", "attendance")
BUILT_IN_MEASURES = frozenset(m for measures in MEASURES.values() for m in measures)
UNIT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
COMPARISONS = ("at_least", "more_than", "at_most", "less_than", "between", "one_of")

DISTINCT_FIELDS: dict[str, tuple[str, ...]] = {
    "sessions": ("co_leader", "setting_category", "setting", "group_kind", "mode"),
    "supervision": ("supervisor", "mode"),
    "events": ("provider", "event_kind"),
    "observations": ("observer",),
    "attendance": ("group", "group_kind", "mode"),
    "exams": ("examiner", "exam_kind"),
}

KINDS = (
    "total",
    "distinct",
    "share",
    "rate",
    "span",
    "module",
    "reflections",
    "report",
    "manual",
    "elapsed",
    "all_of",
    "any_of",
    "at_least_k_of",
    "every",
    "ends",
)
LEVELS = ("essential", "desirable")
PROFILE_FIELDS = {"psychodynamic_training": (True, False)}
WINDOW_ANCHORS = tuple(windows.ANCHORS)
ELAPSED_ANCHORS = {"enrolment_start": "enrolment start", "qualification": "qualification"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Compare:
    """A filter on a number field: the value lies between the bounds (each optional; each
    inclusive unless strict). ``value in compare`` as for the value sets of equality
    filters; a record without the number (None) never matches."""

    low: float | None = None
    high: float | None = None
    low_strict: bool = False
    high_strict: bool = False

    def __contains__(self, value: Any) -> bool:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return False
        if self.low is not None and (value <= self.low if self.low_strict else value < self.low):
            return False
        return not (self.high is not None and (value >= self.high if self.high_strict else value > self.high))

    def describe(self) -> str:
        """'at least 4', 'between 60 and 120', 'more than 2 and at most 5'."""
        if self.low is not None and self.high is not None and not (self.low_strict or self.high_strict):
            return f"between {_plain(self.low)} and {_plain(self.high)}"
        parts = []
        if self.low is not None:
            parts.append(f"{'more than' if self.low_strict else 'at least'} {_plain(self.low)}")
        if self.high is not None:
            parts.append(f"{'less than' if self.high_strict else 'at most'} {_plain(self.high)}")
        return " and ".join(parts)


def _plain(number: float) -> str:
    return f"{number:g}"


@dataclass(frozen=True)
class Requirement:
    id: str
    label: str
    kind: str
    level: str = "essential"
    line: int = 0
    records: str | None = None
    where: tuple[tuple[str, frozenset | Compare | status_filters.HeldStatus], ...] = ()
    at_least: tuple[tuple[str, float], ...] = ()  # measure -> minimum; every one must hold
    at_most: float | None = None  # for shares
    more_than: bool = False  # share: the lower bound is strict (more than, not at least)
    less_than: bool = False  # share: the upper bound is strict (less than, not at most)
    units: tuple[tuple[str, int], ...] = ()  # the rule set's own units this rule uses: name, minutes
    field: str | None = None  # distinct
    numerator: tuple[tuple[str, frozenset | Compare], ...] = ()  # share: which records are "in"
    measure: str = "records"  # share and rate
    per: str | None = None  # rate: month | year | training_year
    periods: int | None = None  # rate: the first N periods from the enrolment start
    run: int | None = None  # rate: any N consecutive periods, anywhere in the history
    since: str | None = None  # elapsed: enrolment_start | qualification | membership | qualification:<kind>
    continuous: bool = False  # elapsed since membership: kept without a break
    months: int | None = None  # span; elapsed (years are stored as months)
    max_gap_months: int | None = None  # span
    window: Window | None = None
    min_score: float | None = None  # module
    distinct_vignettes: bool = False  # reflections
    recommendation: str | None = None  # report
    min_rating: int | None = None  # report
    every_months: int | None = None  # report
    k: int | None = None  # at_least_k_of
    match: tuple[tuple[str, frozenset | Compare], ...] = ()  # every, ends: what the records must be
    ends: tuple[str, ...] = ()  # ends: first, last or both
    children: tuple[Requirement, ...] = ()
    when: tuple[tuple[str, Any], ...] = ()  # profile conditions; ("track", frozenset of tracks)
    count_unsigned: bool = False
    #: Whether earlier training an admin imported (attested, with its document) counts.
    count_imported: bool = True
    #: The published line this requirement encodes ("BSUK 2020 guidelines §1.2 #4: ..."),
    #: or "Stillpoint: ..." for an addition of our own. A part of any_of/all_of without
    #: its own source takes its parent's.
    source: str = ""

    def minimum(self, measure: str = "records") -> float | None:
        return dict(self.at_least).get(measure)


@dataclass(frozen=True)
class Competency:
    id: str
    label: str
    #: The rubric code (C1..C10 of curriculum/rubric/competencies.yaml) whose level descriptors apply.
    canonical: str | None = None


@dataclass(frozen=True)
class RuleSet:
    title: str
    requirements: tuple[Requirement, ...]
    competencies: tuple[Competency, ...] = ()
    count_unsigned: bool = False
    count_imported: bool = True
    #: The rule set's own units of time: name -> minutes (``units: {double_session: 90}``).
    units: tuple[tuple[str, int], ...] = ()
    #: The name of the renewal rule set (a file in ``curriculum/programmes/renewal/``), or None.
    renewal: str | None = None
    renewal_line: int = 0
    #: The professional-background tracks a ``when: {track: ...}`` may name: id -> label.
    tracks: tuple[tuple[str, str], ...] = ()
    #: ``count_once`` groups: (requirement ids in hand-out order, line); see ``exclusive``.
    count_once: tuple[tuple[tuple[str, ...], int], ...] = ()

    @cached_property
    def needs_plan(self) -> bool:
        """Whether evaluating needs shared answers (``exclusive.Plan``); worked out once."""
        return exclusive.needs_plan(self)

    def walk(self):
        """Every requirement, depth first, parents before children."""
        stack = list(reversed(self.requirements))
        while stack:
            requirement = stack.pop()
            yield requirement
            stack.extend(reversed(requirement.children))


@dataclass(frozen=True)
class RuleSetProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class RuleSetError(ValueError):
    def __init__(self, problems: list[RuleSetProblem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class _Parser(RecordKindsParser):
    problems: list[RuleSetProblem] = field(default_factory=list)
    seen_ids: set[str] = field(default_factory=set)
    units: dict[str, int] = field(default_factory=dict)
    #: The rule set's ``count_imported``, the default of each requirement's own.
    count_imported: bool = True
    tracks: dict[str, str] = field(default_factory=dict)

    def fail(self, line: int, message: str) -> None:
        self.problems.append(RuleSetProblem(line, message))

    # -- top level -------------------------------------------------------------------

    def rule_set(self, document: Any) -> RuleSet | None:
        if not isinstance(document, LineDict):
            self.fail(1, "a rule set is a mapping with 'title' and 'requirements'")
            return None
        self._keys(
            document,
            required={"title", "requirements"},
            optional={
                "version",
                "description",
                "competencies",
                "count_unsigned",
                "count_imported",
                "renewal",
                "units",
                "count_once",
                "tracks",
            },
            what="rule set",
        )
        self.tracks = self._tracks(document.get("tracks"), document.line_of("tracks"))
        self.units = self._units(document.get("units"), document.line_of("units"))
        renewal = document.get("renewal")
        if renewal is not None and not (isinstance(renewal, str) and ID_PATTERN.match(renewal)):
            self.fail(
                document.line_of("renewal"),
                "renewal names a renewal rule set: lower-case letters, digits and hyphens",
            )
        competencies = self._competencies(document.get("competencies"), document.line_of("competencies"))
        count_unsigned = self._bool(document, "count_unsigned", False)
        self.count_imported = self._bool(document, "count_imported", True)
        requirements = self._requirement_list(
            document.get("requirements"), document.line_of("requirements"), count_unsigned, competencies
        )
        count_once = exclusive.parse_groups(
            document.get("count_once"), document.line_of("count_once"), self.fail
        )
        exclusive.check([r for top in requirements for r in _walk(top)], count_once, self.fail)
        return RuleSet(
            count_once=count_once,
            title=str(document.get("title", "")),
            requirements=tuple(requirements),
            competencies=tuple(competencies),
            count_unsigned=count_unsigned,
            count_imported=self.count_imported,
            renewal=renewal if isinstance(renewal, str) else None,
            renewal_line=document.line_of("renewal") if renewal is not None else 0,
            units=tuple(self.units.items()),
            tracks=tuple(self.tracks.items()),
        )

    def _units(self, raw: Any, line: int) -> dict[str, int]:
        if raw is None:
            return {}
        if not isinstance(raw, LineDict) or not raw:
            self.fail(line, "units must be a mapping of unit name to its length in minutes")
            return {}
        units = {}
        for name, minutes in raw.items():
            unit_line = raw.line_of(name)
            if not isinstance(name, str) or not UNIT_NAME.match(name):
                self.fail(unit_line, f"unit name {name!r}: use lower-case letters, digits and underscores")
            elif name in BUILT_IN_MEASURES:
                self.fail(unit_line, f"unit name {name!r} is built in; choose another name")
            elif not (isinstance(minutes, int) and not isinstance(minutes, bool) and minutes > 0):
                self.fail(unit_line, f"unit {name}: its length is a positive whole number of minutes")
            else:
                units[name] = minutes
        return units

    def _tracks(self, raw: Any, line: int) -> dict[str, str]:
        """``tracks: {gp: "General practitioners", ...}``: the tracks ``when`` may name."""
        if raw is None:
            return {}
        if not isinstance(raw, dict) or not raw:
            self.fail(line, "tracks is a mapping of track id to its label, e.g. {gp: General practitioners}")
            return {}
        tracks = {}
        for name, label in raw.items():
            where = raw.line_of(name) if isinstance(raw, LineDict) else line
            if not isinstance(name, str) or not ID_PATTERN.match(name):
                self.fail(where, f"track {name!r}: use lower-case letters, digits and hyphens")
            elif not isinstance(label, str) or not label.strip():
                self.fail(where, f"track {name}: give it a label people read")
            else:
                tracks[name] = label.strip()
        return tracks

    def _competencies(self, raw: Any, line: int) -> list[Competency]:
        if raw is None:
            return []
        if not isinstance(raw, LineList):
            self.fail(line, "'competencies' must be a list of {id, label}")
            return []
        result = []
        for item, item_line in zip(raw, raw.item_lines, strict=True):
            if not isinstance(item, LineDict) or not {"id", "label"} <= set(item):
                self.fail(item_line, "each competency needs 'id' and 'label'")
                continue
            self._keys(item, required={"id", "label"}, optional={"canonical"}, what="competency")
            canonical = item.get("canonical")
            if canonical is not None and not (
                isinstance(canonical, str) and re.fullmatch(r"C\d{1,2}", canonical)
            ):
                self.fail(item.line_of("canonical"), "'canonical' must be a rubric code such as C1")
                canonical = None
            result.append(Competency(str(item["id"]), str(item["label"]), canonical))
        return result

    def _requirement_list(self, raw, line, count_unsigned, competencies) -> list[Requirement]:
        if not isinstance(raw, LineList) or not raw:
            self.fail(line, "'requirements' must be a non-empty list")
            return []
        result = []
        for item, item_line in zip(raw, raw.item_lines, strict=True):
            requirement = self._requirement(item, item_line, count_unsigned, competencies)
            if requirement is not None:
                result.append(requirement)
        return result

    # -- one requirement ---------------------------------------------------------------

    COMMON = {"id", "label", "kind", "level", "when", "count_unsigned", "count_imported", "source"}
    BY_KIND = {
        "total": ({"records", "at_least"}, {"where", "window", "unit"}),
        "distinct": ({"records", "field", "at_least"}, {"where", "window"}),
        "share": (
            {"records", "numerator"},
            {"where", "window", "measure", "at_least", "at_most", "more_than", "less_than"},
        ),
        "rate": ({"records", "per", "at_least"}, {"where", "periods", "run", "measure", "window"}),
        "span": ({"records", "months"}, {"where", "max_gap_months", "window"}),
        "module": ({"min_score"}, set()),
        "reflections": ({"at_least"}, {"distinct_vignettes"}),
        "report": ({"recommendation"}, {"min_rating", "every_months"}),
        "manual": (set(), {"description"}),
        "elapsed": ({"since"}, {"years", "months", "continuous"}),
        "all_of": ({"requirements"}, set()),
        "any_of": ({"requirements"}, set()),
        "at_least_k_of": ({"requirements", "k"}, set()),
        **RecordKindsParser.BY_KIND,
    }

    def _requirement(self, raw, line, count_unsigned, competencies) -> Requirement | None:
        if not isinstance(raw, LineDict):
            self.fail(line, "each requirement must be a mapping")
            return None
        kind = raw.get("kind")
        if kind not in KINDS:
            self.fail(raw.line_of("kind"), f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
            return None
        required, optional = self.BY_KIND[kind]
        self._keys(
            raw,
            required=required | {"id", "label", "kind"},
            optional=optional | self.COMMON,
            what=f"{kind} requirement",
        )
        requirement_id = str(raw.get("id", ""))
        if not ID_PATTERN.match(requirement_id):
            self.fail(raw.line_of("id"), f"id {requirement_id!r}: use lower-case letters, digits and hyphens")
        elif requirement_id in self.seen_ids:
            self.fail(raw.line_of("id"), f"id {requirement_id!r} is used twice")
        self.seen_ids.add(requirement_id)
        level = raw.get("level", "essential")
        if level not in LEVELS:
            self.fail(raw.line_of("level"), f"level must be essential or desirable, not {level!r}")
        count_unsigned = self._bool(raw, "count_unsigned", count_unsigned)
        count_imported = self._bool(raw, "count_imported", self.count_imported)
        values: dict[str, Any] = {
            "id": requirement_id,
            "label": str(raw.get("label", requirement_id)),
            "kind": kind,
            "level": level,
            "line": raw.line,
            "count_unsigned": count_unsigned,
            "count_imported": count_imported,
            "when": self._when(raw),
            "source": self._source(raw),
        }
        records = raw.get("records")
        if "records" in required:
            if records not in RECORD_FIELDS:
                self.fail(raw.line_of("records"), f"records must be one of {', '.join(RECORD_FIELDS)}")
                return None
            values["records"] = records
            values["where"] = self._where(raw, "where", records)
            values["window"] = self._window(raw)
        getattr(self, f"_kind_{kind}")(raw, values, records, count_unsigned, competencies)
        try:
            return Requirement(**values)
        except TypeError:  # a problem was already reported for a missing value
            return None

    def _kind_total(self, raw, values, records, *_):
        at_least = raw.get("at_least")
        if isinstance(at_least, int | float) and not isinstance(at_least, bool):
            at_least = {"records": at_least}
        if not isinstance(at_least, dict) or not at_least:
            self.fail(raw.line_of("at_least"), "at_least must be a number or a mapping of measure to number")
            return
        pairs = []
        for measure, minimum in at_least.items():
            if not self._measurable(records, measure):
                self.fail(raw.line_of("at_least"), self._unmeasurable(records, measure))
            elif not self._positive(minimum):
                self.fail(raw.line_of("at_least"), f"the minimum for {measure} must be a positive number")
            else:
                pairs.append((measure, float(minimum)))
        values["at_least"] = tuple(pairs)
        self._use_units(values, [measure for measure, _ in pairs])

    def _measurable(self, records: str, measure: Any) -> bool:
        if measure in MEASURES[records]:
            return True
        return measure in self.units and records in TIMED_RECORDS

    def _unmeasurable(self, records: str, measure: Any) -> str:
        if measure in self.units:
            return f"{records} have no length in minutes: they cannot be measured in {measure!r}"
        own = [name for name in self.units if records in TIMED_RECORDS]
        choices = ", ".join([*MEASURES[records], *own])
        hint = "" if records not in TIMED_RECORDS else " (or a unit declared under 'units')"
        return f"{records} cannot be measured in {measure!r}; use {choices}{hint}"

    def _use_units(self, values: dict, measures: list[str]) -> None:
        """Copy the rule set's units that the requirement measures in onto it."""
        used = {measure: self.units[measure] for measure in measures if measure in self.units}
        values["units"] = tuple(sorted(used.items()))

    def _kind_distinct(self, raw, values, records, *_):
        if raw.get("field") not in DISTINCT_FIELDS[records]:
            self.fail(raw.line_of("field"), f"field must be one of {', '.join(DISTINCT_FIELDS[records])}")
        values["field"] = raw.get("field")
        self._minimum(raw, values)

    def _kind_share(self, raw, values, records, *_):
        values["numerator"] = self._where(raw, "numerator", records)
        values["measure"] = self._measure(raw, records)
        self._use_units(values, [values["measure"]])
        bounds = {}
        for key in ("at_least", "more_than", "at_most", "less_than"):
            bound = raw.get(key)
            if bound is None:
                continue
            if not (isinstance(bound, int | float) and not isinstance(bound, bool) and 0 <= bound <= 1):
                self.fail(raw.line_of(key), f"{key} of a share is a fraction between 0 and 1")
                continue
            bounds[key] = float(bound)
        for inclusive, strict in (("at_least", "more_than"), ("at_most", "less_than")):
            if inclusive in raw and strict in raw:
                self.fail(
                    raw.line_of(strict),
                    f"a share takes {inclusive} (inclusive) or {strict} (strict), not both",
                )
        if not {"at_least", "more_than", "at_most", "less_than"} & set(raw):
            self.fail(
                raw.line,
                "a share needs at_least or more_than, and/or at_most or less_than "
                "(a fraction between 0 and 1)",
            )
        low = bounds.get("at_least", bounds.get("more_than"))
        high = bounds.get("at_most", bounds.get("less_than"))
        if low is not None and high is not None and low > high:
            self.fail(raw.line, "the share's lower bound is above its upper bound")
        values["at_least"] = (("share", low),) if low is not None else ()
        values["at_most"] = high
        values["more_than"] = "more_than" in bounds and "at_least" not in bounds
        values["less_than"] = "less_than" in bounds and "at_most" not in bounds

    def _kind_rate(self, raw, values, records, *_):
        if raw.get("per") not in ("month", "year", "training_year"):
            self.fail(raw.line_of("per"), "per must be month, year or training_year")
        values["per"] = raw.get("per")
        values["measure"] = self._measure(raw, records)
        self._use_units(values, [values["measure"]])
        for key in ("periods", "run"):
            number = raw.get(key)
            if number is not None and not (
                isinstance(number, int) and not isinstance(number, bool) and number > 0
            ):
                self.fail(raw.line_of(key), f"{key} must be a positive whole number")
                values[key] = None
            else:
                values[key] = number
        if "periods" in raw and "run" in raw:
            self.fail(
                raw.line_of("run"),
                "a rate takes periods (the first N from the enrolment start) "
                "or run (any N consecutive ones), not both",
            )
        self._minimum(raw, values)

    def _kind_span(self, raw, values, *_):
        for key in ("months", "max_gap_months"):
            number = raw.get(key)
            if number is not None and not (isinstance(number, int) and number > 0):
                self.fail(raw.line_of(key), f"{key} must be a positive whole number")
        values["months"] = raw.get("months")
        values["max_gap_months"] = raw.get("max_gap_months")

    def _kind_module(self, raw, values, *_):
        score = raw.get("min_score")
        if not (isinstance(score, int | float) and 0 <= score <= 100):
            self.fail(raw.line_of("min_score"), "min_score is a percentage between 0 and 100")
        values["min_score"] = score

    def _kind_reflections(self, raw, values, *_):
        self._minimum(raw, values)
        values["distinct_vignettes"] = self._bool(raw, "distinct_vignettes", False)

    def _kind_report(self, raw, values, _records, _unsigned, competencies):
        if raw.get("recommendation") not in ("ready", "any"):
            self.fail(raw.line_of("recommendation"), "recommendation must be ready or any")
        values["recommendation"] = raw.get("recommendation")
        rating = raw.get("min_rating")
        if rating is not None and not (isinstance(rating, int) and 1 <= rating <= 5):
            self.fail(raw.line_of("min_rating"), "min_rating is a whole number from 1 to 5")
        if rating is not None and not competencies:
            self.fail(raw.line_of("min_rating"), "min_rating needs the rule set to list its competencies")
        values["min_rating"] = rating
        every = raw.get("every_months")
        if every is not None and not (isinstance(every, int) and every > 0):
            self.fail(raw.line_of("every_months"), "every_months must be a positive whole number")
        values["every_months"] = every

    def _kind_manual(self, raw, values, *_):
        pass

    def _kind_elapsed(self, raw, values, *_):
        since, problem = profile_rules.parse_since(raw.get("since"))
        if problem:
            self.fail(raw.line_of("since"), problem)
        values["since"] = since
        values["continuous"] = self._bool(raw, "continuous", False)
        if values["continuous"] and since != "membership":
            self.fail(raw.line_of("continuous"), "continuous applies to since: membership only")
        given = [key for key in ("years", "months") if key in raw]
        if len(given) != 1:
            self.fail(raw.line, "an elapsed requirement needs years or months (one of them)")
            return
        number = raw.get(given[0])
        # 0 on a profile fact asks only that it is recorded (with continuous: a current membership).
        lowest = 0 if profile_rules.is_profile_since(since) else 1
        if not (isinstance(number, int) and not isinstance(number, bool) and number >= lowest):
            self.fail(
                raw.line_of(given[0]),
                f"{given[0]} must be a positive whole number" + (" or 0" if lowest == 0 else ""),
            )
            return
        values["months"] = number * 12 if given[0] == "years" else number

    def _combinator(self, raw, values, count_unsigned, competencies):
        children = self._requirement_list(
            raw.get("requirements"), raw.line_of("requirements"), count_unsigned, competencies
        )
        children = [_with_source(child, values["source"]) for child in children]
        values["children"] = tuple(children)
        return children

    def _kind_all_of(self, raw, values, _records, count_unsigned, competencies):
        self._combinator(raw, values, count_unsigned, competencies)

    def _kind_any_of(self, raw, values, _records, count_unsigned, competencies):
        self._combinator(raw, values, count_unsigned, competencies)

    def _kind_at_least_k_of(self, raw, values, _records, count_unsigned, competencies):
        children = self._combinator(raw, values, count_unsigned, competencies)
        k = raw.get("k")
        if not (isinstance(k, int) and 1 <= k <= max(1, len(children))):
            self.fail(raw.line_of("k"), f"k must be a whole number from 1 to {len(children)}")
        values["k"] = k

    # -- pieces ------------------------------------------------------------------------

    def _keys(self, raw: LineDict, *, required: set[str], optional: set[str], what: str) -> None:
        for key in raw:
            if key not in required | optional:
                self.fail(raw.line_of(key), f"unknown key {key!r} in a {what}")
        for key in sorted(required - set(raw)):
            self.fail(raw.line, f"a {what} needs {key!r}")

    def _source(self, raw: LineDict) -> str:
        source = raw.get("source")
        if source is None:
            return ""
        if not isinstance(source, str) or not source.strip():
            self.fail(raw.line_of("source"), "source is the published line this requirement encodes, as text")
            return ""
        return " ".join(source.split())

    def _bool(self, raw: LineDict, key: str, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.fail(raw.line_of(key), f"{key} must be true or false")
            return default
        return value

    def _positive(self, number: Any) -> bool:
        return isinstance(number, int | float) and not isinstance(number, bool) and number > 0

    def _minimum(self, raw: LineDict, values: dict) -> None:
        minimum = raw.get("at_least")
        if not self._positive(minimum):
            self.fail(raw.line_of("at_least"), "at_least must be a positive number")
            return
        values["at_least"] = (("records", float(minimum)),)

    def _measure(self, raw: LineDict, records: str) -> str:
        measure = raw.get("measure", "records")
        if not self._measurable(records, measure):
            self.fail(raw.line_of("measure"), self._unmeasurable(records, measure))
            return "records"
        return measure

    def _where(self, raw: LineDict, key: str, records: str) -> tuple[tuple[str, frozenset | Compare], ...]:
        where = raw.get(key) or {}
        if not isinstance(where, dict):
            self.fail(raw.line_of(key), f"{key} must be a mapping of field to value(s)")
            return ()
        result = []
        for name, wanted in where.items():
            allowed = RECORD_FIELDS[records].get(name, "missing")
            line = where.line_of(name) if isinstance(where, LineDict) else raw.line_of(key)
            if allowed == "missing":
                self.fail(line, f"{records} have no field {name!r}; use {', '.join(RECORD_FIELDS[records])}")
                continue
            if name in status_filters.FIELD_NAMES:
                held = status_filters.parse(wanted)
                if isinstance(held, str):
                    self.fail(line, f"{name}: {held}")
                else:
                    result.append((name, held))
                continue
            if isinstance(wanted, dict):
                condition = self._comparison(wanted, line, records, name, allowed)
                if condition is not None:
                    result.append((name, condition))
                continue
            wanted_values = list(wanted) if isinstance(wanted, list) else [wanted]
            bad = [value for value in wanted_values if allowed is not None and value not in allowed]
            if not bad and name in NUMBER_FIELDS:
                bad = [value for value in wanted_values if not self._number(value)]
                if bad:
                    self.fail(line, f"{name} is a number, not {bad[0]!r}")
                    continue
            if bad:
                self.fail(line, f"{name} cannot be {bad[0]!r}; use {', '.join(map(str, allowed))}")
                continue
            result.append((name, frozenset(wanted_values)))
        return tuple(result)

    def _number(self, value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    def _comparison(
        self, wanted: dict, line: int, records: str, name: str, allowed
    ) -> frozenset | Compare | None:
        """``{at_least: 4}``, ``{between: [60, 120]}``, ``{one_of: [a, b]}``, ... as a condition."""
        unknown = [key for key in wanted if key not in COMPARISONS]
        if unknown or not wanted:
            self.fail(
                line, f"{name}: use {', '.join(COMPARISONS)}" + (f", not {unknown[0]!r}" if unknown else "")
            )
            return None
        if "one_of" in wanted:
            if len(wanted) > 1:
                self.fail(line, f"{name}: one_of stands alone")
                return None
            choices = wanted["one_of"]
            if not isinstance(choices, list) or not choices:
                self.fail(line, f"{name}: one_of is a list of values")
                return None
            bad = [value for value in choices if allowed is not None and value not in allowed]
            if not bad and name in NUMBER_FIELDS:
                bad = [value for value in choices if not self._number(value)]
            if bad:
                self.fail(line, f"{name} cannot be {bad[0]!r}")
                return None
            return frozenset(choices)
        if name not in NUMBER_FIELDS:
            numbers = [field for field in RECORD_FIELDS[records] if field in NUMBER_FIELDS]
            self.fail(
                line,
                f"{name} is not a number: compare only {', '.join(numbers)} "
                f"(use one_of for a list of values)",
            )
            return None
        if "between" in wanted:
            pair = wanted["between"]
            if len(wanted) > 1 or not (
                isinstance(pair, list)
                and len(pair) == 2
                and all(self._number(v) for v in pair)
                and pair[0] <= pair[1]
            ):
                self.fail(line, f"{name}: between takes [low, high] alone, both included, low not above high")
                return None
            return Compare(low=float(pair[0]), high=float(pair[1]))
        for inclusive, strict in (("at_least", "more_than"), ("at_most", "less_than")):
            if inclusive in wanted and strict in wanted:
                self.fail(line, f"{name}: {inclusive} (inclusive) or {strict} (strict), not both")
                return None
        bounds = {}
        for key, bound in wanted.items():
            if not self._number(bound):
                self.fail(line, f"{name}: {key} needs a number, not {bound!r}")
                return None
            bounds[key] = float(bound)
        compare = Compare(
            low=bounds.get("at_least", bounds.get("more_than")),
            high=bounds.get("at_most", bounds.get("less_than")),
            low_strict="more_than" in bounds,
            high_strict="less_than" in bounds,
        )
        if compare.low is not None and compare.high is not None and compare.low > compare.high:
            self.fail(line, f"{name}: the lower bound is above the upper bound")
            return None
        return compare

    def _window(self, raw: LineDict) -> Window | None:
        if raw.get("window") is None:
            return None
        return windows.parse_window(raw["window"], raw.line_of("window"), self.fail)

    def _when(self, raw: LineDict) -> tuple[tuple[str, Any], ...]:
        """``when: {profile: {field: value}}`` and/or ``when: {track: gp}`` (or a list of tracks)."""
        when = raw.get("when")
        if when is None:
            return ()
        if (
            not isinstance(when, LineDict)
            or not when
            or not set(when) <= {"profile", "track"}
            or not isinstance(when.get("profile", {}), dict)
        ):
            self.fail(
                raw.line_of("when"), "when must be a mapping: {profile: {field: value}} and/or {track: id}"
            )
            return ()
        conditions = []
        for name, value in when.get("profile", {}).items():
            if name not in PROFILE_FIELDS or value not in PROFILE_FIELDS[name]:
                self.fail(raw.line_of("when"), f"unknown profile condition {name}: {value!r}")
                continue
            conditions.append((name, value))
        if "track" in when:
            wanted = when["track"] if isinstance(when["track"], list) else [when["track"]]
            unknown = [track for track in wanted if track not in self.tracks]
            if not self.tracks:
                self.fail(when.line_of("track"), "when: track needs the rule set to declare its tracks")
            elif unknown or not wanted:
                self.fail(
                    when.line_of("track"),
                    f"unknown track {unknown[0] if unknown else None!r}; declared: {', '.join(self.tracks)}",
                )
            else:
                conditions.append(("track", frozenset(wanted)))
        return tuple(conditions)


def _walk(requirement: Requirement):
    yield requirement
    for child in requirement.children:
        yield from _walk(child)


def _with_source(requirement: Requirement, source: str) -> Requirement:
    """The requirement, and its parts, with ``source`` where they cite none of their own."""
    if requirement.source or not source:
        return requirement
    return replace(
        requirement,
        source=source,
        children=tuple(_with_source(child, source) for child in requirement.children),
    )


def missing_sources(rule_set: RuleSet) -> list[RuleSetProblem]:
    """A problem for every requirement that cites no published line (nor a parent that does).

    ``ruleset check`` makes these errors for the presets in ``curriculum/programmes/``: a
    preset must say, line by line, which published rule it encodes."""
    return [
        RuleSetProblem(
            requirement.line,
            f"requirement {requirement.id!r} has no source: cite the published line it encodes "
            f'(or "Stillpoint: ..." for an addition of our own)',
        )
        for requirement in rule_set.walk()
        if not requirement.source
    ]


def parse_rule_set(source: str) -> RuleSet:
    """The parsed rule set, or RuleSetError listing every problem with its line."""
    try:
        document = load_with_lines(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise RuleSetError([RuleSetProblem(mark.line + 1 if mark else 1, "not valid YAML")]) from None
    parser = _Parser()
    rule_set = parser.rule_set(document)
    if parser.problems or rule_set is None:
        raise RuleSetError(sorted(parser.problems, key=lambda problem: problem.line))
    return rule_set

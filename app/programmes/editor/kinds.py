"""Which fields each requirement kind has in the editor, read from the parser's own tables.

``_Parser.BY_KIND`` says which keys a kind requires and allows; ``RECORD_FIELDS``,
``MEASURES``, ``DISTINCT_FIELDS``, ``COMPARISONS`` and the anchors say what they may hold.
A key this module knows nothing about still gets a field (a text box read as a YAML
value), so a kind or key added to the parser appears in the editor without work here;
``CHOICES`` only makes a known key a pick list.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.profiles.kinds import QUALIFICATION_KINDS
from app.requirements import ruleset
from app.requirements.ruleset import (
    COMPARISONS,
    DISTINCT_FIELDS,
    KINDS,
    LEVELS,
    MEASURES,
    RECORD_FIELDS,
    WINDOW_ANCHORS,
)

BY_KIND = ruleset._Parser.BY_KIND  # noqa: SLF001  (the parser's table is the one truth of kinds)
COMMON = ruleset._Parser.COMMON  # noqa: SLF001
#: Keys with a form section of their own rather than one field.
STRUCTURED = {"where", "numerator", "window", "requirements", "when"}
#: Shown with every kind, in this order, before the kind's own keys.
HEAD = ("id", "label", "level", "source")
#: Settings inherited from the rule set: "inherit", yes or no.
INHERITED = ("count_unsigned", "count_imported")

# Pick lists the parser spells out only inside its checks.
PER = ("month", "year", "training_year")
RECOMMENDATIONS = ("ready", "any")

HINTS = {
    "at_least": "A number; for a total also 'measure: number' pairs, e.g. hours: 30, records: 12.",
    "at_most": "For a share: a fraction between 0 and 1 (0.5 is half).",
    "more_than": "For a share: a fraction between 0 and 1, strict.",
    "less_than": "For a share: a fraction between 0 and 1, strict.",
    "source": "The published line this requirement encodes, or 'Stillpoint: ...' for our own addition.",
    "periods": "The first N periods from the enrolment start (or use run, not both).",
    "run": "Any N consecutive periods anywhere in the history.",
    "months": "A whole number of months.",
    "years": "A whole number of years (or months, not both).",
    "k": "How many of the parts must be met.",
    "description": "What the admin confirms by hand.",
}
TEXTAREAS = {"source", "description"}
#: Words for the keys the editor knows; any other key is labelled with its YAML name.
LABELS = {
    "records": "Records it reads",
    "at_least": "At least",
    "at_most": "At most",
    "more_than": "More than",
    "less_than": "Less than",
    "field": "Distinct by field",
    "measure": "Measured in",
    "per": "Per period",
    "periods": "Periods",
    "run": "Consecutive run of periods",
    "months": "Months",
    "years": "Years",
    "max_gap_months": "Longest gap (months)",
    "since": "Since",
    "min_score": "Lowest score (%)",
    "distinct_vignettes": "Different vignettes only",
    "recommendation": "Recommendation needed",
    "min_rating": "Lowest rating (1-5)",
    "every_months": "A report every N months",
    "description": "Description",
    "k": "How many parts (k)",
}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a requirement's form."""

    key: str
    is_required: bool
    choices: tuple[str, ...] = ()  # empty: a text box whose text is read as a YAML value
    hint: str = ""

    @property
    def label(self) -> str:
        words = LABELS.get(self.key)
        return f"{words} ({self.key})" if words else self.key

    @property
    def is_textarea(self) -> bool:
        return self.key in TEXTAREAS


def kinds() -> tuple[str, ...]:
    return tuple(kind for kind in KINDS if kind in BY_KIND)


def allowed_keys(kind) -> set[str]:
    if kind not in BY_KIND:
        return set(COMMON) | {"id", "label", "kind"}
    required, optional = BY_KIND[kind]
    return set(required) | set(optional) | set(COMMON) | {"id", "label", "kind"}


def choices_for(key: str, records: str | None, units: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The values a key may take, where the parser's tables name them."""
    if key == "records":
        return tuple(RECORD_FIELDS)
    if key == "level":
        return LEVELS
    if key == "measure":
        own = units if records in ruleset.TIMED_RECORDS else ()
        return (*MEASURES.get(records or "", ("records",)), *own)
    if key == "field":
        return DISTINCT_FIELDS.get(records or "", ())
    if key == "per":
        return PER
    if key == "since":  # the anchors, then a qualification of each kind
        anchors = dict.fromkeys((*ruleset.ELAPSED_ANCHORS, "membership"))
        return (*anchors, *(f"qualification:{kind}" for kind in QUALIFICATION_KINDS))
    if key == "recommendation":
        return RECOMMENDATIONS
    return ()


def fields_for(kind: str, records: str | None = None, units: tuple[str, ...] = ()) -> list[FieldSpec]:
    """The kind's own fields (not id, label, level, source, filters, window or parts)."""
    if kind not in BY_KIND:
        return []
    required, optional = BY_KIND[kind]
    keys = [key for key in ("records", "field", "measure", "per") if key in required | optional]
    keys += sorted(key for key in required if key not in keys)
    keys += sorted(key for key in optional if key not in keys)
    # A key every kind takes that the head of the form does not show (added later).
    keys += sorted(key for key in COMMON if key not in (*HEAD, *INHERITED, "kind", "when", *keys))
    return [
        FieldSpec(key, key in required, choices_for(key, records, units), HINTS.get(key, ""))
        for key in keys
        if key not in STRUCTURED
    ]


def has_filters(kind: str) -> bool:
    required, optional = BY_KIND.get(kind, (set(), set()))
    return "where" in required | optional


def has_numerator(kind: str) -> bool:
    required, optional = BY_KIND.get(kind, (set(), set()))
    return "numerator" in required | optional


def has_window(kind: str) -> bool:
    required, optional = BY_KIND.get(kind, (set(), set()))
    return "window" in required | optional


def has_parts(kind: str) -> bool:
    required, optional = BY_KIND.get(kind, (set(), set()))
    return "requirements" in required | optional


def filter_fields(records: str | None) -> tuple[str, ...]:
    return tuple(RECORD_FIELDS.get(records or "", {}))


#: How a filter row compares: "is" (one value, or several separated by commas) or one of
#: the parser's comparisons.
FILTER_COMPARISONS = ("is", *COMPARISONS)
WINDOW_KEYS = ("after", "before", "within_last_years")
ANCHORS = WINDOW_ANCHORS
PROFILE_FIELDS = ruleset.PROFILE_FIELDS

"""Scan free text for personal identifiers and report where they are.

Pure Python, no Flask: the web layer turns ``Finding``s into messages with
``KIND_LABELS``. Detectors propose candidate spans independently; ``scan``
then keeps a non-overlapping set, preferring longer spans, and on equal length
the more specific kind (an NHS number that also parses as a phone number is
reported as an id-number).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from app.privacy.names import find_names
from app.privacy.patterns import (
    find_addresses,
    find_dates,
    find_emails,
    find_id_numbers,
    find_phones,
    find_postcodes,
)
from app.privacy.span import Span

KIND_LABELS: dict[str, str] = {
    "person-name": "a personal name",
    "date": "an exact date",
    "phone": "a phone number",
    "email": "an e-mail address",
    "address": "a postal address",
    "postcode": "a postcode",
    "id-number": "an identity or record number",
}

# Tie-break between spans of equal length: earlier in this tuple wins.
_PRIORITY = ("email", "id-number", "date", "phone", "postcode", "address", "person-name")

_DETECTORS: tuple[Callable[[str], list[Span]], ...] = (
    find_emails,
    find_id_numbers,
    find_dates,
    find_phones,
    find_postcodes,
    find_addresses,
    find_names,
)


@dataclass(frozen=True)
class Finding:
    """One personal identifier found in a text.

    ``start``/``end`` are character offsets (``text[start:end] == self.text``);
    ``line`` and ``column`` are 1-based, for showing the writer where it is.
    """

    kind: str
    start: int
    end: int
    text: str
    line: int
    column: int


def scan(text: str) -> list[Finding]:
    """Return the personal identifiers in ``text``, sorted by start, non-overlapping."""
    candidates = [span for detect in _DETECTORS for span in detect(text) if span.end > span.start]
    line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    return [_finding(text, span, line_starts) for span in _resolve_overlaps(candidates)]


def _resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Greedily keep the longest spans (then by kind priority) that do not overlap."""
    ranked = sorted(set(spans), key=lambda s: (s.start - s.end, _PRIORITY.index(s.kind), s.start))
    kept: list[Span] = []
    for span in ranked:
        if all(span.end <= other.start or other.end <= span.start for other in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def _finding(text: str, span: Span, line_starts: list[int]) -> Finding:
    line_index = bisect.bisect_right(line_starts, span.start) - 1
    return Finding(
        kind=span.kind,
        start=span.start,
        end=span.end,
        text=text[span.start : span.end],
        line=line_index + 1,
        column=span.start - line_starts[line_index] + 1,
    )

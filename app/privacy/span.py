"""The raw result every detector returns before ``scan`` resolves overlaps."""

from typing import NamedTuple


class Span(NamedTuple):
    """A candidate identifier: its kind and character offsets [start, end)."""

    kind: str
    start: int
    end: int

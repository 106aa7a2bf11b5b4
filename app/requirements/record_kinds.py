"""Two requirement kinds about single records rather than sums, and the attendance record type.

``every``: every counted record matches a filter ("online sessions of at most 90
minutes", "always in a group of 8 to 12"). ``ends``: the first and/or the last counted
record match ("the first and the last session in person"). Both are general shapes over
any record type; they arrived with the participant rule sets, which read a group
member's ``attendance`` (fields below, gathered by ``app.requirements.attendance``).

This module is the format side (fields and parsing, mixed into ``ruleset._Parser``);
``record_outcomes`` evaluates them. Kept apart from ``ruleset.py`` so the two kinds read
as one piece.
"""

from __future__ import annotations

from typing import Any

from app.groups.kinds import GroupKind, SessionMode

#: The fields of one attendance record a rule can filter on (None: any value).
#: ``group_size`` is the group's roster on the day of the session: the members who had
#: joined by then, present or not (see curriculum/programmes/README.md, "attendance").
ATTENDANCE_FIELDS: dict[str, tuple | None] = {
    "mode": tuple(mode.value for mode in SessionMode),
    "minutes": None,
    "group_size": None,
    "group_kind": tuple(kind.value for kind in GroupKind),
}

ENDS = ("first", "last")


class RecordKindsParser:
    """The parsing of ``every`` and ``ends``; a mixin of ``ruleset._Parser``."""

    BY_KIND = {
        "every": ({"records", "match"}, {"where", "window"}),
        "ends": ({"records", "match"}, {"where", "window", "which"}),
    }

    def _match(self, raw, values: dict, records: str) -> None:
        match = raw.get("match")
        if isinstance(match, dict) and not match:
            self.fail(raw.line_of("match"), "match names at least one field the records must have")
        values["match"] = self._where(raw, "match", records)

    def _kind_every(self, raw, values: dict, records: str, *_: Any) -> None:
        self._match(raw, values, records)

    def _kind_ends(self, raw, values: dict, records: str, *_: Any) -> None:
        self._match(raw, values, records)
        which = raw.get("which", list(ENDS))
        which = [which] if isinstance(which, str) else which
        if not (isinstance(which, list) and which and all(end in ENDS for end in which)):
            self.fail(raw.line_of("which"), "which is first, last or [first, last]")
            which = list(ENDS)
        elif len(set(which)) != len(which):
            self.fail(raw.line_of("which"), "which names first and last once each")
        values["ends"] = tuple(end for end in ENDS if end in which)

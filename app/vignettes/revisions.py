"""What changed in a revised reflection since the version a supervisor commented on.

Every version is its own row (a revision request copies the answers into the next
version), so the commented version's answers are kept as they were submitted; this module
compares them with the revision, word by word, for the review page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from app.vignettes.models import Reflection

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    """A run of text: ``equal``, ``insert`` (only in the revision) or ``delete`` (only before)."""

    op: str
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """The revision's text as runs kept, added and removed, compared word by word."""
    before, after = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    pieces: list[Piece] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("equal", "".join(after[j1:j2])))
            continue
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        if removed.strip():
            pieces.append(Piece("delete", removed))
        elif removed:
            pieces.append(Piece("equal", removed))
        if added.strip():
            pieces.append(Piece("insert", added))
        elif added and not removed:
            pieces.append(Piece("equal", added))
    return _merge(pieces)


def _merge(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].op == piece.op:
            merged[-1] = Piece(piece.op, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


@dataclass(frozen=True)
class ExerciseChange:
    """One exercise's answer compared with the commented version."""

    text: list[Piece]
    feeling: list[Piece]
    #: Other parts that changed: "ratings", "choice", "sided_with", "marked".
    other: tuple[str, ...] = ()
    comment: str = ""  # the supervisor's comment on this exercise in the commented version

    @property
    def is_changed(self) -> bool:
        return bool(self.other) or any(p.op != "equal" for p in self.text + self.feeling)


@dataclass(frozen=True)
class RevisionChanges:
    since: Reflection  # the version the supervisor commented on
    exercises: dict[str, ExerciseChange] = field(default_factory=dict)


def changes_since_feedback(reflection: Reflection, versions: list[Reflection]) -> RevisionChanges | None:
    """Per exercise, the answer's changes since the newest earlier version with feedback.

    None for a first version, or when no earlier version was commented on.
    """
    earlier = [v for v in versions if v.version < reflection.version and v.feedback is not None]
    if not earlier:
        return None
    since = earlier[-1]
    exercise_ids = list(dict.fromkeys([*since.answers, *reflection.answers]))
    exercises = {}
    for exercise_id in exercise_ids:
        old, new = since.answer(exercise_id), reflection.answer(exercise_id)
        other = tuple(
            key
            for key in ("ratings", "choice", "sided_with", "marked")
            if (old.get(key) or None) != (new.get(key) or None)
        )
        exercises[exercise_id] = ExerciseChange(
            text=word_diff(old.get("text", ""), new.get("text", "")),
            feeling=word_diff(old.get("feeling", ""), new.get("feeling", "")),
            other=other,
            comment=since.feedback.comment(exercise_id),
        )
    return RevisionChanges(since, exercises)

"""Scoring knowledge-check answers: pure functions of the question and the answer.

The rules, per question (each question is worth one point):

- **single**: 1 when the one chosen option is the correct one, else 0.
- **multiple**: partial credit. (correct options chosen − wrong options chosen) divided
  by the number of correct options, never below 0. Ticking everything therefore earns
  little, and one wrong tick cancels one right one.
- **classify**: 1 for the right dimension and the right pole; 0.5 for the right
  dimension with the wrong pole (the trainee saw what the sentence is about but not
  which way it leans); 0 for a wrong dimension.

An attempt's score is the mean of its questions' points, as a percentage. It passes
when that percentage is at least the pass mark. Points are exact fractions, so 16 of
20 is exactly 80% and passes a mark of 80.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from app.content.curriculum import Question

ZERO, HALF, ONE = Fraction(0), Fraction(1, 2), Fraction(1)


@dataclass(frozen=True)
class Answer:
    """What a trainee chose: option indices (as in the content file), or a dimension and pole."""

    options: frozenset[int] = frozenset()
    dimension: str | None = None
    pole: str | None = None

    def to_json(self) -> dict:
        if self.dimension is not None:
            return {"dimension": self.dimension, "pole": self.pole}
        return {"options": sorted(self.options)}

    @classmethod
    def from_json(cls, data: dict | None) -> Answer | None:
        if not data:
            return None
        if "dimension" in data:
            return cls(dimension=data.get("dimension"), pole=data.get("pole"))
        return cls(options=frozenset(int(index) for index in data.get("options", [])))


def score_question(question: Question, answer: Answer | None) -> Fraction:
    """Points (0 to 1) for one answer; an unanswered question scores 0."""
    if answer is None:
        return ZERO
    if question.kind == "single":
        return ONE if answer.options == question.correct_options else ZERO
    if question.kind == "multiple":
        correct = question.correct_options
        right = len(answer.options & correct)
        wrong = len(answer.options - correct)
        return max(ZERO, Fraction(right - wrong, len(correct)))
    if question.kind == "classify":
        dimension, pole = question.answer
        if answer.dimension != dimension:
            return ZERO
        return ONE if answer.pole == pole else HALF
    raise ValueError(f"unknown question kind {question.kind!r}")


def score_percent(points: Iterable[Fraction]) -> Fraction:
    """The mean of the points as an exact percentage; an empty attempt scores 0."""
    points = list(points)
    if not points:
        return ZERO
    return 100 * sum(points, ZERO) / len(points)


def is_pass(percent: Fraction, pass_mark: int) -> bool:
    return percent >= pass_mark

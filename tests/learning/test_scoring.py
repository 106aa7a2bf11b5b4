"""Scoring of single, multiple and classify items, including partial answers."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.content.curriculum import Option, Question
from app.learning.scoring import Answer, is_pass, score_percent, score_question


def single() -> Question:
    options = (Option("right", True), Option("wrong a", False), Option("wrong b", False))
    return Question("s", "lesson", "single", "Pick one", "Because.", "v1", options=options)


def multiple() -> Question:
    options = tuple(Option(f"o{i}", i < 3) for i in range(5))  # 0, 1, 2 correct; 3, 4 wrong
    return Question("m", "lesson", "multiple", "Choose all that apply.", "Because.", "v1", options=options)


def classify() -> Question:
    return Question(
        "c",
        "lesson",
        "classify",
        "I snapped.",
        "Because.",
        "v1",
        answer=("automatic-controlled", "automatic"),
    )


def chosen(*indices: int) -> Answer:
    return Answer(options=frozenset(indices))


def test_single_scores_one_for_the_right_option_only():
    assert score_question(single(), chosen(0)) == 1
    assert score_question(single(), chosen(1)) == 0


def test_single_with_more_than_one_option_chosen_scores_zero():
    assert score_question(single(), chosen(0, 1)) == 0


def test_an_unanswered_question_scores_zero():
    for question in (single(), multiple(), classify()):
        assert score_question(question, None) == 0


@pytest.mark.parametrize(
    ("indices", "points"),
    [
        ((0, 1, 2), Fraction(1)),  # every right option, nothing wrong
        ((0, 1), Fraction(2, 3)),  # partial: two of three right
        ((0,), Fraction(1, 3)),
        ((0, 1, 2, 3), Fraction(2, 3)),  # one wrong tick cancels one right one
        ((0, 3), Fraction(0)),
        ((0, 1, 2, 3, 4), Fraction(1, 3)),  # ticking everything earns little
        ((3, 4), Fraction(0)),  # floored at zero, never negative
    ],
)
def test_multiple_gives_partial_credit(indices, points):
    assert score_question(multiple(), chosen(*indices)) == points


def test_classify_needs_dimension_and_pole_for_full_marks():
    assert score_question(classify(), Answer(dimension="automatic-controlled", pole="automatic")) == 1


def test_classify_with_the_right_dimension_but_wrong_pole_scores_half():
    assert score_question(
        classify(), Answer(dimension="automatic-controlled", pole="controlled")
    ) == Fraction(1, 2)


def test_classify_with_the_wrong_dimension_scores_zero():
    assert score_question(classify(), Answer(dimension="self-other", pole="self")) == 0


def test_the_score_is_the_mean_as_an_exact_percentage():
    assert score_percent([Fraction(1)] * 16 + [Fraction(0)] * 4) == 80
    assert score_percent([Fraction(1), Fraction(1, 2), Fraction(2, 3), Fraction(0)]) == Fraction(325, 6)
    assert score_percent([]) == 0


def test_the_pass_mark_is_inclusive():
    assert is_pass(Fraction(80), 80)
    assert not is_pass(Fraction(7999, 100), 80)
    assert is_pass(Fraction(0), 0)


@given(st.sets(st.integers(min_value=0, max_value=4)))
def test_multiple_always_scores_between_zero_and_one(indices):
    points = score_question(multiple(), Answer(options=frozenset(indices)))
    assert 0 <= points <= 1


def test_answers_survive_a_round_trip_through_json():
    for answer in (chosen(2, 0), Answer(dimension="self-other", pole="other")):
        assert Answer.from_json(answer.to_json()) == answer
    assert Answer.from_json(None) is None

"""The rule-set format: precise errors, and the shipped presets."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.requirements.ruleset import RuleSetError, parse_rule_set

PRESETS = sorted(Path(__file__).resolve().parents[2].joinpath("curriculum", "programmes").glob("*.yaml"))


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.name)
def test_every_preset_parses(path):
    rule_set = parse_rule_set(path.read_text())
    assert rule_set.requirements


def test_the_presets_include_the_two_pathways_and_the_short_course():
    assert {p.stem for p in PRESETS} >= {"uk-style", "anz-style", "short-course"}


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("title: T\nrequirements:\n  - id: a\n    label: A\n    kind: tally\n", 5, "unknown kind 'tally'"),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: sessions\n"
            "    at_least: 3\n    colour: red\n",
            8,
            "unknown key 'colour'",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: sessions\n",
            3,
            "needs 'at_least'",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: sessions\n"
            "    where: {mode: telepathy}\n    at_least: 3\n",
            7,
            "mode cannot be 'telepathy'",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: sessions\n"
            "    at_least: {days: 3}\n",
            7,
            "sessions cannot be measured in 'days'",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: share\n    records: sessions\n"
            "    numerator: {mode: online}\n    at_least: 1.5\n",
            8,
            "fraction between 0 and 1",
        ),
        (
            "title: T\nrequirements:\n  - {id: a, label: A, kind: manual}\n  - {id: a, label: B, kind: manual}\n",
            4,
            "used twice",
        ),
        (
            "title: T\nrequirements:\n  - {id: a, label: A, kind: report, recommendation: ready, min_rating: 3}\n",
            3,
            "needs the rule set to list its competencies",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: sessions\n"
            "    at_least: 2\n    window: {after: graduation}\n",
            8,
            "after must be a date",
        ),
        (
            "title: T\nrequirements:\n  - id: k\n    label: K\n    kind: at_least_k_of\n    k: 3\n"
            "    requirements:\n      - {id: a, label: A, kind: manual}\n",
            6,
            "k must be a whole number from 1 to 1",
        ),
        ("title: [broken\n", 2, "not valid YAML"),
    ],
)
def test_bad_rule_sets_are_refused_with_the_line_to_fix(source, line, message):
    with pytest.raises(RuleSetError) as error:
        parse_rule_set(source)
    matching = [p for p in error.value.problems if message in p.message]
    assert matching, error.value.problems
    assert matching[0].line == line


def test_all_problems_are_reported_at_once():
    source = (
        "title: T\nrequirements:\n  - {id: Bad Id, label: A, kind: manual}\n"
        "  - {id: b, label: B, kind: nope}\n"
    )
    with pytest.raises(RuleSetError) as error:
        parse_rule_set(source)
    assert [p.line for p in error.value.problems] == [3, 4]

"""The rule-set format: precise errors, and the shipped presets."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.requirements.ruleset import RuleSetError, missing_sources, parse_rule_set

PRESETS = sorted(Path(__file__).resolve().parents[2].joinpath("curriculum", "programmes").glob("*.yaml"))


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.name)
def test_every_preset_parses(path):
    rule_set = parse_rule_set(path.read_text())
    assert rule_set.requirements


def test_the_presets_include_the_pathways_and_the_course_completion():
    assert {p.stem for p in PRESETS} >= {
        "uk-style",
        "anz-style",
        "course-completion",
        "ibf-baseline",
        "hungary",
        "poland",
        "italy",
        "participant-de",
    }


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.name)
def test_every_preset_requirement_cites_its_source(path):
    rule_set = parse_rule_set(path.read_text())
    assert missing_sources(rule_set) == []
    assert all(r.source.strip() for r in rule_set.walk())


def test_a_part_without_a_source_takes_its_parents_and_its_own_wins():
    rule_set = parse_rule_set(
        "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: any_of\n"
        "    source: 'Society 2020 §1'\n    requirements:\n"
        "      - {id: b, label: B, kind: manual}\n"
        "      - {id: c, label: C, kind: manual, source: 'Society 2020 §2'}\n"
        "  - {id: d, label: D, kind: manual}\n"
    )
    sources = {r.id: r.source for r in rule_set.walk()}
    assert sources == {"a": "Society 2020 §1", "b": "Society 2020 §1", "c": "Society 2020 §2", "d": ""}
    assert [(p.line, "'d'" in p.message) for p in missing_sources(rule_set)] == [(10, True)]


def test_a_source_must_be_text():
    with pytest.raises(RuleSetError) as error:
        parse_rule_set("title: T\nrequirements:\n  - {id: a, label: A, kind: manual, source: ''}\n")
    assert "source is the published line" in error.value.problems[0].message


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
        # issue 12's shapes
        (
            "title: T\nunits:\n  double_session: 90\n  hours: 45\nrequirements:\n"
            "  - {id: a, label: A, kind: manual}\n",
            4,
            "unit name 'hours' is built in",
        ),
        (
            "title: T\nunits:\n  teaching_hour: 0\nrequirements:\n  - {id: a, label: A, kind: manual}\n",
            3,
            "teaching_hour: its length is a positive whole number of minutes",
        ),
        (
            "title: T\nunits: {double_session: 90}\nrequirements:\n  - id: a\n    label: A\n"
            "    kind: total\n    records: observations\n    at_least: {double_session: 3}\n",
            8,
            "observations have no length in minutes",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: events\n"
            "    at_least: {double_session: 3}\n",
            7,
            "events cannot be measured in 'double_session'; use records, days, minutes, hours "
            "(or a unit declared under 'units')",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: events\n"
            "    where:\n      event_kind: intensive\n      days: {at_leest: 4}\n    at_least: 1\n",
            9,
            "days: use at_least, more_than, at_most, less_than, between, one_of, not 'at_leest'",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: sessions\n"
            "    where:\n      mode: {at_least: 2}\n    at_least: 1\n",
            8,
            "mode is not a number: compare only minutes, cases",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: sessions\n"
            "    where:\n      minutes: {at_least: 60, more_than: 60}\n    at_least: 1\n",
            8,
            "at_least (inclusive) or more_than (strict), not both",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: sessions\n"
            "    where:\n      minutes: {between: [120, 60]}\n    at_least: 1\n",
            8,
            "between takes [low, high]",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: total\n    records: sessions\n"
            "    where:\n      minutes: sixty\n    at_least: 1\n",
            8,
            "minutes is a number, not 'sixty'",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: share\n    records: events\n"
            "    numerator: {event_kind: seminar}\n    at_most: 0.5\n    less_than: 0.5\n",
            9,
            "at_most (inclusive) or less_than (strict), not both",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: rate\n    records: sessions\n"
            "    per: month\n    at_least: 1\n    periods: 24\n    run: 24\n",
            10,
            "not both",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: rate\n    records: sessions\n"
            "    per: month\n    at_least: 1\n    run: 0\n",
            9,
            "run must be a positive whole number",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: elapsed\n    since: society\n"
            "    years: 2\n",
            6,
            "since must be enrolment_start, qualification, membership or {qualification: <kind>}",
        ),
        (
            "title: T\nrequirements:\n  - id: a\n    label: A\n    kind: elapsed\n    since: qualification\n"
            "    years: 2\n    months: 3\n",
            3,
            "needs years or months (one of them)",
        ),
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


def test_the_new_shapes_parse_as_documented():
    rule_set = parse_rule_set(
        """
title: T
units: {double_session: 90, teaching_hour: 45}
requirements:
  - id: seminars
    label: Seminars
    kind: total
    records: events
    where: {event_kind: seminar, days: {between: [1, 3]}, provider: {one_of: [a, b]}}
    at_least: {double_session: 30}
  - {id: c, label: C, kind: share, records: sessions, numerator: {group_kind: study-conference},
     measure: teaching_hour, less_than: 0.5}
  - {id: r, label: R, kind: rate, records: sessions, per: month, at_least: 1, run: 24}
  - {id: e, label: E, kind: elapsed, since: qualification, years: 3}
"""
    )
    seminars, conferences, monthly, elapsed = rule_set.requirements
    assert rule_set.units == (("double_session", 90), ("teaching_hour", 45))
    assert seminars.units == (("double_session", 90),)
    where = dict(seminars.where)
    assert (where["days"].low, where["days"].high) == (1, 3) and where["provider"] == {"a", "b"}
    assert (
        conferences.less_than and conferences.at_most == 0.5 and conferences.units == (("teaching_hour", 45),)
    )
    assert (monthly.run, monthly.periods) == (24, None)
    assert (elapsed.since, elapsed.months) == ("qualification", 36)


def test_the_readme_examples_of_the_new_shapes_parse():
    readme = PRESETS[0].parent / "README.md"
    blocks = readme.read_text().split("```yaml\n")[1:]
    examples = [block.split("```")[0] for block in blocks if "  - id:" in block and "..." not in block]
    assert len(examples) >= 5
    for example in examples:
        if example.startswith("title:"):  # a whole rule set
            assert parse_rule_set(example).requirements
            continue
        body = example if example.startswith("units:") else "requirements:\n" + example
        if "units:" not in body:
            body = "units: {double_session: 90, teaching_hour: 45}\n" + body
        assert parse_rule_set("title: T\n" + body).requirements


def test_ruleset_check_prints_each_new_shape_problem_with_its_line(app, tmp_path):
    path = tmp_path / "society.yaml"
    path.write_text(
        "title: T\n"
        "units: {double_session: 90}\n"
        "requirements:\n"
        "  - id: intensive\n"
        "    label: An intensive of at least 4 days\n"
        "    kind: total\n"
        "    records: events\n"
        "    where:\n"
        "      days: {atleast: 4}\n"
        "    at_least: {double_sessions: 2}\n"
        "  - {id: conferences, label: C, kind: share, records: sessions,\n"
        "     numerator: {group_kind: study-conference}, at_most: 0.5, less_than: 0.5}\n"
        "  - {id: run, label: R, kind: rate, records: sessions, per: month, at_least: 1, run: 2.5}\n"
    )
    result = app.test_cli_runner().invoke(args=["ruleset", "check", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:9: days: use at_least, more_than, at_most, less_than, between, one_of, not 'atleast'",
        f"{path}:10: events cannot be measured in 'double_sessions'; use records, days, minutes, hours, "
        "double_session (or a unit declared under 'units')",
        f"{path}:12: a share takes at_most (inclusive) or less_than (strict), not both",
        f"{path}:13: run must be a positive whole number",
    ]


def test_ruleset_check_requires_a_source_on_presets_and_warns_elsewhere(app, tmp_path):
    body = (
        "title: T\nrequirements:\n"
        "  - {id: cited, label: C, kind: manual, source: 'Society 2020 §1'}\n"
        "  - {id: uncited, label: U, kind: manual}\n"
    )
    elsewhere = tmp_path / "society.yaml"
    elsewhere.write_text(body)
    result = app.test_cli_runner().invoke(args=["ruleset", "check", str(elsewhere)])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith(
        f"{elsewhere}:4: warning: requirement 'uncited' has no source"
    )

    preset = tmp_path / "curriculum" / "programmes" / "society.yaml"
    preset.parent.mkdir(parents=True)
    preset.write_text(body)
    result = app.test_cli_runner().invoke(args=["ruleset", "check", str(preset)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{preset}:4: requirement 'uncited' has no source: cite the published line it encodes "
        '(or "Stillpoint: ..." for an addition of our own)'
    ]


def test_count_imported_defaults_to_true_and_a_requirement_may_override_it():
    readme = (PRESETS[0].parent / "README.md").read_text()
    example = readme.split("### Imported earlier training")[1].split("```yaml\n")[1].split("```")[0]
    rule_set = parse_rule_set(example)
    assert rule_set.count_imported is True
    assert {r.id: r.count_imported for r in rule_set.walk()} == {"sessions": True, "led": False}
    refusing = parse_rule_set(example.replace("count_imported: true", "count_imported: false"))
    assert {r.id: r.count_imported for r in refusing.walk()} == {"sessions": False, "led": False}
    plain = parse_rule_set(
        "title: T\nrequirements:\n  - {id: a, label: A, kind: total, records: sessions, at_least: 1}\n"
    )
    assert plain.count_imported is True and plain.requirements[0].count_imported is True


def test_ruleset_check_refuses_a_count_imported_that_is_not_true_or_false(app, tmp_path):
    path = tmp_path / "society.yaml"
    path.write_text(
        "title: T\n"
        "count_imported: sometimes\n"
        "requirements:\n"
        "  - id: a\n"
        "    label: A\n"
        "    kind: total\n"
        "    records: sessions\n"
        "    count_imported: 1\n"
        "    at_least: 3\n"
    )
    result = app.test_cli_runner().invoke(args=["ruleset", "check", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}:2: count_imported must be true or false",
        f"{path}:8: count_imported must be true or false",
    ]

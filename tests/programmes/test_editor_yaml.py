"""The editor's YAML: presets serialize and parse back to the same rule set; edited
documents keep the parser's verdict beside the requirement it concerns."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.programmes.editor import document, kinds
from app.programmes.editor.serialize import to_yaml, without_lines
from app.programmes.editor.values import Values, from_form, from_requirement, to_requirement
from app.requirements.ruleset import parse_rule_set

PRESETS = sorted((Path(__file__).resolve().parents[2] / "curriculum" / "programmes").glob("*.yaml"))


@pytest.mark.parametrize("path", PRESETS, ids=[path.stem for path in PRESETS])
def test_every_preset_serializes_and_parses_back_to_an_equal_rule_set(path):
    rule_set = parse_rule_set(path.read_text(encoding="utf-8"))
    again = parse_rule_set(to_yaml(rule_set))
    assert without_lines(again) == without_lines(rule_set)


def test_there_are_presets_to_round_trip():
    assert len(PRESETS) >= 8


@pytest.mark.parametrize("path", PRESETS, ids=[path.stem for path in PRESETS])
def test_every_preset_survives_the_forms_unchanged(path):
    """Each requirement shown in the form and read back gives the same rule set."""
    tree = document.load(path.read_text(encoding="utf-8"))
    before = parse_rule_set(document.dump(tree))

    def visit(items, prefix):
        for index, item in enumerate(items):
            here = f"{prefix}{index}"
            values = from_form(_as_posted(from_requirement(item)))
            edited = to_requirement(values, item["kind"], keep=item)
            assert not values.errors, (here, values.errors)
            document.put(tree, here, None, edited)
            visit(document.get(tree, here).get("requirements", []), f"{here}.")

    visit(tree["requirements"], "")
    assert without_lines(parse_rule_set(document.dump(tree))) == without_lines(before)


def _as_posted(values: Values) -> dict[str, str]:
    """What a browser posts for these values."""
    posted = {}
    for key, text in values.text.items():
        if key in (*kinds.HEAD, *kinds.INHERITED, "kind") or key.startswith(("window.", "when.")):
            posted[key] = text
        else:
            posted[f"f.{key}"] = text
    for section, rows in values.filters.items():
        for index, row in enumerate(rows):
            posted.update(
                {
                    f"{section}-{index}-field": row.field,
                    f"{section}-{index}-cmp": row.cmp,
                    f"{section}-{index}-value": row.value,
                }
            )
    return posted


def test_a_problem_is_placed_beside_its_requirement_and_field():
    tree = document.load(
        "title: T\nrequirements:\n"
        "  - {id: a, label: A, kind: module, min_score: 80}\n"
        "  - {id: b, label: B, kind: total, records: sessions, at_least: -1}\n"
    )
    checked = document.check(tree)
    assert not checked.is_valid
    assert checked.row("0").problems == []
    assert list(checked.row("1").field_problems) == ["at_least"]
    assert "positive number" in checked.row("1").field_problems["at_least"][0]


def test_an_empty_combinator_does_not_block_saving_it():
    tree = {"title": "T", "requirements": [{"id": "x", "label": "X", "kind": "any_of", "requirements": []}]}
    row = document.check(tree).row("0")
    assert row.problems and row.blocking == []


def test_filters_windows_and_mappings_read_from_the_form():
    values = from_form(
        {
            "id": "co",
            "label": "Co-led",
            "kind": "total",
            "f.records": "sessions",
            "f.at_least": "hours: 30, records: 12",
            "where-0-field": "role",
            "where-0-cmp": "is",
            "where-0-value": "co-leader, leader",
            "where-1-field": "minutes",
            "where-1-cmp": "at_least",
            "where-1-value": "60",
            "where-2-field": "minutes",
            "where-2-cmp": "less_than",
            "where-2-value": "180",
            "window.after": "enrolment_start",
            "window.before": "2030-01-31",
        }
    )
    requirement = to_requirement(values, "total")
    assert not values.errors
    assert requirement["at_least"] == {"hours": 30, "records": 12}
    assert requirement["where"] == {
        "role": ["co-leader", "leader"],
        "minutes": {"at_least": 60, "less_than": 180},
    }
    assert requirement["window"]["after"] == "enrolment_start"
    parse_rule_set(document.dump({"title": "T", "requirements": [requirement]}))


def test_a_value_yaml_cannot_read_is_an_error_on_its_field_and_keeps_the_text():
    values = from_form({"id": "m", "label": "M", "kind": "module", "f.min_score": "[80"})
    to_requirement(values, "module")
    assert values.errors["min_score"]
    assert values.get("min_score") == "[80"


def test_every_kind_of_the_parser_has_a_form():
    for kind in kinds.kinds():
        required, _optional = kinds.BY_KIND[kind]
        shown = {spec.key for spec in kinds.fields_for(kind, "sessions")}
        assert required - kinds.STRUCTURED <= shown, kind


def test_keys_no_field_shows_survive_an_edit():
    """A key the form has no field for (one another engineer adds to the parser later)
    is kept as stored, and a window bound the editor does not know gets a field."""
    stored = {
        "id": "x",
        "label": "X",
        "kind": "total",
        "records": "sessions",
        "at_least": 2,
        "window": {"after": "enrolment_start", "within_months_before": 24},
        "count_unsigned": True,
    }
    values = from_requirement(stored)
    assert values.get("window.within_months_before") == "24"
    posted = from_form(_as_posted(values))
    edited = to_requirement(posted, "total", keep=stored)
    assert edited["window"] == {"after": "enrolment_start", "within_months_before": 24}
    assert edited["count_unsigned"] is True


def test_a_key_every_kind_takes_gets_a_field_when_the_parser_adds_one(monkeypatch):
    monkeypatch.setattr(kinds, "COMMON", {*kinds.COMMON, "exclusive_with"})
    assert "exclusive_with" in {spec.key for spec in kinds.fields_for("module")}

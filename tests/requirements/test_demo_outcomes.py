"""The course-completion preset against the demo trainees, whose outcomes are known."""

from __future__ import annotations

import json


def progress_json(app, email: str) -> dict:
    result = app.test_cli_runner().invoke(args=["progress", email, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)[0]


def test_demo_trainees_stand_where_the_demo_says(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    ready = progress_json(app, "ready@demo.test")
    assert ready["is_ready"] is True
    assert [r["status"] for r in ready["requirements"]] == ["met", "met", "met"]

    half_way = progress_json(app, "trainee3@demo.test")
    assert half_way["is_ready"] is False
    module, reflections, sessions = half_way["requirements"]
    assert module["missing"] == "Best final test score is 55%; at least 80% is needed."
    assert (reflections["current"], reflections["required"]) == (3, 4)
    assert sessions["status"] == "not_met"
    assert all(reason["reason"] != "" for reason in sessions["excluded"])

    just_started = progress_json(app, "trainee2@demo.test")
    assert just_started["is_ready"] is False
    assert just_started["requirements"][0]["missing"] == "Pass the module's final test with at least 80%."

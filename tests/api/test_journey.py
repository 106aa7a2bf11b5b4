"""The whole journey through the API alone: an association's own system creates a
programme and enrols a trainee; the trainee studies, reflects and logs; the supervisor
reviews, signs and reports; the admin issues the certificate; anyone verifies it.

Nothing here touches the database or the services directly: the client knows only
the API. (The test reads the curriculum to answer the final test correctly, as a
trainee who read the lessons would.)
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from app.content.curriculum import get_curriculum
from tests.api.matrix import build_scene

PROGRAMME_YAML = """\
title: "Leadership, API pathway"
competencies:
  - id: safe-frame
    label: "Keeps the frame safe"
  - id: relationship-focus
    label: "Keeps the focus on the relationship"
requirements:
  - id: module
    label: "Mentalization module passed"
    kind: module
    min_score: 80
  - id: reflections
    label: "Accepted vignette reflections"
    kind: reflections
    at_least: 1
  - id: co-led
    label: "Co-led sessions"
    kind: total
    records: sessions
    where:
      role: co-leader
    at_least: 2
  - id: report
    label: "Supervisor's report recommending accreditation"
    kind: report
    recommendation: ready
    min_rating: 3
"""


def _right_answers(attempt: dict) -> dict:
    """What a trainee who read the lessons would answer, in the API's answer shape."""
    questions = get_curriculum().questions_by_id
    answers = {}
    for shown in attempt["questions"]:
        question = questions[shown["id"]]
        if shown["kind"] == "classify":
            dimension, pole = question.answer
            assert pole in shown["dimensions"][dimension]
            answers[shown["id"]] = {"dimension": dimension, "pole": pole}
        else:
            answers[shown["id"]] = {"options": sorted(question.correct_options)}
    return answers


def _reflection(vignette: dict) -> dict:
    answers = {}
    for exercise in vignette["exercises"]:
        entry = {"text": "The presenter seemed pulled into certainty; the group slowed the story down."}
        if exercise["rating_dimensions"]:
            entry["ratings"] = dict.fromkeys(exercise["rating_dimensions"], 1)
        if exercise["options"]:
            entry["choice"] = exercise["options"][0]["id"]
        answers[exercise["id"]] = entry
    return {"answers": answers}


def _session(enrolment_id: int, co_leader_id: int, days_ago: int) -> dict:
    return {
        "enrolment_id": enrolment_id,
        "occurred_on": (date.today() - timedelta(days=days_ago)).isoformat(),
        "role": "co-leader",
        "minutes": 90,
        "mode": "in-person",
        "group_kind": "ongoing",
        "setting_category": "primary-care",
        "members": 8,
        "cases": 1,
        "co_leader_id": co_leader_id,
        "phases": ["opening", "presentation", "questions", "push-back", "return"],
        "reflection": "I noticed I wanted to rescue the presenter and held back.",
        "submit": True,
    }


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json() if response.mimetype == "application/json" else {}


def test_enrol_learn_reflect_log_sign_report_certify_and_verify_through_the_api(api, world, client):
    # The association's system sets up a programme and enrols the trainee.
    programme = _ok(
        api.post(
            "/programmes",
            {"slug": "api-pathway", "title": "Leadership, API pathway", "source_yaml": PROGRAMME_YAML},
            as_="admin",
        ),
        201,
    )
    enrolment = _ok(
        api.post(
            "/enrolments",
            {
                "trainee_id": world.trainee2.id,
                "programme_id": programme["id"],
                "supervisor_ids": [world.supervisor.id],
                "started_on": (date.today() - timedelta(days=200)).isoformat(),
            },
            as_="admin",
        ),
        201,
    )
    enrolment_id = enrolment["id"]
    start = _ok(api.get(f"/enrolments/{enrolment_id}/progress", as_="trainee2"))
    assert start["is_ready"] is False
    assert {o["requirement_id"]: o["status"] for o in start["outcomes"]} == dict.fromkeys(
        ["module", "reflections", "co-led", "report"], "not_met"
    )

    # The trainee reads every lesson and passes the final test.
    for lesson in _ok(api.get("/lessons", as_="trainee2"))["items"]:
        assert _ok(api.get(f"/lessons/{lesson['slug']}", as_="trainee2"))["body_markdown"]
        _ok(api.post(f"/lessons/{lesson['slug']}/completion", as_="trainee2"), 201)
    attempt = _ok(api.post("/attempts", {"kind": "final"}, as_="trainee2"), 201)
    assert attempt["questions"] and all(q["prompt"] for q in attempt["questions"])
    scored = _ok(
        api.post(f"/attempts/{attempt['id']}/answers", {"answers": _right_answers(attempt)}, as_="trainee2")
    )
    assert scored["is_passed"] is True and scored["score_percent"] == 100

    # ... reflects on a vignette, which the supervisor accepts.
    slug = _ok(api.get("/vignettes", as_="trainee2"))["items"][0]["slug"]
    vignette = _ok(api.get(f"/vignettes/{slug}", as_="trainee2"))
    reflection = _ok(api.post(f"/vignettes/{slug}/submission", _reflection(vignette), as_="trainee2"), 201)
    assert reflection["status"] == "submitted"
    waiting = _ok(api.get("/reviews/pending", as_="supervisor"))["items"]
    assert [item["id"] for item in waiting] == [reflection["id"]]
    _ok(
        api.post(
            f"/reflections/{reflection['id']}/review",
            {"decision": "accepted", "overall_comment": "Careful attention to the presenter's feelings."},
            as_="supervisor",
        ),
        201,
    )

    # ... logs two co-led sessions; the co-leader confirms one, and the supervisor, whose
    # accreditation the admin records, signs both.
    logged = [
        _ok(
            api.post("/records/sessions", _session(enrolment_id, world.supervisor2.id, days), as_="trainee2"),
            201,
        )
        for days in (30, 16)
    ]
    assert {record["status"] for record in logged} == {"submitted"}
    pending = _ok(api.get("/confirmations/pending", as_="supervisor2"))["items"]
    assert {item["record_id"] for item in pending} == {record["id"] for record in logged}
    _ok(api.post(f"/records/{logged[0]['id']}/confirmation", as_="supervisor2"), 201)
    accreditation = {"supervisor_id": world.supervisor.id, "valid_from": "2020-01-01"}
    _ok(api.post("/accreditations", accreditation, as_="admin"), 201)
    queue = _ok(api.get("/sign-off-queue", as_="supervisor", query_string={"enrolment_id": enrolment_id}))
    assert [record["id"] for record in queue["items"]] == [record["id"] for record in logged]
    signed = _ok(api.post("/records/signatures", {"record_ids": [r["id"] for r in logged]}, as_="supervisor"))
    assert all(item["is_signed"] for item in signed["items"]), signed

    # ... and the supervisor writes, then signs, a final report recommending accreditation.
    report = _ok(
        api.post(
            f"/enrolments/{enrolment_id}/reports",
            {
                "kind": "final",
                "period_end": date.today().isoformat(),
                "ratings": {"safe-frame": 4, "relationship-focus": 3},
                "narrative": "Holds the frame calmly and keeps the group with the relationship.",
                "recommendation": "ready",
            },
            as_="supervisor",
        ),
        201,
    )
    assert _ok(api.post(f"/reports/{report['id']}/signature", as_="supervisor"))["status"] == "signed"

    # Every requirement is now met.
    progress = _ok(api.get(f"/enrolments/{enrolment_id}/progress", as_="trainee2"))
    assert progress["is_ready"] is True, progress["outcomes"]
    assert {o["status"] for o in progress["outcomes"]} == {"met"}

    # The admin issues the certificate; its PDF is the one its hash names.
    certificate = _ok(api.post("/certificates", {"enrolment_id": enrolment_id}, as_="admin"), 201)
    pdf = api.get(f"/certificates/{certificate['id']}/pdf", as_="trainee2")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert hashlib.sha256(pdf.data).hexdigest() == certificate["pdf_sha256"]
    mine = _ok(api.get("/certificates", as_="trainee2"))["items"]
    assert [item["serial"] for item in mine] == [certificate["serial"]]

    # Anyone can verify it, without a token.
    verified = _ok(client.get(f"/api/v1/verify/{certificate['serial']}"))
    assert verified["status"] == "valid"
    assert verified["programme_title"] == "Leadership, API pathway"
    assert verified["holder_name"] == certificate["holder_name"]


def test_a_revoked_certificate_is_filtered_as_revoked_and_verifies_as_revoked(api, world, client):
    scene = build_scene(world)
    revoked = api.post(
        f"/certificates/{scene.certificate}/revocation", {"reason": "Issued in error."}, as_="admin"
    )
    assert _ok(revoked)["state"] == "revoked"
    by_state = {
        state: [
            c["id"]
            for c in _ok(api.get("/certificates", as_="admin", query_string={"state": state}))["items"]
        ]
        for state in ("valid", "revoked")
    }
    assert by_state == {"valid": [], "revoked": [scene.certificate]}
    assert _ok(client.get(f"/api/v1/verify/{scene.serial}"))["status"] == "revoked"
    again = api.post(f"/certificates/{scene.certificate}/revocation", {"reason": "Twice."}, as_="admin")
    assert again.status_code == 409

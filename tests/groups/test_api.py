"""The groups API: a leader plans, records attendance (twice, harmlessly) and closes; others read or are refused."""

from __future__ import annotations

from app.database import utcnow


def test_a_leader_plans_takes_attendance_and_closes_through_the_api(world, scene, api):
    g = scene.group.id
    body = {
        "held_on": utcnow().date().isoformat(),
        "starts_at": "18:30",
        "planned_minutes": 90,
        "mode": "online",
    }
    assert api.post(f"/groups/{g}/sessions", body, as_="supervisor").status_code == 403
    planned = api.post(f"/groups/{g}/sessions", body, as_="trainee")
    assert planned.status_code == 201, planned.get_json()
    s = planned.get_json()["id"]
    marks = {"marks": [{"member_id": scene.guest.id, "is_present": True, "is_online": True}]}
    for _ in range(2):
        reply = api.send("PUT", f"/group-sessions/{s}/attendance", marks, as_="trainee")
        assert reply.status_code == 200
    assert reply.get_json()["attendance"] == [
        {"member_id": scene.guest.id, "is_present": True, "is_online": True}
    ]
    closed = api.post(f"/group-sessions/{s}/closure", {"cases": 1, "minutes": 80}, as_="trainee")
    assert closed.status_code == 200, closed.get_json()
    written = {item["role"]: item["record_id"] for item in closed.get_json()["written"]}
    assert set(written) == {"leader", "co-leader"} and all(written.values())
    assert (
        api.post(f"/group-sessions/{s}/closure", {"cases": 1, "minutes": 80}, as_="trainee").status_code
        == 409
    )
    read = api.get(f"/group-sessions/{s}", as_="supervisor2")  # supervises the co-leader
    assert read.status_code == 200 and read.get_json()["status"] == "closed"
    assert api.get(f"/group-sessions/{s}", as_="other_admin").status_code == 404
    listed = api.get("/groups", as_="supervisor").get_json()["items"]
    assert [item["id"] for item in listed] == [g]
    assert api.get("/groups", as_="supervisor2").get_json()["items"][0]["members"][0]["name"] == "Gus Guest"


def _closed_through_the_api(api, scene) -> int:
    body = {
        "held_on": utcnow().date().isoformat(),
        "starts_at": "09:00",
        "planned_minutes": 90,
        "mode": "in-person",
    }
    s = api.post(f"/groups/{scene.group.id}/sessions", body, as_="trainee").get_json()["id"]
    marks = {"marks": [{"member_id": scene.guest.id, "is_present": True}]}
    assert api.send("PUT", f"/group-sessions/{s}/attendance", marks, as_="trainee").status_code == 200
    assert (
        api.post(f"/group-sessions/{s}/closure", {"cases": 1, "minutes": 85}, as_="trainee").status_code
        == 200
    )
    return s


def test_co_leaders_give_each_other_feedback_through_the_api_once_and_only_after_closing(world, scene, api):
    body = {
        "held_on": utcnow().date().isoformat(),
        "starts_at": "08:00",
        "planned_minutes": 60,
        "mode": "online",
    }
    still_open = api.post(f"/groups/{scene.group.id}/sessions", body, as_="trainee").get_json()["id"]
    words = {"recipient_id": world.trainee.id, "ratings": {"C1": 4, "C7": None}, "went_well": "Calm timing."}
    assert (
        api.post(f"/group-sessions/{still_open}/co-leader-feedback", words, as_="trainee2").status_code == 409
    )
    s = _closed_through_the_api(api, scene)
    off_rubric = api.post(
        f"/group-sessions/{s}/co-leader-feedback", {**words, "ratings": {"C9": 3}}, as_="trainee2"
    )
    assert off_rubric.status_code == 422 and "rating_C9" in off_rubric.get_json()["error"]["fields"]
    given = api.post(f"/group-sessions/{s}/co-leader-feedback", words, as_="trainee2")
    assert given.status_code == 201, given.get_json()
    out = given.get_json()
    assert out["author"]["name"] == "Tilda Two" and out["recipient"]["id"] == world.trainee.id
    assert out["ratings"]["C1"] == 4 and out["ratings"]["C2"] is None
    again = api.post(f"/group-sessions/{s}/co-leader-feedback", words, as_="trainee2")
    assert again.status_code == 409
    # The recipient, the author's supervisor (supervisor2) and the recipient's read it; the admin does not.
    for reader in ("trainee", "trainee2", "supervisor", "supervisor2"):
        listed = api.get(f"/co-leader-feedback?session_id={s}", as_=reader).get_json()["items"]
        assert [item["id"] for item in listed] == [out["id"]], reader
        assert api.get(f"/co-leader-feedback/{out['id']}", as_=reader).status_code == 200
    assert api.get("/co-leader-feedback", as_="admin").get_json()["items"] == []
    assert api.get(f"/co-leader-feedback/{out['id']}", as_="admin").status_code == 404
    assert api.get(f"/co-leader-feedback/{out['id']}", as_="other_admin").status_code == 404


def test_an_observer_is_asked_and_signs_the_report_through_the_api(world, scene, api):
    from tests.logbook.fixtures import accredit

    s = _closed_through_the_api(api, scene)
    ask = {
        "trainee_id": world.trainee.id,
        "observer_id": world.supervisor2.id,
        "observer_status": "leader-trainer",
    }
    assert api.post(f"/group-sessions/{s}/observation-reports", ask, as_="supervisor").status_code == 403
    # The co-leader in training asks for themselves only.
    assert api.post(f"/group-sessions/{s}/observation-reports", ask, as_="trainee2").status_code == 422
    asked = api.post(f"/group-sessions/{s}/observation-reports", ask, as_="trainee")
    assert asked.status_code == 201, asked.get_json()
    report = asked.get_json()
    assert report["signed_at"] is None and report["observer"]["name"] == "Sara Second"
    assert api.post(f"/group-sessions/{s}/observation-reports", ask, as_="admin").status_code == 409
    rubric = {
        "ratings": {"C1": 4, "C3": 3},
        "evidence": {"C1": "Began and ended on time; named the frame."},
        "outcome": "satisfactory",
        "narrative": "Held the frame and kept the group with the relationship.",
    }
    path = f"/observation-reports/{report['id']}/signature"
    assert api.post(path, rubric, as_="trainee").status_code == 403
    assert api.post(path, rubric, as_="supervisor2").status_code == 409  # not accredited today
    accredit(world.supervisor2, world.association)
    signed = api.post(path, rubric, as_="supervisor2")
    assert signed.status_code == 200, signed.get_json()
    out = signed.get_json()
    assert out["outcome"] == "satisfactory" and out["signed_at"] and out["record_id"]
    assert out["evidence"]["C1"].startswith("Began") and out["ratings"]["C3"] == 3
    assert api.post(path, rubric, as_="supervisor2").status_code == 409  # signed is final
    record = api.get(f"/records/{out['record_id']}", as_="trainee").get_json()
    assert record["status"] == "signed"
    for reader in ("trainee", "supervisor", "supervisor2", "admin"):
        listed = api.get(f"/observation-reports?session_id={s}", as_=reader).get_json()["items"]
        assert [item["id"] for item in listed] == [out["id"]], reader
    assert api.get("/observation-reports", as_="trainee2").get_json()["items"] == []
    assert api.get(f"/observation-reports/{out['id']}", as_="other_admin").status_code == 404


def test_a_session_s_start_time_is_what_the_openapi_document_says(world, scene, api, client):
    """Found by the fuzz test: ``starts_at`` was documented as a JSON Schema "time",
    which is RFC 3339's full time with an offset ("18:30:00Z"), while a session starts
    at a local time of day without one ("18:30:00"). Clients generated from the document
    would reject every session. Checked both ways: what the API returns and what it
    accepts must both fit the documented schema, formats included."""
    import jsonschema_rs

    body = {
        "held_on": utcnow().date().isoformat(),
        "starts_at": "18:30",
        "planned_minutes": 90,
        "mode": "online",
    }
    planned = api.post(f"/groups/{scene.group.id}/sessions", body, as_="trainee")
    assert planned.status_code == 201, planned.get_json()
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    returned = jsonschema_rs.validator_for(
        schemas["GroupSessionOut"]["properties"]["starts_at"], validate_formats=True
    )
    accepted = jsonschema_rs.validator_for(
        schemas["GroupSessionIn"]["properties"]["starts_at"], validate_formats=True
    )
    assert returned.is_valid(planned.get_json()["starts_at"]), planned.get_json()["starts_at"]
    assert accepted.is_valid("18:30") and accepted.is_valid("18:30:00")
    assert not accepted.is_valid("25:00") and not accepted.is_valid("6pm")
    # What the pattern refuses, the API refuses too (a number of seconds, a fraction, a zone).
    for refused in (66600.5, "18:30:00.5", "18:30Z", "24:00"):
        answer = api.post(f"/groups/{scene.group.id}/sessions", {**body, "starts_at": refused}, as_="trainee")
        assert answer.status_code == 422, (refused, answer.get_json())

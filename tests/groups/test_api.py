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

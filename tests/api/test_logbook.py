"""Logbook records through the API: each kind, editing a draft, and what a record's
state forbids (the same rules as the pages, from the same services)."""

from __future__ import annotations

from tests.logbook.fixtures import accredit


def _session(enrolment_id: int, **changes) -> dict:
    body = {
        "enrolment_id": enrolment_id,
        "occurred_on": "2025-03-04",
        "role": "member",
        "minutes": 90,
        "mode": "online",
        "group_kind": "ongoing",
        "setting_category": "hospital",
        "members": 7,
        "cases": 2,
    }
    return {**body, **changes}


def test_a_draft_is_changed_then_submitted_and_then_no_longer_changes(api, world):
    e = world.enrolment.id
    created = api.post("/records/sessions", _session(e), as_="trainee")
    assert created.status_code == 201
    record = created.get_json()
    assert record["status"] == "draft" and record["details"]["members"] == 7

    changed = api.send("PUT", f"/records/sessions/{record['id']}", _session(e, members=9), as_="trainee")
    assert changed.status_code == 200 and changed.get_json()["details"]["members"] == 9

    moved = api.send("PUT", f"/records/sessions/{record['id']}", _session(e + 1000), as_="trainee")
    assert moved.status_code == 422 and "enrolment_id" in moved.get_json()["error"]["fields"]

    assert api.post(f"/records/{record['id']}/submission", as_="trainee").get_json()["status"] == "submitted"
    late = api.send("PUT", f"/records/sessions/{record['id']}", _session(e, members=3), as_="trainee")
    assert late.status_code == 409
    assert api.send("DELETE", f"/records/{record['id']}", as_="trainee").status_code == 409
    assert api.get(f"/records/{record['id']}", as_="trainee").get_json()["details"]["members"] == 9


def test_supervision_events_and_observations_are_logged_by_the_right_people(api, world):
    accredit(world.supervisor, world.association)
    e = world.enrolment.id
    supervision = api.post(
        "/records/supervision",
        {
            "enrolment_id": e,
            "occurred_on": "2025-03-10",
            "minutes": 60,
            "mode": "individual",
            "channel": "online",
            "supervisor_id": world.supervisor.id,
            "submit": True,
        },
        as_="trainee",
    )
    assert supervision.status_code == 201 and supervision.get_json()["status"] == "submitted"
    event = api.post(
        "/records/events",
        {
            "enrolment_id": e,
            "event_kind": "leadership-workshop",
            "title": "Leadership weekend",
            "provider": "Balint Society",
            "starts_on": "2025-02-07",
            "ends_on": "2025-02-08",
            "days": 2,
        },
        as_="trainee",
    )
    assert event.status_code == 201 and event.get_json()["details"]["days"] == 2
    observation = {
        "enrolment_id": e,
        "occurred_on": "2025-04-01",
        "setting": "Ongoing group",
        "outcome": "satisfactory",
        "report": "Kept the focus on the relationship and protected the presenter.",
    }
    assert api.post("/records/observations", observation, as_="trainee").status_code == 403
    observed = api.post("/records/observations", observation, as_="supervisor")
    assert (
        observed.status_code == 201 and observed.get_json()["details"]["observer_id"] == world.supervisor.id
    )

    queue = api.get("/sign-off-queue", as_="supervisor", query_string={"kind": "supervision"}).get_json()
    assert [item["id"] for item in queue["items"]] == [supervision.get_json()["id"]]
    signed = api.post(f"/records/{supervision.get_json()['id']}/signature", as_="supervisor")
    assert signed.status_code == 200 and signed.get_json()["status"] == "signed"
    kinds = api.get(f"/enrolments/{e}/records", as_="trainee", query_string={"status": "signed"}).get_json()
    assert [item["kind"] for item in kinds["items"]] == ["supervision"]


def test_an_imported_record_says_so_and_names_the_attesting_admin(api, world):
    from app.extensions import db
    from app.imports import training
    from app.logbook.uploads import Upload

    text = "email,programme,kind,date,minutes,role,members\ntrainee@x.test,leaders,session,2023-03-12,90,member,8\n"
    training.apply(world.admin, world.association.id, "t.csv", text.encode(), Upload("l.pdf", b"%PDF-1.4\n"))
    db.session.commit()
    listed = api.get(f"/enrolments/{world.enrolment.id}/records", as_="trainee")
    assert listed.status_code == 200, listed.get_data(as_text=True)
    (record,) = listed.get_json()["items"]
    assert record["is_imported"] is True and record["status"] == "signed"
    assert record["signer_id"] == world.admin.id
    one = api.get(f"/records/{record['id']}", as_="trainee").get_json()
    assert one["is_imported"] is True

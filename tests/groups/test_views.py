"""The pages: an admin creates a group; a leader plans, runs (plain forms and the script's JSON) and closes."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.groups.models import Group, GroupSession
from app.logbook.models import SessionRecord
from tests.groups.conftest import plan
from tests.helpers import csrf_token_in


def test_admin_creates_a_group_with_its_leaders(world, client):
    client.login("admin@x.test")
    response = client.submit(
        "/groups/new",
        {
            "name": "Hospital group",
            "setting_category": "hospital",
            "format": "online",
            "kind": "weekend",
            "rhythm": "block",
            "starts_on": "2025-05-01",
            "leader_id": str(world.trainee.id),
            "co_leader_id": str(world.supervisor.id),
            "is_co_leader_accredited": "y",
        },
    )
    assert response.status_code == 302
    group = db.session.scalar(sa.select(Group))
    assert [(leader.role, leader.is_accredited) for leader in group.leaders] == [
        ("leader", False),
        ("co-leader", True),
    ]
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Hospital group" in page and "Tomas Trainee" in page


def test_the_leader_runs_a_session_with_plain_forms_and_with_the_scripts_replays(world, scene, client):
    session = plan(world, scene.group, held_on=utcnow().date())
    db.session.commit()
    client.login("trainee@x.test")
    run = f"/groups/sessions/{session.id}/run"
    html = client.get(run).get_data(as_text=True)
    assert "Ground rules and briefing" in html and "No case content is recorded" in html
    token = csrf_token_in(html)
    as_json = {"Accept": "application/json"}
    at = (utcnow() - timedelta(minutes=80)).isoformat()
    for _ in range(2):  # the script replays what it could not confirm: no harm done
        reply = client.post(
            f"{run[:-4]}/phase", data={"csrf_token": token, "phase": "opening", "at": at}, headers=as_json
        )
        assert reply.get_json() == {"ok": True}
    reply = client.post(f"{run[:-4]}/briefing", data={"csrf_token": token, "version": "online"})
    assert reply.status_code == 302
    reply = client.post(
        f"{run[:-4]}/attendance",
        data={"csrf_token": token, f"m-{scene.guest.id}": "room", f"m-{scene.enrolled_member.id}": "absent"},
    )
    assert reply.status_code == 302
    refused = client.post(
        f"{run[:-4]}/phase", data={"csrf_token": token, "phase": "tea-break"}, headers=as_json
    )
    assert refused.status_code == 422 and "phase" in refused.get_json()["error"]["fields"]
    closed = client.post(
        f"{run[:-4]}/close", data={"csrf_token": token, "cases": "1", "minutes": "85", "confirm": "y"}
    )
    assert closed.status_code == 302
    db.session.expire_all()
    session = db.session.get(GroupSession, session.id)
    assert session.is_closed and session.briefing_version == "online"
    assert session.phases[0].started_at.isoformat() == at
    authors = {r.author_id: r.status for r in db.session.scalars(sa.select(SessionRecord))}
    assert authors == {world.trainee.id: "submitted", world.trainee2.id: "submitted"}
    assert client.get(run).status_code == 409
    assert "Logbook records written on closing" in client.get(f"/groups/sessions/{session.id}").get_data(
        as_text=True
    )

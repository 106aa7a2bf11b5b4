"""The API's twins of two leader pages: choosing a member's participant rule set, and
settling a member's "I was not there" (agree they were absent, or keep the record for a reason)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.database import utcnow
from app.extensions import db
from app.groups.models import AttendanceAnswer, GroupMember
from tests.groups.attendance_support import says_not_there

PRESETS = Path(__file__).resolve().parents[2] / "curriculum" / "programmes"


@pytest.fixture
def two_presets(app, tmp_path, monkeypatch):
    """The German rules, a second participant rule set, and a leader's preset (not offered)."""
    shutil.copy(PRESETS / "participant-de.yaml", tmp_path / "participant-de.yaml")
    shutil.copy(PRESETS / "uk-style.yaml", tmp_path / "uk-style.yaml")
    (tmp_path / "participant-short.yaml").write_text(
        "title: Two sessions in person\nrequirements:\n"
        "  - {id: two, label: Two sessions, kind: total, records: attendance,"
        " where: {mode: in-person}, at_least: 2, source: 'Stillpoint: an example'}\n"
    )
    monkeypatch.setitem(app.config, "PROGRAMME_PRESETS_DIR", str(tmp_path))


def _audited(action: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == action))


def test_a_leader_chooses_a_members_rule_set_through_the_api(world, scene, api, two_presets):
    offered = api.get("/participant-rule-sets", as_="supervisor")
    assert offered.status_code == 200
    items = offered.get_json()["items"]
    assert [item["name"] for item in items] == ["participant-de", "participant-short"]  # default first
    assert items[1]["title"] == "Two sessions in person"
    path = f"/groups/{scene.group.id}/members/{scene.guest.id}/rule-set"
    short = {"rule_set": "participant-short"}
    assert api.send("PUT", path, short, as_="supervisor").status_code == 403  # reads the group, no more
    assert api.send("PUT", path, short, as_="admin").status_code == 403
    assert api.send("PUT", path, short, as_="other_admin").status_code == 404
    not_offered = api.send("PUT", path, {"rule_set": "uk-style"}, as_="trainee")
    assert not_offered.status_code == 422 and "rule_set" in not_offered.get_json()["error"]["fields"]
    other_group_member = f"/groups/{scene.group.id}/members/{scene.guest.id + 1000}/rule-set"
    assert api.send("PUT", other_group_member, short, as_="trainee").status_code == 404

    for leader in ("trainee", "trainee2"):  # the same choice twice changes nothing
        chosen = api.send("PUT", path, short, as_=leader)
        assert chosen.status_code == 200, chosen.get_json()
    assert chosen.get_json() == {
        "group_id": scene.group.id,
        "member_id": scene.guest.id,
        "name": "Gus Guest",
        "rule_set": "participant-short",
        "rule_set_title": "Two sessions in person",
    }
    assert _audited("group.member_rule_set_chosen") == 1
    db.session.expire_all()
    assert db.session.get(GroupMember, scene.guest.id).rule_set == "participant-short"
    members = api.get(f"/groups/{scene.group.id}", as_="trainee").get_json()["members"]
    assert {m["name"]: m["rule_set"] for m in members} == {
        "Mira Member": "participant-de",
        "Gus Guest": "participant-short",
    }


def _closed_with_the_guest_there(api, scene) -> int:
    body = {
        "held_on": utcnow().date().isoformat(),
        "starts_at": "09:00",
        "planned_minutes": 90,
        "mode": "in-person",
    }
    s = api.post(f"/groups/{scene.group.id}/sessions", body, as_="trainee").get_json()["id"]
    marks = {"marks": [{"member_id": scene.guest.id, "is_present": True}]}
    assert api.send("PUT", f"/group-sessions/{s}/attendance", marks, as_="trainee").status_code == 200
    closed = api.post(f"/group-sessions/{s}/closure", {"cases": 1, "minutes": 85}, as_="trainee")
    assert closed.status_code == 200, closed.get_json()
    return s


def test_a_leader_resolves_a_members_not_there_through_the_api(world, scene, api):
    s = _closed_with_the_guest_there(api, scene)
    answer = says_not_there(world, s, "gus@example.org")
    listed = api.get(f"/group-sessions/{s}/attendance-answers", as_="trainee")
    assert listed.status_code == 200
    [item] = listed.get_json()["items"]
    assert (item["id"], item["member_name"], item["answer"]) == (answer.id, "Gus Guest", "not-there")
    assert item["is_disputed"] and item["resolution"] == "" and item["resolved_by"] is None
    # The leader's supervisor reads the session, as on its page, but not the members' answers.
    assert api.get(f"/group-sessions/{s}/attendance-answers", as_="supervisor").get_json()["items"] == []
    assert api.get(f"/group-sessions/{s}/attendance-answers", as_="other_admin").status_code == 404

    path = f"/attendance-answers/{answer.id}/resolution"
    no_reason = api.post(path, {"resolution": "kept", "reason": "  "}, as_="trainee")
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["error"]["fields"]
    assert api.post(path, {"resolution": "maybe"}, as_="trainee").status_code == 422
    assert api.post(path, {"resolution": "corrected"}, as_="supervisor").status_code == 403
    assert api.post(path, {"resolution": "corrected"}, as_="admin").status_code == 403
    assert api.post(path, {"resolution": "corrected"}, as_="other_admin").status_code == 404
    assert _audited("group_session.attendance_resolved") == 0

    kept = api.post(
        path, {"resolution": "kept", "reason": "Signed the paper list in the room."}, as_="trainee2"
    )
    assert kept.status_code == 200, kept.get_json()
    out = kept.get_json()
    assert (out["resolution"], out["resolution_reason"]) == ("kept", "Signed the paper list in the room.")
    assert out["resolved_by"]["name"] == "Tilda Two" and out["resolved_at"] and not out["is_disputed"]
    again = api.post(path, {"resolution": "corrected"}, as_="trainee")
    assert again.status_code == 409  # resolved once, for good
    db.session.expire_all()
    assert db.session.get(AttendanceAnswer, answer.id).resolution == "kept"
    assert _audited("group_session.attendance_resolved") == 1


def test_the_member_was_not_there_after_all_needs_no_reason(world, scene, api):
    s = _closed_with_the_guest_there(api, scene)
    answer = says_not_there(world, s, "gus@example.org")
    corrected = api.post(
        f"/attendance-answers/{answer.id}/resolution", {"resolution": "corrected"}, as_="trainee"
    )
    assert corrected.status_code == 200, corrected.get_json()
    assert corrected.get_json()["resolution"] == "corrected"
    [item] = api.get(f"/group-sessions/{s}/attendance-answers", as_="admin").get_json()["items"]
    assert item["resolution"] == "corrected" and item["resolved_by"]["id"] == world.trainee.id

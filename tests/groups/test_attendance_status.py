"""Who issues attendance confirmations is decided by the association's status levels, held today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.errors import Forbidden
from app.extensions import db
from app.groups import attendance_confirmations as confirmations
from app.statuslevels import services as levels
from tests.groups.attendance_support import accredited_group, hold


def _preview(world, scene):
    return confirmations.preview(
        world.trainee,
        world.association.id,
        scene.group.id,
        scene.members[0].id,
        kind="period",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 1, 31),
    )


def _issue(world, scene):
    return confirmations.issue(
        world.trainee,
        world.association.id,
        scene.group.id,
        scene.members[0].id,
        kind="period",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 1, 31),
    )


def test_a_leader_marked_accredited_on_the_group_but_without_a_level_cannot_issue(world):
    scene = accredited_group(world, leader_is_accredited=False)
    scene.group.leaders[0].is_accredited = True  # the old flag alone no longer decides
    db.session.commit()
    hold(world, scene.group, date(2025, 1, 8), {m.id: "room" for m in scene.members})
    draft = _preview(world, scene)
    assert not draft.may_issue
    assert "Certified Balint group leader" in draft.why_not and "run sheet" in draft.why_not
    with pytest.raises(Forbidden):
        _issue(world, scene)


def test_a_level_that_ended_yesterday_no_longer_allows_issuing(world):
    scene = accredited_group(world, leader_is_accredited=False)
    hold(world, scene.group, date(2025, 1, 8), {m.id: "room" for m in scene.members})
    row = levels.grant(
        world.admin, world.association.id, world.trainee.id, "training-leader", date(2024, 1, 1)
    )
    db.session.commit()
    assert _preview(world, scene).may_issue
    levels.end(world.admin, world.association.id, row.id, date.today() - timedelta(days=1))
    db.session.commit()
    assert not _preview(world, scene).may_issue


def test_where_the_association_asks_for_no_level_the_group_flag_decides(world):
    levels.set_permission(world.admin, world.association.id, "confirm_attendance", [])
    db.session.commit()
    scene = accredited_group(world, leader_is_accredited=False)
    hold(world, scene.group, date(2025, 1, 8), {m.id: "room" for m in scene.members})
    assert not _preview(world, scene).may_issue
    scene.group.leaders[0].is_accredited = True
    db.session.commit()
    assert _preview(world, scene).may_issue
    assert _issue(world, scene).serial


def test_the_page_tells_a_leader_without_the_level_why_they_can_only_record_attendance(client, world):
    scene = accredited_group(world, leader_is_accredited=False)
    client.login("trainee@x.test")
    html = client.get(f"/groups/{scene.group.id}/members/{scene.members[0].id}/attendance").get_data(
        as_text=True
    )
    assert "You can record attendance, but you cannot issue confirmations." in html
    assert "Certified Balint group leader" in html

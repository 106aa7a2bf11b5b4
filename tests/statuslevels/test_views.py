"""The status levels page: an admin declares a level, says what it allows, grants and ends it."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.statuslevels import permissions
from app.statuslevels.models import PersonStatusLevel

PAGE = "/admin/status-levels"


def test_an_admin_declares_grants_and_ends_a_level_through_the_page(client, world):
    client.login("admin@x.test")
    declared = client.submit(
        PAGE, {"slug": "leader-trainer", "label": "Leader Trainer"}, action=f"{PAGE}/define"
    )
    assert declared.status_code == 302
    allowed = client.submit(
        PAGE, {"observe-levels": ["leader-trainer"]}, action=f"{PAGE}/permissions/observe"
    )
    assert allowed.status_code == 302
    assert permissions.required_levels(world.association.id, "observe") == ("leader-trainer",)
    granted = client.submit(
        PAGE,
        {"user_id": world.supervisor.id, "level": "leader-trainer", "since": "2024-02-29"},
        action=f"{PAGE}/grant",
    )
    assert granted.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "Leader Trainer" in page and world.supervisor.name in page and "open-ended" in page
    holding = db.session.scalar(
        sa.select(PersonStatusLevel).where(PersonStatusLevel.level == "leader-trainer")
    )
    ended = client.submit(PAGE, {"until": "2025-02-28"}, action=f"{PAGE}/{holding.id}/end")
    assert ended.status_code == 302
    db.session.expire_all()
    assert db.session.get(PersonStatusLevel, holding.id).until == dt.date(2025, 2, 28)
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {
        "status_level.defined",
        "status_level.permission_set",
        "status_level.granted",
        "status_level.ended",
    } <= actions


def test_a_grant_that_ends_before_it_begins_is_shown_again_with_the_error(client, world):
    client.login("admin@x.test")
    refused = client.submit(
        PAGE,
        {
            "user_id": world.supervisor.id,
            "level": "certified-leader",
            "since": "2025-01-02",
            "until": "2025-01-01",
        },
        action=f"{PAGE}/grant",
    )
    assert refused.status_code == 422
    assert "The level ends before it begins." in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(PersonStatusLevel.id))) == 0


def test_the_member_page_lists_the_levels_with_the_associations_words(client, world):
    from app.statuslevels import services as levels

    levels.grant(
        world.admin, world.association.id, world.supervisor.id, "supervisor-leader", dt.date(2023, 5, 1)
    )
    db.session.commit()
    client.login("admin@x.test")
    page = client.get(f"/admin/members/{world.supervisor.id}").get_data(as_text=True)
    assert "Supervisor-leader" in page and "Grant or end status levels" in page


def test_the_enrolment_page_shows_why_a_supervisor_cannot_be_assigned(client, world):
    from app.statuslevels import services as levels

    levels.set_permission(world.admin, world.association.id, "supervise", ["supervisor-leader"])
    db.session.commit()
    client.login("admin@x.test")
    page = f"/admin/enrolments/{world.enrolment.id}"
    refused = client.submit(page, {"supervisor_ids": [world.supervisor2.id]})
    html = refused.get_data(as_text=True)
    assert f"{world.supervisor2.name} cannot be assigned as a supervisor" in html
    assert "Supervisor-leader" in html
    db.session.expire_all()
    assert [s.id for s in db.session.get(type(world.enrolment), world.enrolment.id).supervisors] == [
        world.supervisor.id
    ]

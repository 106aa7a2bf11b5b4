"""The audit trail records every state change and cannot be rewritten."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts import services as accounts
from app.audit.models import AppendOnlyViolation, AuditEvent
from app.extensions import db


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_state_changes_write_audit_events_with_actor_object_and_time(world):
    invitation = accounts.invite(world.admin, world.association.id, "new@x.test", "trainee")
    accounts.grant_role(world.admin, world.association.id, world.trainee2.id, "supervisor")
    accounts.revoke_role(world.admin, world.association.id, world.trainee2.id, "supervisor")
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    by_action = {event.action: event for event in events}
    for action in (
        "programme.created",
        "rule_set.created",
        "enrolment.created",
        "invitation.created",
        "membership.role_granted",
        "membership.role_revoked",
    ):
        assert action in by_action, action
    created = by_action["invitation.created"]
    assert created.actor_id == world.admin.id
    assert (created.object_type, created.object_id) == ("Invitation", str(invitation.id))
    assert created.association_id == world.association.id
    assert created.created_at is not None


def test_failed_logins_are_audited_without_the_password(client, world):
    client.login("trainee@x.test", "guess-one-two")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).one()
    assert event.details == {"email": "trainee@x.test"}
    assert "guess" not in str(event.details)


def test_audit_events_cannot_be_changed_or_deleted(world):
    event = db.session.scalars(select(AuditEvent)).first()
    event.action = "something.else"
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(AuditEvent)).first())
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()


def test_admins_read_only_their_own_associations_trail(client, world):
    client.login("admin@other.test")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Tomas Trainee on" not in page
    client.logout()
    client.login("admin@x.test")
    assert "enrolled Tomas Trainee on" in client.get("/admin/audit").get_data(as_text=True)

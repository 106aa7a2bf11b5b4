"""Invitations: one-time links that expire, belong to one association, and cannot be reused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import policy
from app.accounts import services
from app.accounts.models import Invitation, Role
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db


def invite(world, email="new@x.test", role="trainee", association=None):
    invitation = services.invite(world.admin, (association or world.association).id, email, role)
    db.session.commit()
    return invitation.token


def test_accepting_an_invitation_creates_the_account_and_membership(client, world):
    token = invite(world)
    response = client.submit(
        f"/invitations/{token}",
        {"name": "Nina New", "password": "a long passphrase", "confirm": "a long passphrase"},
    )
    assert response.status_code == 302
    home = client.get("/home").get_data(as_text=True)
    assert "Welcome, Nina New" in home
    user = services.find_user_by_email("new@x.test")
    assert policy.roles_in(user, world.association.id) == {Role.TRAINEE}


def test_an_invitation_link_is_valid_for_fourteen_days(app, world):
    token = invite(world)
    invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    with pytest.raises(InvalidState, match="expired"):
        services.get_invitation(token)
    assert app.test_client().get(f"/invitations/{token}").status_code == 409


def test_an_invitation_cannot_be_used_twice(app, world):
    token = invite(world)
    services.accept_invitation(token, name="Nina", password="a long passphrase")
    db.session.commit()
    with pytest.raises(InvalidState, match="already been used"):
        services.accept_invitation(token, name="Mallory", password="another passphrase")
    assert app.test_client().get(f"/invitations/{token}").status_code == 409


def test_unknown_token_is_not_found(world):
    with pytest.raises(NotFound):
        services.get_invitation("made-up-token")


def test_an_admin_cannot_invite_into_another_association(world):
    with pytest.raises(Forbidden):
        services.invite(world.other_admin, world.association.id, "sneaky@x.test", "admin")
    assert db.session.scalars(select(Invitation)).all() == []


def test_an_invitation_only_grants_membership_of_its_own_association(world):
    token = invite(world, email="both@x.test", role="supervisor")
    user = services.accept_invitation(token, name="Bo Both", password="a long passphrase")
    db.session.commit()
    assert policy.roles_in(user, world.association.id) == {Role.SUPERVISOR}
    assert policy.roles_in(user, world.other.id) == frozenset()


def test_existing_user_joins_a_second_association_with_another_role(app, world):
    # The trainee of X is invited as a supervisor by the other association.
    invitation = services.invite(world.other_admin, world.other.id, "trainee@x.test", "supervisor")
    db.session.commit()
    client = app.test_client()
    # Not logged in: the page asks to log in first and accepting is refused.
    assert "Log in first" in client.get(f"/invitations/{invitation.token}").get_data(as_text=True)
    with pytest.raises(Forbidden):
        services.accept_invitation(invitation.token)
    client.login("trainee@x.test")
    response = client.submit(f"/invitations/{invitation.token}", {})
    assert response.status_code == 302
    home = client.get("/home").get_data(as_text=True)
    assert "Other Society" in home and "Balint Society X" in home
    db.session.expire_all()
    assert policy.roles_in(world.trainee, world.other.id) == {Role.SUPERVISOR}
    assert policy.roles_in(world.trainee, world.association.id) == {Role.TRAINEE}


def test_a_person_switches_between_associations_and_sees_each_role(app, world):
    invitation = services.invite(world.other_admin, world.other.id, "sup@x.test", "trainee")
    db.session.commit()
    client = app.test_client()
    client.login("sup@x.test")
    client.submit(f"/invitations/{invitation.token}", {})
    client.submit("/home", {}, action=f"/associations/{world.association.id}/switch")
    home = client.get("/home").get_data(as_text=True)
    assert 'id="supervisor-home"' in home and 'id="trainee-home"' not in home
    client.submit("/home", {}, action=f"/associations/{world.other.id}/switch")
    home = client.get("/home").get_data(as_text=True)
    assert 'id="trainee-home"' in home and 'id="supervisor-home"' not in home


def test_switching_to_an_association_you_do_not_belong_to_is_refused(client, world):
    client.login("trainee@x.test")
    response = client.submit(
        "/home", {}, action=f"/associations/{world.other.id}/switch", follow_redirects=True
    )
    assert "You are not a member of that association." in response.get_data(as_text=True)
    assert "Other Society" not in response.get_data(as_text=True)


def test_invitation_requires_a_strong_enough_password(world):
    token = invite(world)
    with pytest.raises(ValidationError):
        services.accept_invitation(token, name="Nina", password="short")

"""Invite and enrol in one step; resend and revoke an invitation; the acceptance form."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import Invitation
from app.audit.models import AuditEvent
from app.errors import InvalidState, ValidationError
from app.extensions import db
from app.mail.models import OutboxMessage
from app.programmes.models import Enrolment
from tests.helpers import csrf_token_in


def _link_in_last_mail(to: str) -> str:
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == to).order_by(OutboxMessage.id.desc())
    ).first()
    return re.search(r"/invitations/(\S+)", message.body).group(1)


def test_accepting_an_invitation_with_a_programme_enrols_the_trainee(client, world):
    client.login("admin@x.test")
    response = client.submit(
        "/admin/members",
        {
            "invite-email": "nina@x.test",
            "invite-role": "trainee",
            "invite-programme_id": str(world.programme.id),
            "invite-supervisor_ids": [str(world.supervisor.id), str(world.supervisor2.id)],
        },
        action="/admin/invitations",
    )
    assert response.status_code == 302
    client.logout()
    token = _link_in_last_mail("nina@x.test")
    assert "enrolled on Leader training" in db.session.scalars(select(OutboxMessage)).all()[-1].body
    assert (
        client.submit(
            f"/invitations/{token}",
            {"name": "Nina New", "password": "a long passphrase", "confirm": "a long passphrase"},
        ).status_code
        == 302
    )
    user = services.find_user_by_email("nina@x.test")
    enrolment = db.session.scalars(select(Enrolment).where(Enrolment.trainee_id == user.id)).one()
    assert enrolment.programme_id == world.programme.id
    assert {s.id for s in enrolment.supervisors} == {world.supervisor.id, world.supervisor2.id}


def test_an_invitation_cannot_enrol_a_supervisor_nor_name_a_non_supervisor(world):
    with pytest.raises(ValidationError, match="Only trainees"):
        services.invite(
            world.admin, world.association.id, "s@x.test", "supervisor", programme_id=world.programme.id
        )
    with pytest.raises(ValidationError, match="supervisor of this association"):
        services.invite(
            world.admin,
            world.association.id,
            "t@x.test",
            "trainee",
            programme_id=world.programme.id,
            supervisor_ids=[world.trainee2.id],
        )
    with pytest.raises(ValidationError, match="at least one supervisor"):
        services.invite(
            world.admin, world.association.id, "t@x.test", "trainee", programme_id=world.programme.id
        )


def test_the_invite_form_shows_errors_beside_the_fields(client, world):
    client.login("admin@x.test")
    response = client.submit(
        "/admin/members",
        {
            "invite-email": "t@x.test",
            "invite-role": "trainee",
            "invite-programme_id": str(world.programme.id),
        },
        action="/admin/invitations",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="invite-supervisor_ids-error"' in html
    assert "Choose at least one supervisor." in html
    assert db.session.scalars(select(Invitation)).all() == []


def test_supervisors_are_checkboxes_and_every_id_on_the_members_page_is_unique(client, world):
    client.login("admin@x.test")
    html = client.get("/admin/members").get_data(as_text=True)
    assert len(re.findall(r'<input [^>]*name="invite-supervisor_ids" type="checkbox"', html)) == 2
    assert "<select multiple" not in html and "multiple" not in re.findall(r"<select[^>]*>", html)
    ids = re.findall(r'\sid="([^"]+)"', html)
    duplicates = {i for i in ids if ids.count(i) > 1 and i != "csrf_token"}
    assert duplicates == set()
    for label_for in re.findall(r'<label for="([^"]+)"', html):
        assert label_for in ids


def test_resending_an_invitation_mails_a_new_link_and_the_old_one_stops_working(client, world):
    first = services.invite(world.admin, world.association.id, "nina@x.test", "trainee")
    db.session.commit()
    client.login("admin@x.test")
    page = client.get("/admin/members").get_data(as_text=True)
    assert "nina@x.test" in page and "Resend" in page
    response = client.post(
        f"/admin/invitations/{first.id}/resend",
        data={"csrf_token": csrf_token_in(page)},
        follow_redirects=True,
    )
    assert "Invitation sent again to nina@x.test" in response.get_data(as_text=True)
    new_token = _link_in_last_mail("nina@x.test")
    assert new_token != first.token
    assert client.get(f"/invitations/{first.token}").status_code == 404
    client.logout()
    assert client.get(f"/invitations/{new_token}").status_code == 200
    assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.action == "invitation.resent")).one()


def test_a_revoked_invitation_cannot_be_accepted_and_leaves_the_pending_list(client, world):
    invitation = services.invite(world.admin, world.association.id, "nina@x.test", "trainee")
    db.session.commit()
    client.login("admin@x.test")
    page = client.get("/admin/members").get_data(as_text=True)
    response = client.post(
        f"/admin/invitations/{invitation.id}/revoke",
        data={"csrf_token": csrf_token_in(page)},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "revoked" in html
    assert "No invitation is waiting for an answer." in html
    client.logout()
    assert client.get(f"/invitations/{invitation.token}").status_code == 409
    db.session.expire_all()  # the revocation was committed by the request's own session
    with pytest.raises(InvalidState, match="withdrawn"):
        services.accept_invitation(invitation.token, name="N", password="a long passphrase")


def test_an_admin_cannot_revoke_another_associations_invitation(client, world):
    invitation = services.invite(world.other_admin, world.other.id, "x@other.test", "trainee")
    db.session.commit()
    client.login("admin@x.test")
    page = client.get("/admin/members").get_data(as_text=True)
    response = client.post(
        f"/admin/invitations/{invitation.id}/revoke", data={"csrf_token": csrf_token_in(page)}
    )
    assert response.status_code == 404
    db.session.refresh(invitation)
    assert invitation.revoked_at is None


def test_the_acceptance_form_asks_the_name_first_and_explains_a_short_password(client, world):
    token = services.invite(world.admin, world.association.id, "nina@x.test", "trainee").token
    db.session.commit()
    html = client.get(f"/invitations/{token}").get_data(as_text=True)
    assert html.index('name="name"') < html.index('name="password"')
    assert html.count('autocomplete="new-password"') == 2
    assert re.search(
        r'<label for="name">Your name</label> <span class="required" aria-hidden="true">\*</span>', html
    )
    response = client.submit(
        f"/invitations/{token}", {"name": "Nina", "password": "short", "confirm": "short"}
    )
    text = response.get_data(as_text=True)
    assert "This password is too short: choose at least" in text
    assert "(it has 5)" in text


def test_enrolling_and_changing_supervisors_with_checkboxes(client, world):
    client.login("admin@x.test")
    page = client.get("/admin/enrolments/new").get_data(as_text=True)
    assert 'name="supervisor_ids" type="checkbox"' in page
    assert "Hold Ctrl" not in page
    response = client.submit(
        "/admin/enrolments/new",
        {
            "trainee_id": str(world.trainee2.id),
            "programme_id": str(world.programme.id),
            "supervisor_ids": [str(world.supervisor.id), str(world.supervisor2.id)],
            "started_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    enrolment = db.session.scalars(select(Enrolment).where(Enrolment.trainee_id == world.trainee2.id)).one()
    assert len(enrolment.supervisors) == 2
    url = f"/admin/enrolments/{enrolment.id}"
    edit = client.get(url).get_data(as_text=True)
    assert edit.count("checked") == 2
    assert client.submit(url, {"supervisor_ids": [str(world.supervisor2.id)]}).status_code == 302
    db.session.expire_all()
    assert [s.id for s in db.session.get(Enrolment, enrolment.id).supervisors] == [world.supervisor2.id]
    nobody = client.submit(url, {})
    assert "Choose at least one supervisor." in nobody.get_data(as_text=True)

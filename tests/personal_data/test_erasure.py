"""Erasure on request: the person asks with their password, an admin decides; unsigned
work and the account's personal data go; signed evidence stays under a pseudonym."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import Membership, Role, User
from app.api import tokens as token_service
from app.api.models import SCOPE_READ, ApiToken
from app.demo.data import DEMO_PASSWORD
from app.extensions import db
from app.logbook.models import LogbookRecord
from app.notifications.models import Notification
from app.personal_data.models import ErasureRequest
from tests.logbook.fixtures import a_session, create, signed


def _ask(client, password: str = DEMO_PASSWORD, **extra):
    return client.submit(
        "/account/data",
        {"password": password, "is_understood": "y", "reason": "Leaving the profession.", **extra},
        action="/account/data/erasure",
    )


def _decide(client, request_id: int, **data):
    return client.submit(
        "/admin/data-protection", data, action=f"/admin/data-protection/requests/{request_id}"
    )


def test_a_request_needs_the_password_and_the_confirmation(client, world):
    client.login("trainee@x.test")
    assert _ask(client, password="wrong-password").status_code == 422
    assert _ask(client, is_understood="").status_code == 422
    assert db.session.scalars(select(ErasureRequest)).all() == []


def test_a_request_reaches_the_associations_admins(client, world):
    client.login("trainee@x.test")
    assert _ask(client).status_code == 302
    (request,) = db.session.scalars(select(ErasureRequest)).all()
    assert request.association_id == world.association.id and request.is_pending
    notices = db.session.scalars(select(Notification).where(Notification.user_id == world.admin.id)).all()
    assert any("asked for their personal data to be erased" in n.message for n in notices)
    assert _ask(client).status_code == 302  # asking again changes nothing
    assert len(db.session.scalars(select(ErasureRequest)).all()) == 1


def test_approval_erases_the_account_and_unsigned_work_but_keeps_signed_evidence(client, world, certificate):
    draft_id = create(world, a_session(reflection="A draft nobody saw.")).id
    kept_id = signed(world, a_session(reflection="Signed evidence.")).id
    token_service.create_personal_token(world.trainee, name="script", scope=SCOPE_READ)
    db.session.commit()
    client.login("trainee@x.test")
    _ask(client)
    request_id = db.session.scalar(select(ErasureRequest.id))
    client.logout()
    client.login("admin@x.test")
    assert _decide(client, request_id, approve="Erase their data").status_code == 302

    db.session.expire_all()
    person = db.session.get(User, world.trainee.id)
    assert person.erased_at is not None and not person.is_enabled
    assert person.name == f"Erased person {person.id}" and person.email.endswith("@erased.invalid")
    assert db.session.get(LogbookRecord, draft_id) is None
    assert db.session.get(LogbookRecord, kept_id).status == "signed"
    assert all(
        t.revoked_at for t in db.session.scalars(select(ApiToken).where(ApiToken.user_id == person.id))
    )
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == person.id)).all()
    assert not any(m.is_active for m in memberships)

    client.logout()
    assert client.login("trainee@x.test").status_code != 302 or "/login" in client.get("/home").location
    public = client.get(f"/verify/{certificate.serial}")
    text = public.get_data(as_text=True)
    assert "Tomas Trainee" not in text and "asked for their personal data to be erased" in text
    as_json = client.get(f"/verify/{certificate.serial}.json").get_json()
    assert as_json["holder"] is None and as_json["status"] == "valid"
    assert client.get(f"/credentials/{certificate.serial}.json").status_code == 410


def test_a_member_of_two_associations_keeps_the_account_until_both_agree(client, world):
    db.session.add(
        Membership(user_id=world.trainee.id, association_id=world.other.id, role=Role.TRAINEE.value)
    )
    db.session.commit()
    client.login("trainee@x.test")
    _ask(client)
    requests = {r.association_id: r for r in db.session.scalars(select(ErasureRequest))}
    assert set(requests) == {world.association.id, world.other.id}
    client.logout()
    client.login("admin@x.test")
    _decide(client, requests[world.association.id].id, approve="Erase their data")
    db.session.expire_all()
    person = db.session.get(User, world.trainee.id)
    assert person.erased_at is None and person.email == "trainee@x.test"
    client.logout()
    client.login("admin@other.test")
    _decide(client, requests[world.other.id].id, approve="Erase their data")
    db.session.expire_all()
    assert db.session.get(User, world.trainee.id).erased_at is not None


def test_declining_needs_a_reason_and_tells_the_person(client, world):
    client.login("trainee@x.test")
    _ask(client)
    request_id = db.session.scalar(select(ErasureRequest.id))
    client.logout()
    client.login("admin@x.test")
    assert _decide(client, request_id, decline="Decline").status_code == 422
    assert (
        _decide(
            client, request_id, decline="Decline", note="A complaint about your training is open."
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(ErasureRequest, request_id).status == "declined"
    assert db.session.get(User, world.trainee.id).erased_at is None
    notices = db.session.scalars(select(Notification).where(Notification.user_id == world.trainee.id)).all()
    assert any("A complaint about your training is open." in n.message for n in notices)


def test_an_admin_of_another_association_cannot_decide(client, world):
    client.login("trainee@x.test")
    _ask(client)
    request_id = db.session.scalar(select(ErasureRequest.id))
    client.logout()
    client.login("admin@other.test")
    assert _decide(client, request_id, approve="Erase their data").status_code == 404
    db.session.expire_all()
    assert db.session.get(ErasureRequest, request_id).is_pending

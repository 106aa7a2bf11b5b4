"""Suspending a certificate and lifting the suspension: what verifiers, the holder and the
association see, who may do it, and what is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.api import tokens as token_service
from app.api.models import SCOPE_WRITE
from app.audit.models import AuditEvent
from app.certificates import corrections, records, suspension
from app.certificates.models import Certificate, CertificateSuspension
from app.errors import Forbidden, InvalidState, NotFound
from app.extensions import db
from app.notifications.models import Notification

REASON = "A complaint about the conduct of a group is being looked into."
NOTE = "The complaint was looked into and not upheld."


def _verify_credential(client, certificate) -> dict:
    document = client.get(f"/credentials/{certificate.serial}.json").get_json()
    return client.post("/credentials/verify", json=document).get_json()


def test_a_suspension_shows_with_its_date_and_after_lifting_the_period(client, world, certificate):
    suspension.suspend(world.admin, certificate.id, reason=REASON)
    db.session.commit()
    since = db.session.scalar(select(CertificateSuspension)).suspended_at.date()

    html = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert f"Suspended since {since:%B} {since.day}, {since.year}" in html
    assert "complaint" not in html  # the reason stays with the association
    body = client.get(f"/verify/{certificate.serial}.json").get_json()
    assert (body["status"], body["suspended_since"]) == ("suspended", since.isoformat())
    assert "complaint" not in str(body)
    assert _verify_credential(client, certificate)["status"] == "suspended"
    by_file = client.submit("/verify", {"sha256": certificate.pdf_sha256}).get_data(as_text=True)
    assert "It has been suspended since" in by_file
    legacy = client.get(f"/credentials/{certificate.serial}/status.json").get_json()
    assert legacy["status"] == "suspended"
    assert legacy["revokedCredentials"][0]["suspended"] is True  # refused by 1EdTech-only verifiers too

    suspension.lift(world.admin, certificate.id, note=NOTE)
    db.session.commit()
    lifted = db.session.scalar(select(CertificateSuspension)).lifted_at.date()
    html = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "Valid" in html and "Suspended from" in html and "not upheld" not in html
    body = client.get(f"/verify/{certificate.serial}.json").get_json()
    assert body["status"] == "valid" and body["suspended_since"] is None
    assert body["past_suspensions"] == [{"from": since.isoformat(), "to": lifted.isoformat()}]
    assert _verify_credential(client, certificate)["status"] == "valid"
    legacy = client.get(f"/credentials/{certificate.serial}/status.json").get_json()
    assert (legacy["status"], legacy["revokedCredentials"]) == ("valid", [])


def test_the_admin_suspends_and_lifts_on_the_certificate_page(client, world, certificate):
    client.login("admin@x.test")
    url = f"/certificates/{certificate.id}"
    assert client.submit(url, {"suspend-reason": "no"}, action=f"{url}/suspend").status_code == 422
    done = client.submit(url, {"suspend-reason": REASON}, action=f"{url}/suspend")
    assert done.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Suspended since" in page and REASON in page and "Lift the suspension" in page
    assert "Re-issue with a correction" not in page  # a suspension cannot be escaped by re-issuing
    done = client.submit(url, {"lift-note": NOTE}, action=f"{url}/lift-suspension")
    assert done.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Suspended from" in page and NOTE in page
    holder = records.holder_certificates(world.trainee, world.association.id)
    assert holder[0].status_on(dt.date.today()).value == "valid"


def test_the_holders_page_and_the_register_know_suspended(client, world, certificate):
    suspension.suspend(world.admin, certificate.id, reason=REASON)
    db.session.commit()
    client.login("trainee@x.test")
    mine = client.get("/certificates/mine").get_data(as_text=True)
    assert "cert-status-suspended" in mine
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "Suspended since" in page and REASON not in page  # the reason is the admins'
    listed = records.list_certificates(world.admin, world.association.id, status="suspended").items
    assert [c.id for c in listed] == [certificate.id]
    assert records.list_certificates(world.admin, world.association.id, status="valid").items == []


def test_revoking_a_suspended_certificate_is_allowed_and_ends_the_suspension(client, world, certificate):
    suspension.suspend(world.admin, certificate.id, reason=REASON)
    db.session.commit()
    corrections.revoke(world.admin, certificate.id, reason="The complaint was upheld by the board.")
    db.session.commit()
    held = db.session.scalar(select(CertificateSuspension))
    assert held.lifted_at == certificate.revoked_at and held.lifted_by_id == world.admin.id
    body = client.get(f"/verify/{certificate.serial}.json").get_json()
    assert body["status"] == "revoked"
    assert _verify_credential(client, certificate)["status"] == "revoked"


def test_only_a_valid_certificate_is_suspended_and_only_a_suspended_one_lifted(world, certificate):
    with pytest.raises(InvalidState):
        suspension.lift(world.admin, certificate.id, note=NOTE)
    suspension.suspend(world.admin, certificate.id, reason=REASON)
    db.session.commit()
    with pytest.raises(InvalidState):
        suspension.suspend(world.admin, certificate.id, reason=REASON)
    with pytest.raises(InvalidState):
        corrections.reissue(world.admin, certificate.id, reason="Name corrected on request.")
    corrections.revoke(world.admin, certificate.id, reason="The complaint was upheld.")
    db.session.commit()
    with pytest.raises(InvalidState):
        suspension.suspend(world.admin, certificate.id, reason=REASON)


def test_only_the_associations_admins_suspend_and_lift(world, certificate):
    with pytest.raises(NotFound):  # another association's admin does not learn it exists
        suspension.suspend(world.other_admin, certificate.id, reason=REASON)
    with pytest.raises(Forbidden):  # the holder sees it, and may not suspend it
        suspension.suspend(world.trainee, certificate.id, reason=REASON)
    with pytest.raises(NotFound):  # a supervisor may not even see it
        suspension.suspend(world.supervisor, certificate.id, reason=REASON)
    suspension.suspend(world.admin, certificate.id, reason=REASON)
    db.session.commit()
    with pytest.raises(NotFound):
        suspension.lift(world.other_admin, certificate.id, note=NOTE)
    with pytest.raises(Forbidden):
        suspension.lift(world.trainee, certificate.id, note=NOTE)
    assert db.session.scalar(select(CertificateSuspension)).lifted_at is None


def test_suspending_and_lifting_are_audited_and_the_holder_is_told(world, certificate):
    suspension.suspend(world.admin, certificate.id, reason=REASON)
    suspension.lift(world.admin, certificate.id, note=NOTE)
    db.session.commit()
    events = {
        event.action: event
        for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("certificate.suspen%"))
        )
    }
    assert set(events) == {"certificate.suspended", "certificate.suspension_lifted"}
    assert events["certificate.suspended"].details["reason"] == REASON
    assert events["certificate.suspension_lifted"].details["note"] == NOTE
    assert all(e.actor_id == world.admin.id and e.object_id == str(certificate.id) for e in events.values())
    messages = [
        n.message
        for n in db.session.scalars(select(Notification).where(Notification.user_id == world.trainee.id))
    ]
    assert any("has been suspended" in m for m in messages)
    assert any("suspension of your certificate" in m and "lifted" in m for m in messages)


def test_the_certificate_row_is_untouched(world, certificate):
    before = {c.name: getattr(certificate, c.name) for c in Certificate.__table__.columns}
    suspension.suspend(world.admin, certificate.id, reason=REASON)
    suspension.lift(world.admin, certificate.id, note=NOTE)
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(Certificate, certificate.id)
    assert {c.name: getattr(row, c.name) for c in Certificate.__table__.columns} == before


def test_the_api_suspends_and_lifts(client, world, certificate):
    _token, secret = token_service.create_personal_token(world.admin, name="status", scope=SCOPE_WRITE)
    db.session.commit()

    def post(path: str, body: dict):
        return client.post(
            f"/api/v1/certificates/{certificate.id}/{path}",
            json=body,
            headers={"Authorization": f"Bearer {secret}"},
        )

    answer = post("suspend", {"reason": REASON})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["status"] == "suspended" and body["suspensions"][0]["reason"] == REASON
    assert post("lift-suspension", {"note": NOTE}).get_json()["status"] == "valid"
    assert post("lift-suspension", {"note": NOTE}).status_code == 409

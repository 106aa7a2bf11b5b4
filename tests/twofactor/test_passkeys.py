"""Passkeys outside the browser: where the RP id comes from, junk answers, removal.

Registering and using a real passkey is in tests/browser/test_journey_twofactor.py
(Chromium's virtual authenticator).
"""

from __future__ import annotations

import json

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.mail.models import OutboxMessage
from app.twofactor import passkeys
from app.twofactor.models import Passkey
from tests.helpers import csrf_token_in


def test_the_relying_party_comes_from_base_url_not_the_host_header(app, world):
    app.config["BASE_URL"] = "https://stillpoint.example:8443/"
    with app.test_request_context("/", base_url="http://attacker.example"):
        options, _challenge = passkeys.registration_options(world.trainee)
        assert passkeys.relying_party() == ("stillpoint.example", "https://stillpoint.example:8443")
    assert json.loads(options)["rp"]["id"] == "stillpoint.example"


def test_junk_or_unknown_passkey_answers_get_a_readable_422(client, world):
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    assert client.post("/login/passkey/options", headers=headers).status_code == 200
    for body in (
        "not json",
        "[1, 2]",
        json.dumps({"rawId": "AAAA", "id": "AAAA", "response": {}}),
        "[" * 100_000,
    ):
        response = client.post("/login/passkey", data=body, headers=headers)
        assert response.status_code == 422, body[:20]
        assert response.get_json()["error"]["message"]
    assert client.get("/home").status_code == 302


def test_an_answer_without_a_challenge_is_refused(client, world):
    token = csrf_token_in(client.get("/login").get_data(as_text=True))
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    response = client.post("/login/passkey", data=json.dumps({"rawId": "AAAA"}), headers=headers)
    assert response.status_code == 422
    assert "expired" in response.get_json()["error"]["message"]


def test_removing_a_passkey_is_audited_and_mailed_and_only_for_its_owner(app, client, world):
    client.login("trainee@x.test")  # before the passkey exists, so the password alone signs in
    passkey = Passkey(user_id=world.trainee.id, credential_id="AAAA", public_key=b"k", name="old phone")
    db.session.add(passkey)
    db.session.commit()
    passkey_id = passkey.id
    intruder = app.test_client()
    intruder.login("trainee2@x.test")
    refused = intruder.submit(
        "/account/two-factor", {}, action=f"/account/two-factor/passkeys/{passkey_id}/remove"
    )
    assert refused.status_code == 404
    assert "old phone" in client.get("/account/two-factor").get_data(as_text=True)
    done = client.submit(
        "/account/two-factor", {}, action=f"/account/two-factor/passkeys/{passkey_id}/remove"
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Passkey, passkey_id) is None
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == world.trainee.id))
    assert "two_factor.passkey_removed" in list(actions)
    subjects = db.session.scalars(
        select(OutboxMessage.subject).where(OutboxMessage.recipient == "trainee@x.test")
    )
    assert "A passkey was removed" in list(subjects)

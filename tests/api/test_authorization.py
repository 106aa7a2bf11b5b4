"""The API's authorization matrix: each operation as each role, and with tokens that
must not work (another association's, revoked, expired, read-only, cookie only)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.api import tokens as token_service
from app.api.core import OPERATIONS
from app.api.models import SCOPE_READ, SCOPE_WRITE, ApiToken
from app.extensions import db
from tests.api.matrix import ROLES, Scene, add_neighbours, build_scene, cases


def _dummy_scene() -> Scene:
    return Scene(
        **{name: 1 if info.type == "int" else "x" for name, info in Scene.__dataclass_fields__.items()}
    )


OPERATION_KEYS = sorted(cases(_dummy_scene()))
READS = [key for key in OPERATION_KEYS if key[0] == "GET"]
WRITES = [key for key in OPERATION_KEYS if key[0] != "GET"]


def test_every_operation_is_in_the_matrix(app):
    registered = {(op.method, op.rule) for op in OPERATIONS}
    assert registered == set(OPERATION_KEYS)


@pytest.fixture
def neighbours(api, world, make_user) -> None:
    """Tokens for the matrix's three same-association roles."""
    for role, user in add_neighbours(world, make_user).items():
        _token, api.secrets[role] = token_service.create_personal_token(user, name=role, scope=SCOPE_WRITE)
    db.session.commit()


def _wrong_answers(api, scene: Scene, key) -> list[str]:
    path, body, expected = cases(scene)[key]
    method = key[0]
    # Denied roles first: a permitted write must not change what a denied role sees.
    order = sorted(ROLES, key=lambda role: 200 <= expected[role] < 300)
    wrong = []
    for role in order:
        response = api.send(method, path, body, as_=role)
        if response.status_code != expected[role]:
            detail = response.get_data(as_text=True)[:200]
            wrong.append(
                f"{method} {path} as {role}: {response.status_code}, expected {expected[role]}: {detail}"
            )
    return wrong


def test_each_read_answers_each_role_as_expected(api, world, neighbours):
    """Reads change nothing, so they share one scene."""
    scene = build_scene(world)
    wrong = [line for key in READS for line in _wrong_answers(api, scene, key)]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("key", WRITES, ids=[f"{method} {rule}" for method, rule in WRITES])
def test_each_write_answers_each_role_as_expected(api, world, neighbours, key):
    """Each write gets a fresh world, so one row's success cannot change another's."""
    wrong = _wrong_answers(
        api,
        build_scene(
            world, with_certificate="certificate" in key[1], with_application="application" in key[1]
        ),
        key,
    )
    assert not wrong, "\n".join(wrong)


def test_every_operation_refuses_revoked_and_expired_tokens_and_read_only_writes(client, world):
    scene = build_scene(world)
    revoked, revoked_secret = token_service.create_personal_token(world.admin, name="old", scope=SCOPE_WRITE)
    expired, expired_secret = token_service.create_personal_token(world.admin, name="late", scope=SCOPE_WRITE)
    _token, read_only_secret = token_service.create_personal_token(world.admin, name="ro", scope=SCOPE_READ)
    token_service.revoke_token(world.admin, revoked.id)
    expired.expires_at = expired.created_at - timedelta(seconds=1)
    db.session.commit()
    public = {(op.method, op.rule) for op in OPERATIONS if op.is_public}
    wrong = []
    for key in OPERATION_KEYS:
        path, body, expected = cases(scene)[key]
        method = key[0]

        def send(secret, method=method, path=path, body=body):
            headers = {"Authorization": f"Bearer {secret}"}
            return client.open("/api/v1" + path, method=method, json=body, headers=headers)

        if key in public:
            continue
        for label, secret in (("revoked", revoked_secret), ("expired", expired_secret)):
            if (status := send(secret).status_code) != 401:
                wrong.append(f"{method} {path} with a {label} token: {status}")
        answer = send(read_only_secret)
        if method == "GET" and answer.status_code != expected["admin"]:
            wrong.append(f"{method} {path} read-only: {answer.status_code}, expected {expected['admin']}")
        if method != "GET" and (answer.status_code, answer.get_json()["error"]["code"]) != (
            403,
            "insufficient_scope",
        ):
            wrong.append(f"{method} {path} read-only: {answer.status_code}, expected 403 insufficient_scope")
    assert not wrong, "\n".join(wrong)


def test_a_session_cookie_alone_gets_401_even_for_writes(client, world):
    client.login("admin@x.test")
    assert client.get("/api/v1/me").status_code == 401
    response = client.post("/api/v1/enrolments", json={"trainee_id": world.trainee2.id})
    assert response.status_code == 401


def test_revoked_token_is_refused(api, world):
    token = db.session.query(ApiToken).filter_by(user_id=world.trainee.id).one()
    token_service.revoke_token(world.trainee, token.id)
    db.session.commit()
    assert api.get("/me", as_="trainee").status_code == 401


def test_expired_token_is_refused(api, world):
    token = db.session.query(ApiToken).filter_by(user_id=world.trainee.id).one()
    token.expires_at = token.created_at - timedelta(seconds=1)
    db.session.commit()
    assert api.get("/me", as_="trainee").status_code == 401


def test_read_only_token_reads_but_cannot_write(client, world):
    _token, secret = token_service.create_personal_token(world.admin, name="ro", scope=SCOPE_READ)
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/enrolments", headers=headers).status_code == 200
    response = client.post("/api/v1/programmes/1/rule-sets", json={"source_yaml": "x"}, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "insufficient_scope"


def test_service_token_of_another_association_sees_nothing_here(client, world):
    _token, secret = token_service.create_service_token(
        world.other_admin, world.other.id, name="crm", scope=SCOPE_WRITE
    )
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/api/v1/enrolments/{world.enrolment.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/programmes/{world.programme.id}", headers=headers).status_code == 404
    listed = client.get("/api/v1/enrolments", headers=headers).get_json()
    assert listed["items"] == []


def test_only_admins_make_service_tokens(world):
    from app.errors import Forbidden

    with pytest.raises(Forbidden):
        token_service.create_service_token(world.trainee, world.association.id, name="x", scope=SCOPE_READ)


def test_tokens_are_stored_only_as_hashes(world):
    token, secret = token_service.create_personal_token(world.trainee, name="hash", scope=SCOPE_READ)
    assert secret not in token.token_hash and len(token.token_hash) == 64


def test_a_batch_signature_by_a_supervisor_of_another_trainee_signs_nothing(api, world, neighbours):
    """The batch answers 200 with an outcome per record, so the matrix's status alone
    cannot tell; here each outcome must be a refusal and the record stays unsigned."""
    scene = build_scene(world, with_certificate=False)
    for role in ("unassigned", "co_leader", "peer"):
        answer = api.post("/records/signatures", {"record_ids": [scene.submitted]}, as_=role)
        if answer.status_code == 200:
            assert [item["is_signed"] for item in answer.get_json()["items"]] == [False], role
    record = api.get(f"/records/{scene.submitted}", as_="supervisor").get_json()
    assert record["status"] == "submitted" and record["signer_id"] is None

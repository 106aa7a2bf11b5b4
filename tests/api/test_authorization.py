"""The API's authorization matrix: each operation as each role, and with tokens that
must not work (another association's, revoked, expired, read-only, cookie only)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.api import tokens as token_service
from app.api.models import SCOPE_READ, SCOPE_WRITE, ApiToken
from app.extensions import db

ROLES = ("trainee", "supervisor", "admin", "other_admin")


def _cases(w) -> list[tuple[str, str, dict | None, dict[str, int]]]:
    e = w.enrolment.id
    p = w.programme.id
    return [
        ("GET", "/me", None, dict(trainee=200, supervisor=200, admin=200, other_admin=200)),
        ("GET", "/programmes", None, dict(trainee=200, supervisor=200, admin=200, other_admin=200)),
        ("GET", f"/programmes/{p}", None, dict(trainee=200, supervisor=200, admin=200, other_admin=404)),
        (
            "GET",
            f"/programmes/{p}/rule-sets",
            None,
            dict(trainee=200, supervisor=200, admin=200, other_admin=404),
        ),
        (
            "POST",
            f"/programmes/{p}/rule-sets",
            {"source_yaml": "x: ["},
            dict(trainee=403, supervisor=403, admin=422, other_admin=404),
        ),
        ("GET", "/enrolments", None, dict(trainee=200, supervisor=200, admin=200, other_admin=200)),
        ("GET", f"/enrolments/{e}", None, dict(trainee=200, supervisor=200, admin=200, other_admin=404)),
        (
            "GET",
            f"/enrolments/{e}/progress",
            None,
            dict(trainee=200, supervisor=200, admin=200, other_admin=404),
        ),
        (
            "GET",
            f"/enrolments/{e}/records",
            None,
            dict(trainee=200, supervisor=200, admin=200, other_admin=404),
        ),
        (
            "GET",
            f"/enrolments/{e}/reports",
            None,
            dict(trainee=200, supervisor=200, admin=200, other_admin=404),
        ),
        ("GET", "/audit-events", None, dict(trainee=403, supervisor=403, admin=200, other_admin=200)),
        ("GET", "/certificates", None, dict(trainee=200, supervisor=200, admin=200, other_admin=200)),
        ("GET", "/lessons", None, dict(trainee=200, supervisor=403, admin=403, other_admin=403)),
        ("GET", "/vignettes", None, dict(trainee=200, supervisor=200, admin=200, other_admin=200)),
        (
            "POST",
            "/records/signatures",
            {"record_ids": [1]},
            dict(trainee=403, supervisor=200, admin=403, other_admin=403),
        ),
    ]


def test_each_operation_answers_each_role_as_expected(api, world):
    wrong = []
    for method, path, body, expected in _cases(world):
        for role in ROLES:
            response = api.send(method, path, body, as_=role)
            if response.status_code != expected[role]:
                wrong.append(f"{method} {path} as {role}: {response.status_code}, expected {expected[role]}")
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

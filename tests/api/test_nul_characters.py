"""A NUL character anywhere in a request is a clear 422, not a 500 on PostgreSQL.

The API fuzzer found it first: a revocation reason holding ``\\x00`` reached the database,
which cannot store it. Each way input arrives is tried here, on both databases.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.accounts.models import Invitation
from app.certificates import issuing
from app.certificates.models import Certificate
from app.extensions import db
from tests.api.conftest import Api
from tests.certificates.conftest import make_ready

pytestmark = pytest.mark.both_databases  # its subject differs by database


def test_a_nul_in_a_json_body_is_refused_and_nothing_is_revoked(api: Api, world):
    make_ready(world.enrolment, world.supervisor)
    certificate = issuing.issue(world.admin, world.enrolment.id, today=dt.date(2026, 3, 5))
    db.session.commit()
    response = api.post(
        f"/certificates/{certificate.id}/revocation", {"reason": "Issued\u0000 in error."}, as_="admin"
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_saved(client, world):
    client.login("admin@x.test")
    before = db.session.scalar(select(func.count()).select_from(Invitation))
    response = client.submit(
        "/admin/members",
        {"invite-email": "new\u0000@x.test", "invite-role": "trainee"},
        action="/admin/invitations",
    )
    assert response.status_code == 422
    assert "NUL character" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == before


def test_a_nul_in_a_query_string_or_a_path_is_refused(client, world):
    client.login("admin@x.test")
    assert client.get("/admin/members?q=%00").status_code == 422
    assert client.get("/verify/ABC%00DEF").status_code == 422


def test_text_without_nul_passes(api: Api, world):
    response = api.post("/invitations", {"email": "plain@x.test", "role": "trainee"}, as_="admin")
    assert response.status_code == 201

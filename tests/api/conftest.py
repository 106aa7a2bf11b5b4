"""Tokens for the world's people, and a client that speaks JSON with a bearer token."""

from __future__ import annotations

import pytest

from app.api import tokens as token_service
from app.api.models import SCOPE_WRITE
from app.extensions import db


class Api:
    """``api.get(path, as_="trainee")``: requests with that person's write token."""

    def __init__(self, client, secrets: dict[str, str]):
        self.client, self.secrets = client, secrets

    def headers(self, as_: str | None, extra: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.secrets[as_]}"} if as_ else {}
        return {**headers, **(extra or {})}

    def get(self, path: str, *, as_: str | None = None, **kwargs):
        return self.client.get(
            "/api/v1" + path, headers=self.headers(as_, kwargs.pop("headers", None)), **kwargs
        )

    def send(self, method: str, path: str, body=None, *, as_: str | None = None, headers: dict | None = None):
        return self.client.open(
            "/api/v1" + path, method=method, json=body, headers=self.headers(as_, headers)
        )

    def post(self, path: str, body=None, **kwargs):
        return self.send("POST", path, body, **kwargs)


@pytest.fixture
def secrets(world) -> dict[str, str]:
    people = {
        "trainee": world.trainee,
        "trainee2": world.trainee2,
        "supervisor": world.supervisor,
        "supervisor2": world.supervisor2,
        "admin": world.admin,
        "other_admin": world.other_admin,
    }
    made = {}
    for role, user in people.items():
        _token, made[role] = token_service.create_personal_token(user, name=role, scope=SCOPE_WRITE)
    db.session.commit()
    return made


@pytest.fixture
def api(client, secrets) -> Api:
    return Api(client, secrets)

"""Every failure under /api/v1 has the one error shape and the right status."""

from __future__ import annotations

import pytest

from app.extensions import limiter
from tests.logbook.fixtures import signed


def _is_error_shape(response) -> bool:
    body = response.get_json()
    return set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}


def test_missing_token_is_401_with_error_shape(api):
    response = api.get("/me")
    assert response.status_code == 401
    assert _is_error_shape(response)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_malformed_json_is_400_not_500(api, world):
    response = api.client.post(
        "/api/v1/enrolments",
        data="{not json",
        content_type="application/json",
        headers=api.headers("admin"),
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"


def test_invalid_fields_are_422_with_field_messages(api):
    response = api.post("/enrolments", {"trainee_id": "x"}, as_="admin")
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert "trainee_id" in fields and "programme_id" in fields


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [("GET", "/nowhere", 404, "not_found"), ("DELETE", "/me", 405, "method_not_allowed")],
)
def test_unknown_paths_and_methods_answer_in_json(api, method, path, status, code):
    response = api.send(method, path, as_="trainee")
    assert response.status_code == status
    assert _is_error_shape(response)
    assert response.get_json()["error"]["code"] == code


def test_an_unknown_object_is_404(api, world):
    response = api.post("/records/999999/signature", as_="supervisor")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_signing_a_signed_record_is_a_409_conflict(api, world):
    record = signed(world)
    response = api.post(f"/records/{record.id}/signature", as_="supervisor")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "conflict"
    assert response.get_json()["error"]["message"]


def test_rate_limit_gives_429_with_retry_after(app, api):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    statuses = [api.get("/me", as_="trainee").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200]
    last = api.get("/me", as_="trainee")
    assert last.status_code == 429
    assert _is_error_shape(last)
    assert int(last.headers["Retry-After"]) > 0

"""Findings of the outside security test of the API, each held by a test of its own.

Every test here failed on the code the test was run against (a 500, a missing header,
or a replay across associations) and passes after the fix beside it."""

from __future__ import annotations

import base64
import json

import pytest

from app.accounts.models import Membership, Role
from app.extensions import db
from tests.fixtures.world import RULE_SET


def _cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("after", [10**30, -1, 2**63])
def test_a_cursor_past_any_id_is_refused_with_422_not_500(api, after):
    response = api.get("/audit-events", as_="admin", query_string={"cursor": _cursor({"after": after})})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["cursor"]


def test_a_body_nested_beyond_the_parser_is_a_400(api):
    deep = "[" * 100_000 + "]" * 100_000
    response = api.client.post(
        "/api/v1/enrolments", data=deep, content_type="application/json", headers=api.headers("admin")
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"


def test_a_405_names_the_allowed_methods(api):
    response = api.send("DELETE", "/me", as_="admin")
    assert response.status_code == 405
    assert response.headers["Allow"].split(", ") == sorted(["GET", "HEAD", "OPTIONS"])


def test_an_html_405_names_the_allowed_methods_too(client):
    response = client.open("/login", method="PUT")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"] and "GET" in response.headers["Allow"]


@pytest.mark.parametrize("path", ["/me", "/no-such-path", "/openapi.json"])
def test_api_answers_are_never_cached(api, path):
    response = api.get(path, as_="admin")
    assert response.headers["Cache-Control"] == "no-store"


def test_an_unauthenticated_api_error_is_not_cached_either(api):
    assert api.get("/me").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("value", ["", "  ", "abc", "1e3", "１", "-1", "99999999999999999999"])
def test_an_empty_or_non_numeric_association_header_is_a_400(api, value):
    response = api.get("/enrolments", as_="admin", headers={"X-Association-Id": value})
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["code"] == "bad_request"


def test_an_association_header_of_a_stranger_is_still_404(api, world):
    response = api.get("/enrolments", as_="admin", headers={"X-Association-Id": str(world.other.id)})
    assert response.status_code == 404


def test_an_idempotency_key_replays_only_inside_the_association_it_was_used_in(api, world):
    db.session.add(Membership(user_id=world.admin.id, association_id=world.other.id, role=Role.ADMIN.value))
    db.session.commit()
    body = {"slug": "pathway", "title": "Pathway", "source_yaml": RULE_SET}
    key = {"Idempotency-Key": "programme-1"}
    here = api.post(
        "/programmes", body, as_="admin", headers={**key, "X-Association-Id": str(world.association.id)}
    )
    there = api.post(
        "/programmes", body, as_="admin", headers={**key, "X-Association-Id": str(world.other.id)}
    )
    assert here.status_code == there.status_code == 201
    assert "Idempotent-Replayed" not in there.headers
    assert here.get_json()["id"] != there.get_json()["id"]
    listed = api.get("/programmes", as_="admin", headers={"X-Association-Id": str(world.other.id)}).get_json()
    assert [p["slug"] for p in listed["items"]] == ["pathway"]
    again = api.post(
        "/programmes", body, as_="admin", headers={**key, "X-Association-Id": str(world.other.id)}
    )
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == there.get_json()["id"]


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        ("SessionIn", "role"),
        ("SessionIn", "mode"),
        ("SessionIn", "group_kind"),
        ("SessionIn", "setting_category"),
        ("SupervisionIn", "mode"),
        ("SupervisionIn", "channel"),
        ("EventIn", "event_kind"),
        ("ObservationIn", "outcome"),
    ],
)
def test_coded_values_are_enums_in_the_openapi_document(api, schema, field):
    document = api.get("/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    declared = schemas[schema]["properties"][field]
    if "$ref" in declared:
        declared = schemas[declared["$ref"].rsplit("/", 1)[-1]]
    assert declared.get("enum"), f"{schema}.{field} is not an enum: {declared}"


def test_phases_are_enums_in_the_openapi_document(api):
    schemas = api.get("/openapi.json").get_json()["components"]["schemas"]
    items = schemas["SessionIn"]["properties"]["phases"]["items"]
    assert schemas[items["$ref"].rsplit("/", 1)[-1]]["enum"][0] == "opening"

"""Idempotent creation, and cursor pages that are stable and complete.

The whole journey through the API is in ``test_journey.py``."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.programmes.models import Enrolment


def _enrolment_body(world) -> dict:
    return {
        "trainee_id": world.trainee2.id,
        "programme_id": world.programme.id,
        "supervisor_ids": [world.supervisor.id],
        "started_on": "2025-03-01",
    }


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment))


def test_repeating_a_post_with_the_same_key_returns_the_same_result_without_a_duplicate(api, world):
    before = _count()
    key = {"Idempotency-Key": "enrol-tilda-1"}
    first = api.post("/enrolments", _enrolment_body(world), as_="admin", headers=key)
    again = api.post("/enrolments", _enrolment_body(world), as_="admin", headers=key)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count() == before + 1


def test_the_same_key_with_a_different_body_is_refused(api, world):
    key = {"Idempotency-Key": "enrol-tilda-2"}
    assert api.post("/enrolments", _enrolment_body(world), as_="admin", headers=key).status_code == 201
    changed = {**_enrolment_body(world), "started_on": "2025-04-01"}
    response = api.post("/enrolments", changed, as_="admin", headers=key)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "idempotency_key_reused"


def test_cursor_pages_are_stable_and_complete(api, world):
    for _attempt in range(3):
        api.post(f"/programmes/{world.programme.id}/rule-sets", {"source_yaml": "bad: ["}, as_="admin")
    seen, cursor = [], None
    while True:
        query = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = api.get("/audit-events", as_="admin", query_string=query).get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) > 1
    assert api.get("/audit-events", as_="admin", query_string={"cursor": "nonsense"}).status_code == 422

"""The applications API: the trainee applies, two panel members recommend, the admin accredits;
the applicant never sees the recommendations; other associations never see the application."""

from __future__ import annotations

import datetime as dt

from app.applications import services
from tests.api.conftest import api, secrets  # noqa: F401  (the API client and its tokens)
from tests.logbook.fixtures import signed


def test_apply_review_and_accredit_through_the_api(world, api):  # noqa: F811
    signed(world)
    signed(world)
    applied = api.post(
        "/applications", {"enrolment_id": world.enrolment.id, "statement": "Ready."}, as_="trainee"
    )
    assert applied.status_code == 201, applied.get_json()
    body = applied.get_json()
    a = body["id"]
    assert body["status"] == "open" and body["was_ready"] is True
    assert body["snapshot"]["requirements"][0]["id"] == "co-led"
    assert api.post("/applications", {"enrolment_id": world.enrolment.id}, as_="trainee").status_code == 409
    assert api.get(f"/applications/{a}", as_="other_admin").status_code == 404
    for person in (world.admin, world.supervisor):
        named = api.post(f"/applications/{a}/panel", {"user_id": person.id}, as_="admin")
        assert named.status_code == 200, named.get_json()
    early = api.post(
        f"/applications/{a}/decision", {"decision": "accredit", "reasons": "Meets all."}, as_="admin"
    )
    assert early.status_code == 409  # the supervisor has not recommended yet
    for role in ("admin", "supervisor"):
        review = {"recommendation": "accredit", "reasons": "Every rule is met."}
        assert api.post(f"/applications/{a}/reviews", review, as_=role).status_code == 201
    assert api.post(f"/applications/{a}/reviews", review, as_="supervisor").status_code == 409
    bad = api.post(f"/applications/{a}/decision", {"decision": "maybe", "reasons": "Hmm."}, as_="admin")
    assert bad.status_code == 422
    decided = api.post(
        f"/applications/{a}/decision", {"decision": "accredit", "reasons": "The panel agrees."}, as_="admin"
    )
    assert decided.status_code == 200, decided.get_json()
    result = decided.get_json()
    assert result["status"] == "accredited" and result["certificate_id"] and result["signature_sha256"]
    assert len(result["reviews"]) == 2
    seen_by_applicant = api.get(f"/applications/{a}", as_="trainee").get_json()
    assert seen_by_applicant["decision_reasons"] == "The panel agrees." and seen_by_applicant["reviews"] == []
    assert services.holds_level(world.trainee.id, world.association.id, "certified-leader", dt.date.today())
    listed = api.get("/applications?status=accredited", as_="supervisor").get_json()["items"]
    assert [item["id"] for item in listed] == [a]
    assert api.get("/applications", as_="other_admin").get_json()["items"] == []

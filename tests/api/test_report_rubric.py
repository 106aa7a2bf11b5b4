"""The API keeps parity with the rubric report pages: evidence, the default ten, and the
trainee's acknowledgement."""

from __future__ import annotations

from app.extensions import db
from app.requirements import reports
from tests.logbook.fixtures import signed


def test_evidence_and_acknowledgement_through_the_api(api, world):
    record = signed(world)
    ratings = {c.id: 3 for c in reports.competencies_for(world.enrolment)}
    assert len(ratings) == 10  # the programme names none: the canonical ten
    body = {
        "kind": "periodic",
        "period_end": "2025-11-01",
        "ratings": ratings,
        "evidence": {"participation": [f"record:{record.id}"]},
        "narrative": "Tomas invites the quieter members in.",
        "recommendation": "not_yet",
    }
    missing = api.post(
        f"/enrolments/{world.enrolment.id}/reports", {**body, "narrative": ""}, as_="supervisor"
    )
    assert missing.status_code == 422
    assert "Write the narrative" in str(missing.get_json())
    created = api.post(f"/enrolments/{world.enrolment.id}/reports", body, as_="supervisor")
    assert created.status_code == 201, created.get_json()
    report = created.get_json()
    assert report["evidence"] == {"participation": [f"record:{record.id}"]}
    assert report["acknowledgement"] is None
    assert api.post(f"/reports/{report['id']}/signature", as_="supervisor").status_code == 200
    db.session.expire_all()

    refused = api.post(f"/reports/{report['id']}/acknowledgement", {"comment": "x"}, as_="supervisor")
    assert refused.status_code == 403
    done = api.post(f"/reports/{report['id']}/acknowledgement", {"comment": "Agreed."}, as_="trainee")
    assert done.status_code == 201, done.get_json()
    assert done.get_json()["acknowledgement"]["comment"] == "Agreed."
    assert done.get_json()["status"] == "signed"
    again = api.post(f"/reports/{report['id']}/acknowledgement", {"comment": ""}, as_="trainee")
    assert again.status_code == 409
    shown = api.get(f"/reports/{report['id']}", as_="supervisor").get_json()
    assert shown["acknowledgement"]["acknowledged_at"]

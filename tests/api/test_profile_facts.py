"""Profile facts through the API: an admin records them, the trainee reads them."""

from __future__ import annotations


def test_an_admin_records_profile_facts_and_the_trainee_reads_them(api, world):
    e = world.enrolment.id
    assert (
        api.post(f"/enrolments/{e}/memberships", {"started_on": "2022-01-01"}, as_="admin").status_code == 201
    )
    response = api.post(
        f"/enrolments/{e}/qualifications", {"kind": "gp-specialist", "obtained_on": "2021-06-30"}, as_="admin"
    )
    assert response.status_code == 201
    response = api.post(
        f"/enrolments/{e}/exams",
        {
            "kind": "assessed-intensive",
            "outcome": "satisfactory",
            "occurred_on": "2025-03-01",
            "examiner_id": world.supervisor2.id,
        },
        as_="admin",
    )
    assert response.status_code == 201
    body = api.get(f"/enrolments/{e}/profile-facts", as_="trainee").get_json()
    assert body["memberships"][0]["ended_on"] is None
    assert body["qualifications"] == [
        {"id": body["qualifications"][0]["id"], "kind": "gp-specialist", "obtained_on": "2021-06-30"}
    ]
    assert body["exams"][0]["examiner_name"] == world.supervisor2.name
    refused = api.post(
        f"/enrolments/{e}/exams",
        {"kind": "exam", "outcome": "failed", "occurred_on": "2025-03-01", "examiner_name": "X"},
        as_="admin",
    )
    assert refused.status_code == 422

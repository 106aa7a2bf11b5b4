"""The admin records a trainee's profile facts through the page's forms (with CSRF); the
trainee sees them, and what they change, on their progress page."""

from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.programmes import services as programmes

TRACKED = """
title: Tracked
tracks: {gp: General practitioners, psych: Psychiatrists}
requirements:
  - {id: kept, label: Member for 2 years without a break, kind: elapsed, since: membership, years: 2,
     continuous: true, source: "test"}
  - {id: gp-exam, label: GP exam passed, kind: total, records: exams, where: {outcome: passed}, at_least: 1,
     when: {track: gp}, source: "test"}
"""


def _tracked_enrolment(world):
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="tracked", title="Tracked", rule_set_source=TRACKED
    )
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2024, 1, 1),
    )
    db.session.commit()
    return enrolment


def test_an_admin_records_track_membership_qualification_and_exam_and_the_trainee_sees_them(
    app, world, client
):
    enrolment = _tracked_enrolment(world)
    page = f"/progress/enrolments/{enrolment.id}/facts"
    client.login(world.admin.email)
    assert client.submit(page, {"track": "psych"}, action=f"{page}/track").status_code == 302
    response = client.submit(page, {"started_on": "2020-03-01", "ended_on": ""}, action=f"{page}/memberships")
    assert response.status_code == 302
    response = client.submit(
        page, {"kind": "psychiatry-specialist", "obtained_on": "2019-05-02"}, action=f"{page}/qualifications"
    )
    assert response.status_code == 302
    response = client.submit(
        page,
        {
            "kind": "exam",
            "outcome": "passed",
            "occurred_on": "2025-02-01",
            "examiner_id": "0",
            "examiner_name": "Dr Outside",
        },
        action=f"{page}/exams",
    )
    assert response.status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert "Specialist in psychiatry" in shown and "Dr Outside" in shown
    client.logout()

    client.login(world.trainee2.email)
    progress = client.get(f"/progress/enrolments/{enrolment.id}").get_data(as_text=True)
    assert "Psychiatrists" in progress and "Examination" in progress
    assert "Not applicable to your track." in progress  # the GP branch
    assert client.get(page).status_code == 403  # recording is for admins


def test_a_membership_ending_before_it_starts_is_shown_again_with_the_error(world, client):
    enrolment = _tracked_enrolment(world)
    page = f"/progress/enrolments/{enrolment.id}/facts"
    client.login(world.admin.email)
    response = client.submit(
        page, {"started_on": "2024-05-01", "ended_on": "2024-04-30"}, action=f"{page}/memberships"
    )
    assert response.status_code == 422
    assert "The membership cannot end before it starts." in response.get_data(as_text=True) or (
        "Before the start." in response.get_data(as_text=True)
    )


def test_an_unknown_track_is_refused(world, client):
    enrolment = _tracked_enrolment(world)
    page = f"/progress/enrolments/{enrolment.id}/facts"
    client.login(world.admin.email)
    response = client.submit(page, {"track": "dentist"}, action=f"{page}/track")
    assert response.status_code == 422 and "Unknown track." in response.get_data(as_text=True)

"""The renewal operations: the holder reads their progress, an admin renews once the rules are met."""

from __future__ import annotations

import datetime as dt

from app.certificates import issuing
from app.extensions import db
from tests.certificates.conftest import make_ready
from tests.certificates.test_renewal import give_renewal_rules
from tests.requirements.records import add_session


def test_renewal_progress_and_renewal_through_the_api(app, api, world, tmp_path):
    give_renewal_rules(app, world, tmp_path)
    make_ready(world.enrolment, world.supervisor)
    issued_on = dt.date.today() - dt.timedelta(days=200)
    certificate = issuing.issue(world.admin, world.enrolment.id, today=issued_on)
    db.session.commit()
    path = f"/certificates/{certificate.id}/renewal"
    progress = api.get(path, as_="trainee").get_json()
    assert progress["rules"] == "test-renewal" and progress["is_met"] is False
    assert progress["period_start"] == issued_on.isoformat()
    assert progress["requirements"][0]["missing"] == "2 more sessions."
    assert api.post(path, {}, as_="admin").status_code == 409
    add_session(world.enrolment, issued_on, signer=world.supervisor)
    add_session(world.enrolment, dt.date.today(), signer=world.supervisor)
    db.session.commit()
    assert api.post(path, {}, as_="trainee").status_code == 403
    renewed = api.post(path, {}, as_="admin")
    assert renewed.status_code == 201
    body = renewed.get_json()
    assert body["serial"] != certificate.serial and body["first_awarded_on"] == issued_on.isoformat()
    assert body["issued_on"] == dt.date.today().isoformat()

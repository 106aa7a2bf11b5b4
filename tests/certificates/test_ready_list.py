"""One ready list: the admin home's link, the cohort's "ready" filter and the certificates
page show the same people (nobody who already holds a certificate), with their certificate
status; nothing is ticked; a batch goes only after its preview."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.certificates import corrections, issuing, records
from app.certificates.models import CertificateBatch
from app.extensions import db
from app.requirements import reports
from tests.certificates.test_views import _enrol_ready

PEOPLE = ("Tomas Trainee", "Ready 002", "Ready 003")


def _names_on(html: str) -> set[str]:
    return {name for name in PEOPLE if name in html}


def _world_with_a_certified_trainee(world, ready, make_user):
    """Three ready trainees; the world's trainee already holds a valid certificate."""
    second, third = _enrol_ready(world, make_user, 2), _enrol_ready(world, make_user, 3)
    issuing.issue(world.admin, ready.id)
    db.session.commit()
    return second, third


def _home_tile_target(client) -> str:
    home = client.get("/home").get_data(as_text=True)
    [href] = re.findall(r'<a href="([^"]+)">Ready for certificate</a>', home)
    return href


def test_the_home_tile_and_the_certificates_page_list_the_same_people(client, world, ready, make_user):
    # The disagreement reported: the home's list counted the certified trainee, the
    # certificates page did not. Both now read ``records.ready_list``.
    second, third = _world_with_a_certified_trainee(world, ready, make_user)
    client.login("admin@x.test")
    tile = client.get(_home_tile_target(client), follow_redirects=True).get_data(as_text=True)
    page = client.get("/certificates/ready").get_data(as_text=True)
    cohort = client.get("/progress/cohort?state=ready").get_data(as_text=True)
    assert _names_on(tile) == _names_on(page) == _names_on(cohort) == {"Ready 002", "Ready 003"}
    assert f'value="{second.id}"' in page and f'value="{third.id}"' in page


def test_someone_holding_a_valid_certificate_is_not_on_the_ready_list(world, ready, make_user):
    second, third = _world_with_a_certified_trainee(world, ready, make_user)
    rows = records.ready_list(world.admin, world.association.id)
    assert {row.enrolment.id for row in rows} == {second.id, third.id}
    assert {row.certificate_status for row in rows} == {"none"}


def test_a_revoked_certificate_puts_the_trainee_back_on_the_list_with_its_status(world, ready, make_user):
    certificate = issuing.issue(world.admin, ready.id)
    db.session.commit()
    assert ready.id not in {row.enrolment.id for row in records.ready_list(world.admin, world.association.id)}
    corrections.revoke(
        world.admin, certificate.id, reason="Issued to the wrong person", privacy_confirmed=True
    )
    db.session.commit()
    [row] = records.ready_list(world.admin, world.association.id)
    assert row.enrolment.id == ready.id and row.certificate_status == "revoked"


def test_the_dashboard_counts_the_same_ready_list(client, world, ready, make_user):
    _world_with_a_certified_trainee(world, ready, make_user)
    assert len(records.ready_list(world.admin, world.association.id)) == 2
    assert records.panel_decisions([ready.id]) == {}  # the hook: no panel exists yet


def test_nothing_on_the_ready_list_is_ticked(client, world, ready, make_user):
    _enrol_ready(world, make_user, 2)
    client.login("admin@x.test")
    html = client.get("/certificates/ready").get_data(as_text=True)
    assert 'type="checkbox"' in html
    assert not re.search(r"<input[^>]*\bchecked\b", html)


def test_a_batch_is_issued_only_after_its_preview_is_confirmed(client, world, ready, make_user):
    second = _enrol_ready(world, make_user, 2)
    client.login("admin@x.test")
    chosen = {"enrolment_ids": [ready.id, second.id]}
    preview = client.submit("/certificates/ready", chosen, action="/certificates/batches/preview")
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "Tomas Trainee" in html and "trainee@x.test" in html and "ready2@x.test" in html
    assert db.session.scalar(select(CertificateBatch)) is None
    unconfirmed = client.submit("/certificates/ready", chosen, action="/certificates/batches")
    assert unconfirmed.status_code == 200  # the preview again, nothing issued
    assert db.session.scalar(select(CertificateBatch)) is None
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    confirmed = client.post(
        "/certificates/batches", data={"csrf_token": token, "confirmed": "y", "confirm_final": "y", **chosen}
    )
    assert confirmed.status_code == 302
    assert db.session.scalar(select(CertificateBatch)).size == 2


def test_the_preview_refuses_a_trainee_who_is_already_certified(client, world, ready, make_user):
    second = _enrol_ready(world, make_user, 2)
    issuing.issue(world.admin, ready.id)
    db.session.commit()
    client.login("admin@x.test")
    response = client.submit(
        "/certificates/ready",
        {"enrolment_ids": [ready.id, second.id]},
        action="/certificates/batches/preview",
    )
    assert response.status_code == 409
    assert "Already certified: Tomas Trainee" in response.get_data(as_text=True)


def test_the_ready_list_shows_the_supervisors_latest_recommendation(client, world, ready):
    for recommendation, period_end in (("not_yet", dt.date(2025, 6, 1)), ("ready", dt.date(2026, 2, 1))):
        report = reports.save_report(
            world.supervisor,
            ready.id,
            kind="final",
            period_start=dt.date(2025, 1, 1),
            period_end=period_end,
            ratings={c.id: 3 for c in reports.competencies_for(ready)},
            narrative="Holds the frame.",
            recommendation=recommendation,
        )
        reports.sign_report(world.supervisor, report.id)
        db.session.commit()
    [row] = records.ready_list(world.admin, world.association.id)
    assert row.recommendation.recommendation == "ready"
    client.login("admin@x.test")
    html = client.get("/certificates/ready").get_data(as_text=True)
    assert f"{world.supervisor.name} recommends accreditation" in html


def test_the_list_says_where_a_trainees_application_to_the_panel_stands(client, world, ready):
    from app.applications import services as applications

    applications.apply(world.trainee, world.association.id, ready.id)
    db.session.commit()
    rows = records.ready_list(world.admin, world.association.id)
    assert [row.panel_decision for row in rows] == ["Open: with the panel"]
    client.login("admin@x.test")
    assert "Panel: Open: with the panel" in client.get("/certificates/ready").get_data(as_text=True)

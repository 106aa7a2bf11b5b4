"""Renewal: progress counts the records of the validity period, renewal needs the rules met,
and the renewed certificate supersedes the old one and keeps the original award date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from app.audit.models import AuditEvent
from app.certificates import credential, issuing, rendering, renewal, suspension, verification
from app.certificates.models import Certificate
from app.errors import Forbidden, InvalidState, ValidationError
from app.extensions import db
from app.notifications.models import Notification
from app.programmes import services as programmes
from app.programmes.rule_sets import parse_rule_set_source
from tests.certificates.conftest import make_ready
from tests.fixtures.world import RULE_SET
from tests.requirements.records import add_session

ISSUED = dt.date(2026, 3, 5)
EXPIRES = dt.date(2027, 3, 5)

RENEWAL_RULES = """\
title: "Test renewal"
requirements:
  - id: renewal-sessions
    label: "Co-led sessions in the period"
    kind: total
    records: sessions
    where:
      role: co-leader
    at_least: 2
"""


def give_renewal_rules(app, world, folder) -> None:
    """The world's programme: certificates valid 12 months, renewed by two co-led sessions."""
    (folder / "test-renewal.yaml").write_text(RENEWAL_RULES)
    app.config["RENEWAL_RULE_SETS_DIR"] = str(folder)
    world.programme.validity_months = 12
    programmes.add_rule_set_version(
        world.admin, world.association.id, world.programme.id, RULE_SET + "renewal: test-renewal\n"
    )
    db.session.commit()


@pytest.fixture
def expiring(app, world, tmp_path):
    """A certificate issued 2026-03-05, expiring 2027-03-05, whose programme names renewal rules."""
    give_renewal_rules(app, world, tmp_path)
    make_ready(world.enrolment, world.supervisor)
    certificate = issuing.issue(world.admin, world.enrolment.id, today=ISSUED)
    db.session.commit()
    assert (certificate.first_awarded_on, certificate.expires_on) == (ISSUED, EXPIRES)
    return certificate


def test_renewal_counts_only_records_inside_the_validity_period(world, expiring):
    add_session(world.enrolment, ISSUED - dt.timedelta(days=1), signer=world.supervisor)  # the day before
    db.session.commit()
    progress = renewal.progress_of(expiring, EXPIRES)
    assert progress.evaluation.outcomes[0].current == 0  # nor the two sessions that earned it (2025-26)
    add_session(world.enrolment, ISSUED, signer=world.supervisor)
    add_session(world.enrolment, EXPIRES, signer=world.supervisor)
    db.session.commit()
    progress = renewal.progress_of(expiring, EXPIRES)
    assert progress.evaluation.outcomes[0].current == 2 and progress.is_met


def test_renewal_is_refused_until_the_rules_are_met(world, expiring):
    add_session(world.enrolment, dt.date(2026, 6, 1), signer=world.supervisor)
    db.session.commit()
    with pytest.raises(InvalidState, match="not met yet: Co-led sessions in the period"):
        renewal.renew(world.admin, expiring.id, today=dt.date(2027, 2, 1))
    db.session.rollback()
    add_session(world.enrolment, dt.date(2026, 9, 1), signer=world.supervisor)
    db.session.commit()
    with pytest.raises(InvalidState, match="can no longer be renewed"):
        renewal.renew(world.admin, expiring.id, today=EXPIRES + dt.timedelta(days=renewal.GRACE_DAYS + 1))
    db.session.rollback()
    with pytest.raises(Forbidden):  # only admins renew
        renewal.renew(world.trainee, expiring.id, today=dt.date(2027, 2, 1))


def test_a_suspended_certificate_is_not_renewed_until_the_suspension_is_lifted(world, expiring):
    add_session(world.enrolment, dt.date(2026, 6, 1), signer=world.supervisor)
    add_session(world.enrolment, dt.date(2026, 9, 1), signer=world.supervisor)
    suspension.suspend(world.admin, expiring.id, reason="A complaint is being looked into.")
    db.session.commit()
    with pytest.raises(InvalidState, match="suspended certificate cannot be renewed"):
        renewal.renew(world.admin, expiring.id, today=dt.date(2027, 2, 1))
    db.session.rollback()
    suspension.lift(world.admin, expiring.id, note="The complaint was settled.")
    db.session.commit()
    assert renewal.renew(world.admin, expiring.id, today=dt.date(2027, 2, 1)).supersedes_id == expiring.id


def test_renewed_certificate_supersedes_and_keeps_the_original_award_date(world, expiring):
    add_session(world.enrolment, dt.date(2026, 6, 1), signer=world.supervisor)
    add_session(world.enrolment, dt.date(2026, 9, 1), signer=world.supervisor)
    db.session.commit()
    renewed_on = EXPIRES + dt.timedelta(days=10)  # expired, within the grace period
    new = renewal.renew(world.admin, expiring.id, today=renewed_on)
    db.session.commit()
    db.session.refresh(expiring)
    assert expiring.state == "superseded" and new.supersedes_id == expiring.id and new.is_renewal
    assert new.serial != expiring.serial
    assert (new.first_awarded_on, new.issued_on, new.expires_on) == (ISSUED, renewed_on, dt.date(2028, 3, 15))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.renewed"))
    assert event.details["supersedes"] == expiring.serial and event.details["renewal_rules"] == "test-renewal"
    assert "has been renewed" in db.session.scalar(
        select(Notification.message)
        .where(Notification.user_id == world.trainee.id)
        .order_by(Notification.id.desc())
    )
    # The PDF, the verification record and the credential show the original award beside the new period.
    printed = rendering.render_html(rendering.document_for(new))
    assert "First awarded on" in printed and "March 5, 2026" in printed and "March 15, 2028" in printed
    assert verification.public_record(new).as_json()["first_awarded_on"] == "2026-03-05"
    document = credential.unsigned_credential(new)
    assert document["awardedDate"] == "2026-03-05T00:00:00Z"
    assert document["validUntil"] == "2028-03-15T23:59:59Z"
    # A correction of the renewed certificate keeps the original award date too.
    from app.certificates import corrections

    corrected = corrections.reissue(world.admin, new.id, reason="Spelling of the name", today=renewed_on)
    assert corrected.first_awarded_on == ISSUED


def test_the_database_refuses_to_change_the_original_award_date(expiring):
    with pytest.raises(DatabaseError, match="final"):
        db.session.execute(
            text("UPDATE certificate SET first_awarded_on = :day WHERE id = :id"),
            {"day": dt.date(2020, 1, 1), "id": expiring.id},
        )
    db.session.rollback()
    assert db.session.get(Certificate, expiring.id).first_awarded_on == ISSUED


def test_a_rule_set_naming_a_missing_renewal_rule_set_is_refused(app, tmp_path):
    app.config["RENEWAL_RULE_SETS_DIR"] = str(tmp_path)
    with pytest.raises(ValidationError, match="no renewal rule set named 'absent'"):
        parse_rule_set_source(RULE_SET + "renewal: absent\n")


def test_the_holder_sees_progress_towards_renewal(client, world, expiring):
    add_session(world.enrolment, dt.date(2026, 6, 1), signer=world.supervisor)
    db.session.commit()
    client.login("trainee@x.test")
    for page in ("/certificates/mine", "/home"):
        html = client.get(page).get_data(as_text=True)
        assert "Towards renewal" in html and "Expires on March 5, 2027" in html
        assert "1 essential renewal requirement still open." in html
    assert "Co-led sessions in the period" in client.get("/certificates/mine").get_data(as_text=True)


def test_an_admin_renews_from_the_confirmation_page(app, client, world, tmp_path):
    give_renewal_rules(app, world, tmp_path)
    make_ready(world.enrolment, world.supervisor)
    issued_on = dt.date.today() - dt.timedelta(days=300)  # the pages renew as of today
    expiring = issuing.issue(world.admin, world.enrolment.id, today=issued_on)
    db.session.commit()
    client.login("admin@x.test")
    page = f"/certificates/{expiring.id}/renewal"
    assert "Renewal…" in client.get(f"/certificates/{expiring.id}").get_data(as_text=True)
    assert "Renewal…" in client.get("/certificates/renewals").get_data(as_text=True)  # due within 90 days
    unmet = client.get(page).get_data(as_text=True)
    assert "not met yet" in unmet and f'action="{page}"' not in unmet
    assert client.post(page, data={}).status_code == 400  # no CSRF token: nothing happens
    assert client.submit(page, {"confirm_final": "y"}, action=page).status_code == 409
    add_session(world.enrolment, dt.date.today(), signer=world.supervisor)
    add_session(world.enrolment, issued_on, signer=world.supervisor)
    db.session.commit()
    assert f'action="{page}"' in client.get(page).get_data(as_text=True)
    response = client.submit(page, {"confirm_final": "y"}, action=page)
    assert response.status_code == 302
    new = db.session.scalar(select(Certificate).where(Certificate.supersedes_id == expiring.id))
    assert response.headers["Location"].endswith(f"/certificates/{new.id}")
    detail = client.get(f"/certificates/{new.id}").get_data(as_text=True)
    assert "First awarded on" in detail and "Renews" in detail


def test_an_admin_sets_the_programmes_certificate_validity(client, world):
    client.login("admin@x.test")
    page = f"/admin/programmes/{world.programme.id}"
    action = f"{page}/validity"
    assert client.submit(page, {"validity-validity_months": "0"}, action=action).status_code == 422
    with pytest.raises(ValidationError):
        programmes.set_certificate_validity(world.admin, world.association.id, world.programme.id, 601)
    assert client.submit(page, {"validity-validity_months": "24"}, action=action).status_code == 302
    db.session.expire_all()
    assert world.programme.validity_months == 24
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "programme.validity_changed"))
    assert (event.details["before"], event.details["after"]) == (None, 24)
    assert client.submit(page, {"validity-validity_months": ""}, action=action).status_code == 302
    db.session.expire_all()
    assert world.programme.validity_months is None


def test_ruleset_check_checks_the_named_renewal_rule_set(app, tmp_path):
    shipped = sorted(Path(app.config["PROGRAMME_PRESETS_DIR"]).glob("*.yaml"))
    result = app.test_cli_runner().invoke(args=["ruleset", "check", *map(str, shipped)])
    assert result.exit_code == 0 and "renewal: continuing-development" in result.output
    programme = tmp_path / "programme.yaml"
    programme.write_text(RULE_SET + "renewal: test-renewal\n")
    result = app.test_cli_runner().invoke(args=["ruleset", "check", str(programme)])
    assert result.exit_code == 1 and f"{programme}:10: renewal 'test-renewal'" in result.output
    (tmp_path / "renewal").mkdir()
    (tmp_path / "renewal" / "test-renewal.yaml").write_text(
        RENEWAL_RULES.replace("at_least: 2", "at_least: 0")
    )
    result = app.test_cli_runner().invoke(args=["ruleset", "check", str(programme)])
    assert result.exit_code == 1 and "line 9: the minimum for records must be a positive" in result.output
    (tmp_path / "renewal" / "test-renewal.yaml").write_text(RENEWAL_RULES)
    result = app.test_cli_runner().invoke(args=["ruleset", "check", str(programme)])
    assert result.exit_code == 0, result.output

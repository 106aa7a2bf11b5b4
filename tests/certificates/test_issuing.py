"""Issuing, overriding, batches, re-issuing and revoking, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.certificates import corrections, issuing, records, rendering, serials
from app.certificates.models import Certificate, CertificateState, CertificateStatus
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.notifications.models import Notification
from app.privacy.guard import PrivacyWarning
from app.programmes import services as programmes
from tests.certificates.conftest import make_ready
from tests.requirements.records import add_session

TODAY = dt.date(2026, 3, 5)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_issue_is_refused_with_the_unmet_essential_requirements(world):
    add_session(world.enrolment, dt.date(2025, 5, 1))
    db.session.commit()
    with pytest.raises(issuing.NotReady) as refused:
        issuing.issue(world.admin, world.enrolment.id, today=TODAY)
    [(label, missing)] = refused.value.unmet
    assert label == "Co-led sessions"
    assert missing.startswith("1 more session")
    assert "Co-led sessions" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(select(Certificate.id)) is None
    assert _events("certificate.issued") == []


def test_override_with_a_reason_issues_and_audits_it(world):
    certificate = issuing.issue(
        world.admin,
        world.enrolment.id,
        override_reason="Trained abroad; sessions verified by letter.",
        today=TODAY,
    )
    db.session.commit()
    assert certificate.override_reason == "Trained abroad; sessions verified by letter."
    [override] = _events("certificate.override")
    assert override.actor_id == world.admin.id
    assert override.details["reason"] == "Trained abroad; sessions verified by letter."
    assert override.details["unmet"] == ["co-led"]
    assert override.details["serial"] == certificate.serial
    assert len(_events("certificate.issued")) == 1


def test_an_override_needs_a_real_reason(world):
    with pytest.raises(ValidationError) as invalid:
        issuing.issue(world.admin, world.enrolment.id, override_reason="ok", today=TODAY)
    assert "override_reason" in invalid.value.fields


def test_an_override_reason_that_names_someone_needs_confirmation(world):
    reason = "Mrs Jane Smith of 12 Baker Street vouched for the sessions."
    with pytest.raises(PrivacyWarning):
        issuing.issue(world.admin, world.enrolment.id, override_reason=reason, today=TODAY)
    db.session.rollback()
    certificate = issuing.issue(
        world.admin, world.enrolment.id, override_reason=reason, privacy_confirmed=True, today=TODAY
    )
    assert certificate.override_reason == reason


def test_a_certificate_records_everything_it_prints(world, ready):
    world.programme.validity_months = 36
    world.association.signatory_name = "Dr Vera Signer"
    world.association.signatory_role = "President"
    db.session.commit()
    certificate = issuing.issue(world.admin, ready.id, holder_name="Dr  Tomas  Trainee", today=TODAY)
    db.session.commit()
    assert serials.is_well_formed(certificate.serial)
    assert certificate.serial.startswith("BSX-2026-00001-")
    assert certificate.holder_name == "Dr Tomas Trainee"
    assert certificate.programme_title == "Leader training"
    assert certificate.rule_set_version == 1
    assert certificate.issued_on == TODAY
    assert certificate.expires_on == dt.date(2029, 3, 5)
    assert (certificate.signatory_name, certificate.signatory_role) == ("Dr Vera Signer", "President")
    assert certificate.achievement == "2 co-led sessions, 2025–2026"
    assert certificate.verify_url == f"http://localhost/verify/{certificate.serial}"
    rendered = rendering.render_document(rendering.document_for(certificate))
    assert records.matches_issued(certificate, rendered)  # the sealed PDF begins with this rendering
    assert certificate.status_on(TODAY) == CertificateStatus.VALID


def test_without_validity_a_certificate_never_expires(world, ready):
    certificate = issuing.issue(world.admin, ready.id, today=TODAY)
    assert certificate.expires_on is None
    assert certificate.status_on(dt.date(2090, 1, 1)) == CertificateStatus.VALID


def test_expiry_is_on_the_last_day_of_a_shorter_month():
    assert issuing.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert issuing.add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)


def test_the_holder_is_notified(world, ready):
    certificate = issuing.issue(world.admin, ready.id, today=TODAY)
    db.session.commit()
    [notification] = db.session.scalars(select(Notification).where(Notification.user_id == world.trainee.id))
    assert "Leader training" in notification.message
    assert notification.link == f"/certificates/{certificate.id}"


def test_a_second_certificate_for_the_same_enrolment_is_refused(world, certificate):
    with pytest.raises(InvalidState) as refused:
        issuing.issue(world.admin, world.enrolment.id, today=TODAY)
    assert certificate.serial in refused.value.message


def test_the_database_allows_one_valid_certificate_per_enrolment(world, certificate):
    twin = Certificate(
        **{
            column.key: getattr(certificate, column.key)
            for column in Certificate.__table__.columns
            if column.key not in ("id", "serial")
        },
        serial=serials.format_serial("BSX", 2026, 99),
    )
    db.session.add(twin)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_only_admins_of_the_association_issue(world, ready):
    with pytest.raises(Forbidden):
        issuing.issue(world.supervisor, ready.id, today=TODAY)
    with pytest.raises(NotFound):
        issuing.issue(world.other_admin, ready.id, today=TODAY)


def test_revocation_keeps_the_record_with_date_and_reason(world, certificate):
    revoked = corrections.revoke(world.admin, certificate.id, reason="Issued in error after a data mix-up.")
    db.session.commit()
    assert revoked.state == CertificateState.REVOKED
    assert revoked.revocation_reason == "Issued in error after a data mix-up."
    assert revoked.revoked_by_id == world.admin.id
    assert revoked.status_on(TODAY) == CertificateStatus.REVOKED
    assert db.session.get(Certificate, certificate.id) is not None
    [event] = _events("certificate.revoked")
    assert event.details["reason"] == "Issued in error after a data mix-up."
    with pytest.raises(InvalidState):
        corrections.revoke(world.admin, certificate.id, reason="Twice is not possible.")


def test_after_revocation_a_new_certificate_can_be_issued(world, certificate):
    corrections.revoke(world.admin, certificate.id, reason="Issued in error after a data mix-up.")
    db.session.commit()
    again = issuing.issue(world.admin, world.enrolment.id, today=TODAY)
    assert again.serial != certificate.serial


def test_reissue_supersedes_and_points_to_the_new_certificate(world, certificate):
    new = corrections.reissue(
        world.admin, certificate.id, reason="Name changed after marriage.", holder_name="Tomas Married"
    )
    db.session.commit()
    old = db.session.get(Certificate, certificate.id)
    assert old.state == CertificateState.SUPERSEDED
    assert old.superseded_by.id == new.id
    assert new.supersedes_id == old.id
    assert new.holder_name == "Tomas Married"
    assert new.serial != old.serial
    assert new.expires_on == old.expires_on
    assert new.achievement == old.achievement
    assert new.pdf_sha256 and new.pdf_sha256 != old.pdf_sha256
    [event] = _events("certificate.reissued")
    assert event.details == {
        "serial": new.serial,
        "supersedes": old.serial,
        "reason": "Name changed after marriage.",
        "pdf_sha256": new.pdf_sha256,
    }
    with pytest.raises(InvalidState):
        corrections.reissue(world.admin, old.id, reason="Cannot replace a replaced one.")


def test_the_holder_cannot_revoke_their_own_certificate(world, certificate):
    with pytest.raises(Forbidden):
        corrections.revoke(world.trainee, certificate.id, reason="I would rather not have it.")
    with pytest.raises(NotFound):
        corrections.revoke(world.trainee2, certificate.id, reason="Someone else's certificate.")


def test_batch_issues_to_everyone_chosen_and_audits_each(world, ready):
    second = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=world.programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2025, 1, 20),
    )
    db.session.commit()
    make_ready(second, world.supervisor)
    batch = issuing.issue_batch(world.admin, world.association.id, [ready.id, second.id], today=TODAY)
    db.session.commit()
    issued = list(db.session.scalars(select(Certificate).where(Certificate.batch_id == batch.id)))
    assert sorted(c.holder_name for c in issued) == ["Tilda Two", "Tomas Trainee"]
    assert len({c.serial for c in issued}) == 2
    assert all(c.pdf_sha256 for c in issued)
    assert len(_events("certificate.issued")) == 2
    assert len(_events("certificate.batch_issued")) == 1


def test_batch_refuses_trainees_who_are_not_ready(world):
    with pytest.raises(InvalidState) as refused:
        issuing.issue_batch(world.admin, world.association.id, [world.enrolment.id], today=TODAY)
    assert "Tomas Trainee" in refused.value.message


def test_batch_cannot_reach_into_another_association(world, ready):
    with pytest.raises(NotFound):
        issuing.issue_batch(world.other_admin, world.other.id, [ready.id], today=TODAY)


@pytest.mark.production_database  # about rendering in two processes, not about the database: once
def test_a_batch_rendered_by_two_worker_processes_gives_the_same_pdfs(world, ready, make_user):
    enrolment_ids = [ready.id]
    for number in range(2):
        trainee = make_user(
            f"pool{number}@x.test", world.association, Role.TRAINEE, name=f"Pool Trainee {number}"
        )
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=trainee.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2025, 1, 15),
        )
        db.session.commit()
        make_ready(enrolment, world.supervisor)
        enrolment_ids.append(enrolment.id)
    batch = issuing.issue_batch(world.admin, world.association.id, enrolment_ids, today=TODAY, processes=2)
    db.session.commit()
    issued = list(db.session.scalars(select(Certificate).where(Certificate.batch_id == batch.id)))
    assert len(issued) == 3
    for certificate in issued:  # what the workers rendered is what this process renders
        rendered = rendering.render_document(rendering.document_for(certificate))
        assert records.matches_issued(certificate, rendered)

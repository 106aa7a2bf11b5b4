"""Applications for accreditation through the services: states, finality, permissions, tenancy."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.applications import services
from app.applications.models import AccreditationApplication, PanelReview
from app.audit.models import AuditEvent
from app.certificates.models import Certificate
from app.documents.models import DocumentKind
from app.documents.services import current as current_document
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.mail.models import MailDelivery
from app.notifications.models import Notification
from tests.applications.conftest import ready_application, with_panel


def _actions(application_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(
                AuditEvent.object_type == "AccreditationApplication",
                AuditEvent.object_id == str(application_id),
            )
            .order_by(AuditEvent.id)
        )
    )


def test_applying_freezes_the_snapshot_the_portfolio_and_the_date(world):
    application = ready_application(world)
    snapshot = json.loads(application.snapshot_json)
    assert application.status == "open"
    assert application.was_ready is True
    assert snapshot["rule_set"]["version"] == world.enrolment.rule_set.version
    co_led = next(r for r in snapshot["requirements"] if r["id"] == "co-led")
    assert co_led["is_satisfied"] and len(co_led["evidence"]) == 2
    assert {r["id"] for r in snapshot["records"]} == set(co_led["evidence"])
    stored = current_document(DocumentKind.APPLICATION_PORTFOLIO, application.id)
    assert stored.content.startswith(b"%PDF") and stored.sha256 == application.portfolio_sha256
    assert services.application_date(world.enrolment) == dt.date.today()
    assert "application.submitted" in _actions(application.id)
    # the admins hear of it
    assert db.session.scalar(select(Notification).where(Notification.user_id == world.admin.id))


def test_application_date_is_none_before_applying(world):
    assert services.application_date(world.enrolment) is None
    assert services.application_dates([world.enrolment.id]) == {}


def test_a_trainee_cannot_have_two_open_applications(world):
    ready_application(world)
    with pytest.raises(InvalidState):
        services.apply(world.trainee, world.association.id, world.enrolment.id)


def test_the_database_refuses_a_second_open_application(world):
    first = ready_application(world)
    db.session.add(
        AccreditationApplication(
            association_id=first.association_id,
            enrolment_id=first.enrolment_id,
            trainee_id=first.trainee_id,
            applied_on=first.applied_on,
            rule_set_id=first.rule_set_id,
            rule_set_version=first.rule_set_version,
            snapshot_json="{}",
            portfolio_sha256="0" * 64,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_only_the_trainee_applies_for_themselves(world):
    for actor in (world.admin, world.supervisor, world.trainee2):
        with pytest.raises((Forbidden, NotFound)):
            services.apply(actor, world.association.id, world.enrolment.id)
    with pytest.raises(NotFound):
        services.apply(world.other_admin, world.other.id, world.enrolment.id)


def test_who_sees_an_application(world):
    application = ready_application(world)
    for person in (world.trainee, world.admin):
        assert services.get_application(person, world.association.id, application.id) == application
    for person in (world.supervisor2, world.trainee2):
        with pytest.raises(Forbidden):
            services.get_application(person, world.association.id, application.id)
    with pytest.raises(NotFound):
        services.get_application(world.other_admin, world.other.id, application.id)
    services.add_panel_member(world.admin, world.association.id, application.id, world.supervisor.id)
    assert services.get_application(world.supervisor, world.association.id, application.id) == application


def test_only_eligible_people_sit_on_the_panel_and_only_admins_name_them(world):
    application = ready_application(world)
    with pytest.raises(ValidationError):  # not accredited, no level, not an admin
        services.add_panel_member(world.admin, world.association.id, application.id, world.supervisor2.id)
    with pytest.raises(ValidationError):  # never the applicant
        services.add_panel_member(world.admin, world.association.id, application.id, world.trainee.id)
    with pytest.raises(Forbidden):
        services.add_panel_member(world.trainee, world.association.id, application.id, world.supervisor.id)


def test_only_panel_members_recommend_and_only_once(world):
    application = ready_application(world)
    services.add_panel_member(world.admin, world.association.id, application.id, world.supervisor.id)
    with pytest.raises(Forbidden):
        services.record_review(world.trainee, world.association.id, application.id, "accredit", "Looks good.")
    with pytest.raises(ValidationError):
        services.record_review(world.supervisor, world.association.id, application.id, "accredit", "ok")
    services.record_review(world.supervisor, world.association.id, application.id, "accredit", "Looks good.")
    with pytest.raises(InvalidState):
        services.record_review(
            world.supervisor, world.association.id, application.id, "decline", "Changed mind."
        )


def test_the_panel_decides_only_after_every_member_recommended(world):
    application = ready_application(world)
    with pytest.raises(InvalidState):
        services.decide(
            world.admin, world.association.id, application.id, decision="accredit", reasons="Meets all."
        )
    services.add_panel_member(world.admin, world.association.id, application.id, world.supervisor.id)
    with pytest.raises(InvalidState):
        services.decide(
            world.admin, world.association.id, application.id, decision="accredit", reasons="Meets all."
        )


def test_accrediting_issues_the_certificate_sets_the_level_and_tells_the_trainee(world):
    application = with_panel(world, ready_application(world))
    with pytest.raises(Forbidden):
        services.decide(
            world.supervisor, world.association.id, application.id, decision="accredit", reasons="Yes."
        )
    services.decide(
        world.admin, world.association.id, application.id, decision="accredit", reasons="Meets every rule."
    )
    db.session.commit()
    assert application.status == "accredited"
    certificate = db.session.get(Certificate, application.certificate_id)
    assert certificate.holder_id == world.trainee.id and certificate.state == "valid"
    assert application.signature_sha256 == services.decision_digest(application)
    assert services.holds_level(world.trainee.id, world.association.id, "certified-leader")
    assert not services.holds_level(world.trainee.id, world.other.id, "certified-leader")
    assert "application.decided" in _actions(application.id)
    assert db.session.scalar(
        select(MailDelivery).where(
            MailDelivery.recipient == world.trainee.email, MailDelivery.subject.contains("panel's decision")
        )
    )


def test_a_deferral_needs_actions_and_a_later_date_and_shows_them(world):
    application = with_panel(world, ready_application(world))
    with pytest.raises(ValidationError) as refused:
        services.decide(
            world.admin, world.association.id, application.id, decision="defer", reasons="Not yet."
        )
    assert set(refused.value.fields) == {"actions", "deferred_until"}
    later = dt.date.today() + dt.timedelta(days=90)
    services.decide(
        world.admin,
        world.association.id,
        application.id,
        decision="defer",
        reasons="More supervision first.",
        actions="Six more supervised sessions.",
        deferred_until=later,
    )
    db.session.commit()
    assert application.status == "deferred" and application.certificate_id is None
    assert services.latest_of(world.enrolment).deferral_actions == "Six more supervised sessions."
    # back in training: they may apply again from the date the panel set, not before
    with pytest.raises(InvalidState):
        services.apply(world.trainee, world.association.id, world.enrolment.id)
    again = services.apply(world.trainee, world.association.id, world.enrolment.id, today=later)
    assert again.status == "open" and services.application_date(world.enrolment) == later
    assert services.application_dates([world.enrolment.id, 999]) == {world.enrolment.id: later}


def test_a_decision_is_final_in_the_service_and_in_the_database(world):
    application = with_panel(world, ready_application(world))
    services.decide(
        world.admin, world.association.id, application.id, decision="decline", reasons="Too early."
    )
    db.session.commit()
    with pytest.raises(InvalidState):
        services.decide(
            world.admin, world.association.id, application.id, decision="accredit", reasons="Yes now."
        )
    for statement in (
        "UPDATE accreditation_application SET decision_reasons = 'changed' WHERE id = :id",
        "DELETE FROM accreditation_application WHERE id = :id",
        "UPDATE accreditation_panel_review SET reasons = 'changed' WHERE application_id = :id",
        "DELETE FROM accreditation_panel_member WHERE application_id = :id",
    ):
        with pytest.raises(DBAPIError):
            db.session.execute(text(statement), {"id": application.id})
        db.session.rollback()


def test_what_the_trainee_applied_with_cannot_change_while_open(world):
    application = ready_application(world)
    with pytest.raises(DBAPIError):
        db.session.execute(
            text("UPDATE accreditation_application SET snapshot_json = '{}' WHERE id = :id"),
            {"id": application.id},
        )
    db.session.rollback()
    review_count = db.session.scalar(select(db.func.count(PanelReview.id)))
    assert review_count == 0


def test_a_panel_member_sees_the_others_recommendations_only_after_recording_their_own(world):
    application = ready_application(world)
    for person in (world.admin, world.supervisor):
        services.add_panel_member(world.admin, world.association.id, application.id, person.id)
    services.record_review(world.admin, world.association.id, application.id, "accredit", "Meets every rule.")
    assert services.sees_reviews(world.admin, application)
    assert not services.sees_reviews(world.supervisor, application)
    services.record_review(
        world.supervisor, world.association.id, application.id, "defer", "One more report."
    )
    assert services.sees_reviews(world.supervisor, application)
    assert not services.sees_reviews(world.trainee, application)

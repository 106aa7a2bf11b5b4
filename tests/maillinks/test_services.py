"""The e-mailed link: one verifier, one item, once, in time, while the item reads the same."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.logbook import records, signoff
from app.logbook.models import RecordStatus
from app.maillinks import services
from app.maillinks.models import MailLink
from app.programmes import services as programmes
from app.twofactor.models import AssociationSecurity
from app.vignettes import services as vignettes
from tests.logbook.fixtures import a_session, accredit, create
from tests.maillinks.helpers import last_token, tokens_mailed_to
from tests.vignettes.helpers import SLUG, complete_answers


@pytest.fixture
def submitted(world):
    accredit(world.supervisor, world.association)
    return create(world, submit=True)


def _act(token: str, action: str = "sign", **kwargs):
    result = services.act(token, action, **kwargs)
    db.session.commit()
    return result


def test_submitting_mails_the_verifier_a_link_that_signs_that_record(world, submitted):
    token = last_token("sup@x.test")
    opened = services.open_link(token)
    assert opened.item.id == submitted.id and opened.actions == ("sign", "return")
    _act(token)
    db.session.refresh(submitted)
    assert submitted.status == RecordStatus.SIGNED and submitted.signer_id == world.supervisor.id


def test_only_the_tokens_hash_is_stored(submitted):
    token = last_token("sup@x.test")
    stored = db.session.scalars(select(MailLink.token_hash)).all()
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_a_link_works_once(submitted):
    token = last_token("sup@x.test")
    _act(token)
    with pytest.raises(InvalidState, match="already been used"):
        services.open_link(token)
    with pytest.raises(InvalidState, match="already been used"):
        services.act(token, "return", comment="Too late")


def test_a_link_expires(app, submitted):
    token = last_token("sup@x.test")
    days = app.config["MAIL_LINK_VALID_DAYS"]
    assert days == 14
    with (
        time_machine.travel(utcnow() + timedelta(days=days, minutes=1)),
        pytest.raises(InvalidState, match="expired"),
    ):
        services.act(token, "sign")


def test_an_unknown_token_opens_nothing(submitted):
    with pytest.raises(NotFound):
        services.open_link(last_token("sup@x.test") + "x")
    with pytest.raises(NotFound):
        services.open_link("")


def test_a_link_does_only_its_own_actions(world, submitted):
    with pytest.raises(ValidationError):
        services.act(last_token("sup@x.test"), "confirm")
    db.session.rollback()
    assert services.open_link(last_token("sup@x.test")).link.used_at is None


def test_a_link_for_another_record_does_not_reach_this_one(world, submitted):
    other = create(world, a_session(minutes=60), submit=True)
    first, second = tokens_mailed_to("sup@x.test")
    assert services.open_link(first).item.id == submitted.id
    assert services.open_link(second).item.id == other.id
    _act(second)
    db.session.refresh(submitted)
    assert submitted.status == RecordStatus.SUBMITTED


def test_a_changed_record_refuses_its_link(world, submitted):
    token = last_token("sup@x.test")
    signoff.return_record(world.supervisor, world.association.id, submitted.id, "Add the phases.")
    db.session.commit()
    records.update_record(world.trainee, world.association.id, submitted.id, a_session(minutes=75))
    db.session.commit()
    with pytest.raises(InvalidState):
        services.open_link(token)


def test_an_item_changed_behind_the_links_back_is_refused(world, submitted):
    """Even without a new submission (a fix in the console): the fingerprint tells."""
    token = last_token("sup@x.test")
    link = db.session.scalar(select(MailLink))
    link.fingerprint = "0" * 64
    db.session.commit()
    with pytest.raises(InvalidState, match="changed since"):
        services.act(token, "sign")


def test_a_new_submission_revokes_the_older_links(world, submitted):
    old = last_token("sup@x.test")
    signoff.return_record(world.supervisor, world.association.id, submitted.id, "Add the phases.")
    records.submit_record(world.trainee, world.association.id, submitted.id)
    db.session.commit()
    new = last_token("sup@x.test")
    assert new != old
    with pytest.raises(InvalidState, match="withdrawn"):
        services.open_link(old)
    _act(new)


def test_the_sender_or_an_admin_revokes_a_link_others_cannot(world, submitted):
    link = db.session.scalar(select(MailLink))
    with pytest.raises(NotFound):
        services.revoke(world.trainee2, world.association.id, link.id)
    with pytest.raises(NotFound):
        services.revoke(world.other_admin, world.other.id, link.id)
    assert [row.id for row in services.list_open(world.trainee, world.association.id).items] == [link.id]
    services.revoke(world.trainee, world.association.id, link.id)
    db.session.commit()
    with pytest.raises(InvalidState, match="withdrawn"):
        services.open_link(last_token("sup@x.test"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail_link.revoked"))
    assert event.actor_id == world.trainee.id


def test_an_admin_revokes_any_link_of_the_association(world, submitted):
    link = db.session.scalar(select(MailLink))
    services.revoke(world.admin, world.association.id, link.id)
    db.session.commit()
    with pytest.raises(InvalidState):
        services.open_link(last_token("sup@x.test"))


def test_the_action_is_audited_as_done_by_e_mail_link(world, submitted):
    _act(last_token("sup@x.test"))
    signed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "logbook.signed"))
    assert signed.actor_id == world.supervisor.id
    assert signed.details["via"] == "email-link"
    used = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail_link.used"))
    assert used.details["done"] == "sign" and used.details["via"] == "email-link"


def test_the_same_rules_as_logged_in_a_return_needs_a_comment_and_the_link_survives(world, submitted):
    token = last_token("sup@x.test")
    with pytest.raises(ValidationError):
        services.act(token, "return", comment="")
    db.session.rollback()
    _act(token, "return", comment="Please add the phases you ran.")
    db.session.refresh(submitted)
    assert submitted.status == RecordStatus.RETURNED


def test_the_same_rules_as_logged_in_an_unaccredited_supervisor_cannot_sign(world):
    create(world, submit=True)  # nobody accredited
    with pytest.raises(InvalidState, match="accreditation"):
        services.act(last_token("sup@x.test"), "sign")


def test_a_supervisor_taken_off_the_trainee_cannot_use_their_link(world, submitted):
    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor2.id])
    db.session.commit()
    with pytest.raises(Forbidden):
        services.act(last_token("sup@x.test"), "sign")


def test_an_association_requiring_two_factor_requires_a_login(world, submitted):
    db.session.add(AssociationSecurity(association_id=world.association.id, requires_two_factor=True))
    db.session.commit()
    token = last_token("sup@x.test")
    assert services.open_link(token).requires_login
    with pytest.raises(Forbidden, match="log in"):
        services.act(token, "sign")
    db.session.rollback()
    assert services.login_target(services.open_link(token).link) == (
        "logbook.record",
        {"record_id": submitted.id},
    )


def test_a_link_never_reaches_another_association(world, submitted, make_user):
    """A link row pointed at another tenant's item (a forged or corrupted row) opens nothing."""
    link = db.session.scalar(select(MailLink))
    link.association_id = world.other.id
    db.session.commit()
    with pytest.raises((Forbidden, NotFound)):
        services.act(last_token("sup@x.test"), "sign")
    db.session.rollback()
    # a member of the other association too: still nothing of the first one
    from app.accounts.models import Membership, Role

    db.session.add(
        Membership(user_id=world.supervisor.id, association_id=world.other.id, role=Role.SUPERVISOR)
    )
    db.session.commit()
    with pytest.raises(NotFound):
        services.act(last_token("sup@x.test"), "sign")


def test_a_co_leader_confirms_from_the_e_mail(world, make_user):
    from app.accounts.models import Role

    colleague = make_user("co@x.test", world.association, Role.TRAINEE, name="Cora Colleague")
    record = create(world, a_session(co_leader_name="", co_leader_id=colleague.id), submit=True)
    token = last_token("co@x.test")
    assert services.open_link(token).actions == ("confirm",)
    _act(token, "confirm")
    db.session.refresh(record)
    assert record.confirmation() is not None


def test_a_reflection_is_reviewed_from_the_e_mail(world):
    reflection = vignettes.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers())
    db.session.commit()
    token = last_token("sup@x.test")
    with pytest.raises(ValidationError):
        services.act(token, "revise", comment="")
    db.session.rollback()
    _act(token, "revise", comment="Say more about the presenter's feeling.")
    db.session.refresh(reflection)
    assert reflection.status == "revision_requested"
    assert reflection.feedback.overall_comment == "Say more about the presenter's feeling."

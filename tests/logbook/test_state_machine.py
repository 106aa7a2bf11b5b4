"""The sign-off state machine: every allowed move, and every forbidden one with who tried it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.errors import Forbidden, InvalidState, NotFound
from app.extensions import db
from app.logbook import records, signoff
from app.logbook.models import LogbookRecord, RecordStatus
from app.programmes import services as programmes
from tests.logbook.fixtures import a_session, a_supervision, accredit, an_observation, create, signed, today


def _status(record_id: int) -> str:
    db.session.expire_all()
    return db.session.get(LogbookRecord, record_id).status


def test_draft_submitted_returned_submitted_signed(world):
    accredit(world.supervisor, world.association)
    record = create(world)
    assert record.status == RecordStatus.DRAFT
    records.submit_record(world.trainee, world.association.id, record.id)
    db.session.commit()
    assert _status(record.id) == RecordStatus.SUBMITTED
    signoff.return_record(world.supervisor, world.association.id, record.id, "Add the cases discussed.")
    db.session.commit()
    returned = db.session.get(LogbookRecord, record.id)
    assert returned.status == RecordStatus.RETURNED
    assert returned.return_comment == "Add the cases discussed."
    assert returned.returned_by_id == world.supervisor.id
    records.update_record(world.trainee, world.association.id, record.id, a_session(cases=3), submit=True)
    db.session.commit()
    assert _status(record.id) == RecordStatus.SUBMITTED
    signoff.sign(world.supervisor, world.association.id, record.id)
    db.session.commit()
    final = db.session.get(LogbookRecord, record.id)
    assert (final.status, final.signer_id, final.cases) == (RecordStatus.SIGNED, world.supervisor.id, 3)
    assert final.signed_at is not None
    assert final.content_hash == final.compute_hash()
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_id == str(record.id), AuditEvent.action.like("logbook.%"))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "logbook.created",
        "logbook.submitted",
        "logbook.returned",
        "logbook.updated",
        "logbook.submitted",
        "logbook.signed",
    ]


@pytest.mark.parametrize("start", ["draft", "returned", "signed"])
def test_only_a_submitted_record_can_be_signed(world, start):
    accredit(world.supervisor, world.association)
    record = create(world, submit=start != "draft")
    if start == "returned":
        signoff.return_record(world.supervisor, world.association.id, record.id, "Please add the cases.")
    if start == "signed":
        signoff.sign(world.supervisor, world.association.id, record.id)
    db.session.commit()
    with pytest.raises(InvalidState):
        signoff.sign(world.supervisor, world.association.id, record.id)
    assert _status(record.id) == start


@pytest.mark.parametrize("start", ["draft", "returned", "signed"])
def test_only_a_submitted_record_can_be_returned(world, start):
    accredit(world.supervisor, world.association)
    record = create(world, submit=start != "draft")
    if start == "returned":
        signoff.return_record(world.supervisor, world.association.id, record.id, "Please add the cases.")
    if start == "signed":
        signoff.sign(world.supervisor, world.association.id, record.id)
    db.session.commit()
    with pytest.raises(InvalidState):
        signoff.return_record(world.supervisor, world.association.id, record.id, "Again")
    assert _status(record.id) == start


@pytest.mark.parametrize("start", ["submitted", "signed"])
def test_a_submitted_or_signed_record_cannot_be_submitted_or_edited_again(world, start):
    record = signed(world) if start == "signed" else create(world, submit=True)
    with pytest.raises(InvalidState):
        records.submit_record(world.trainee, world.association.id, record.id)
    with pytest.raises(InvalidState):
        records.update_record(world.trainee, world.association.id, record.id, a_session(minutes=30))
    assert _status(record.id) == start


@pytest.mark.parametrize("start", ["submitted", "returned", "signed"])
def test_only_drafts_can_be_deleted(world, start):
    accredit(world.supervisor, world.association)
    record = create(world, submit=True)
    if start == "returned":
        signoff.return_record(world.supervisor, world.association.id, record.id, "Please add the cases.")
    if start == "signed":
        signoff.sign(world.supervisor, world.association.id, record.id)
    db.session.commit()
    with pytest.raises(InvalidState):
        records.delete_record(world.trainee, world.association.id, record.id)
    assert _status(record.id) == start


def test_a_draft_can_be_deleted_by_its_author(world):
    record = create(world)
    records.delete_record(world.trainee, world.association.id, record.id)
    db.session.commit()
    assert db.session.scalar(select(func.count(LogbookRecord.id))) == 0


def test_trainee_never_signs_or_returns_their_own_record(world, make_user):
    # Even a trainee who is also a supervisor of the association.
    from app.accounts.models import Membership

    db.session.add(
        Membership(user_id=world.trainee.id, association_id=world.association.id, role="supervisor")
    )
    db.session.commit()
    accredit(world.trainee, world.association)
    record = create(world, submit=True)
    with pytest.raises(Forbidden, match="own records"):
        signoff.sign(world.trainee, world.association.id, record.id)
    with pytest.raises(Forbidden, match="own records"):
        signoff.return_record(world.trainee, world.association.id, record.id, "No")
    assert _status(record.id) == RecordStatus.SUBMITTED


def test_supervisor_cannot_sign_records_of_a_trainee_they_do_not_supervise(world):
    accredit(world.supervisor2, world.association)
    record = create(world, submit=True)
    with pytest.raises(Forbidden, match="do not supervise"):
        signoff.sign(world.supervisor2, world.association.id, record.id)
    with pytest.raises(Forbidden):
        signoff.return_record(world.supervisor2, world.association.id, record.id, "No")
    assert _status(record.id) == RecordStatus.SUBMITTED


def test_admin_cannot_sign(world):
    record = create(world, submit=True)
    with pytest.raises(Forbidden):
        signoff.sign(world.admin, world.association.id, record.id)


def test_another_association_reads_as_not_found(world, make_user):
    outsider = make_user("sup@other.test", world.other, Role.SUPERVISOR)
    accredit(outsider, world.other)
    record = create(world, submit=True)
    for attempt in (
        lambda: signoff.sign(outsider, world.other.id, record.id),
        lambda: signoff.sign(outsider, world.association.id, record.id),
        lambda: signoff.return_record(outsider, world.other.id, record.id, "No"),
        lambda: signoff.reopen(world.other_admin, world.other.id, record.id, "No"),
        lambda: records.submit_record(outsider, world.other.id, record.id),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert _status(record.id) == RecordStatus.SUBMITTED


def test_supervision_is_signed_only_by_the_supervisor_who_gave_it(world):
    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    accredit(world.supervisor, world.association)
    accredit(world.supervisor2, world.association)
    record = create(world, a_supervision(world.supervisor2.id), submit=True)
    with pytest.raises(Forbidden, match="supervisor who gave it"):
        signoff.sign(world.supervisor, world.association.id, record.id)
    signoff.sign(world.supervisor2, world.association.id, record.id)
    db.session.commit()
    assert _status(record.id) == RecordStatus.SIGNED


def test_supervision_by_a_supervisor_who_is_not_assigned_is_refused_at_entry(world):
    from app.errors import ValidationError

    with pytest.raises(ValidationError) as error:
        create(world, a_supervision(world.supervisor2.id))
    assert "supervisor_id" in error.value.fields


def test_observation_is_written_and_signed_by_its_observer_only(world):
    accredit(world.supervisor, world.association)
    accredit(world.supervisor2, world.association)
    # supervisor2 is not assigned to the trainee but may observe them.
    observation = records.create_record(
        world.supervisor2, world.association.id, world.enrolment.id, an_observation(), submit=True
    )
    db.session.commit()
    with pytest.raises(Forbidden, match="observer"):
        signoff.sign(world.supervisor, world.association.id, observation.id)
    with pytest.raises(Forbidden):
        records.update_record(world.trainee, world.association.id, observation.id, an_observation())
    signoff.sign(world.supervisor2, world.association.id, observation.id)
    db.session.commit()
    assert _status(observation.id) == RecordStatus.SIGNED


def test_trainee_cannot_record_an_observation(world):
    with pytest.raises(Forbidden):
        records.create_record(world.trainee, world.association.id, world.enrolment.id, an_observation())


def test_supervisor_cannot_write_in_a_trainees_logbook(world):
    with pytest.raises(Forbidden):
        records.create_record(world.supervisor, world.association.id, world.enrolment.id, a_session())


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [(None, None), (1, 30), (-400, -1)],
    ids=["no accreditation", "not yet valid", "expired"],
)
def test_supervisor_without_valid_accreditation_on_the_day_cannot_sign(world, valid_from, valid_until):
    if valid_from is not None:
        accredit(
            world.supervisor,
            world.association,
            valid_from=today() + timedelta(days=valid_from),
            valid_until=today() + timedelta(days=valid_until),
        )
    record = create(world, submit=True)
    with pytest.raises(InvalidState, match="accreditation as a supervisor is not valid"):
        signoff.sign(world.supervisor, world.association.id, record.id)
    assert _status(record.id) == RecordStatus.SUBMITTED


def test_accreditation_valid_until_today_still_allows_signing(world):
    accredit(
        world.supervisor, world.association, valid_from=today() - timedelta(days=10), valid_until=today()
    )
    record = create(world, submit=True)
    signoff.sign(world.supervisor, world.association.id, record.id)
    assert record.status == RecordStatus.SIGNED


def test_accreditation_of_another_association_does_not_count(world):
    accredit(world.supervisor, world.other)
    record = create(world, submit=True)
    with pytest.raises(InvalidState):
        signoff.sign(world.supervisor, world.association.id, record.id)


def test_return_needs_a_comment(world):
    from app.errors import ValidationError

    record = create(world, submit=True)
    with pytest.raises(ValidationError) as error:
        signoff.return_record(world.supervisor, world.association.id, record.id, "   ")
    assert "comment" in error.value.fields


def test_admin_reopens_a_signed_record_as_a_new_version_and_the_old_stays_signed(world):
    old = signed(world)
    new = signoff.reopen(world.admin, world.association.id, old.id, "The date was wrong.")
    db.session.commit()
    assert (new.status, new.supersedes_id, new.reopen_reason) == (
        RecordStatus.DRAFT,
        old.id,
        "The date was wrong.",
    )
    assert (new.minutes, new.reflection, new.author_id) == (old.minutes, old.reflection, old.author_id)
    db.session.expire_all()
    kept = db.session.get(LogbookRecord, old.id)
    assert kept.status == RecordStatus.SIGNED
    assert kept.content_hash == kept.compute_hash()
    assert kept.superseded_by.id == new.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "logbook.reopened"))
    assert event.details["old_content_hash"] == old.content_hash
    assert event.details["reason"] == "The date was wrong."
    # The new version follows the ordinary path.
    records.update_record(
        world.trainee,
        world.association.id,
        new.id,
        a_session(occurred_on=old.occurred_on - timedelta(days=1)),
        submit=True,
    )
    signoff.sign(world.supervisor, world.association.id, new.id)
    db.session.commit()
    assert _status(new.id) == RecordStatus.SIGNED


def test_reopen_is_for_admins_signed_records_with_a_reason_and_only_once(world):
    from app.errors import ValidationError

    old = signed(world)
    submitted = create(world, submit=True)
    with pytest.raises(Forbidden):
        signoff.reopen(world.supervisor, world.association.id, old.id, "Wrong date")
    with pytest.raises(Forbidden):
        signoff.reopen(world.trainee, world.association.id, old.id, "Wrong date")
    with pytest.raises(InvalidState):
        signoff.reopen(world.admin, world.association.id, submitted.id, "Wrong date")
    with pytest.raises(ValidationError):
        signoff.reopen(world.admin, world.association.id, old.id, "")
    signoff.reopen(world.admin, world.association.id, old.id, "Wrong date")
    db.session.commit()
    with pytest.raises(InvalidState, match="already reopened"):
        signoff.reopen(world.admin, world.association.id, old.id, "Again")


def test_co_leader_confirms_a_submitted_session_once(world):
    record = create(world, a_session(co_leader_name="", co_leader_id=world.supervisor2.id))
    with pytest.raises(InvalidState):
        signoff.confirm(world.supervisor2, world.association.id, record.id)
    records.submit_record(world.trainee, world.association.id, record.id)
    with pytest.raises(Forbidden):
        signoff.confirm(world.supervisor, world.association.id, record.id)
    assert [s.id for s in signoff.awaiting_confirmation(world.supervisor2, world.association.id)] == [
        record.id
    ]
    confirmation = signoff.confirm(world.supervisor2, world.association.id, record.id)
    db.session.commit()
    assert confirmation.content_hash == record.compute_hash()
    assert signoff.awaiting_confirmation(world.supervisor2, world.association.id) == []
    with pytest.raises(InvalidState, match="already confirmed"):
        signoff.confirm(world.supervisor2, world.association.id, record.id)


def test_a_confirmation_goes_stale_when_the_session_is_corrected(world):
    record = create(world, a_session(co_leader_name="", co_leader_id=world.supervisor2.id), submit=True)
    signoff.confirm(world.supervisor2, world.association.id, record.id)
    signoff.return_record(world.supervisor, world.association.id, record.id, "Fix the length.")
    records.update_record(
        world.trainee,
        world.association.id,
        record.id,
        a_session(co_leader_name="", co_leader_id=world.supervisor2.id, minutes=120),
        submit=True,
    )
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(LogbookRecord, record.id).confirmation() is None
    assert [s.id for s in signoff.awaiting_confirmation(world.supervisor2, world.association.id)] == [
        record.id
    ]

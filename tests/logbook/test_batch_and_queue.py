"""The supervisor's queue and batch sign-off: each record on its own merits."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.models import Membership, Role
from app.extensions import db
from app.logbook import records, signoff
from app.logbook.models import LogbookRecord, RecordStatus
from app.mail.models import OutboxMessage
from app.notifications.models import Notification
from app.programmes import services as programmes
from tests.fixtures.world import RULE_SET
from tests.helpers import csrf_token_in
from tests.logbook.fixtures import (
    a_session,
    a_supervision,
    accredit,
    an_event,
    an_observation,
    create,
    signed,
)


def _mixed_batch(world, make_user):
    """Two signable records and four that must be refused, each for its own reason."""
    accredit(world.supervisor, world.association)
    good_session = create(world, submit=True)
    good_event = create(world, an_event(), submit=True)
    draft = create(world)
    already = signed(world)
    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    other_supervisors = create(world, a_supervision(world.supervisor2.id), submit=True)
    # A trainee whom this supervisor does not supervise.
    stranger = make_user("t3@x.test", world.association, Role.TRAINEE, name="Tess Three")
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=stranger.id,
        programme_id=world.programme.id,
        supervisor_ids=[world.supervisor2.id],
        started_on=world.enrolment.started_on,
    )
    unsupervised = records.create_record(
        stranger, world.association.id, enrolment.id, a_session(), submit=True
    )
    db.session.commit()
    return good_session, good_event, draft, already, other_supervisors, unsupervised


def test_batch_signs_the_valid_records_and_explains_each_refusal(world, make_user):
    good_session, good_event, draft, already, other_supervisors, unsupervised = _mixed_batch(world, make_user)
    ids = [
        good_session.id,
        draft.id,
        already.id,
        other_supervisors.id,
        unsupervised.id,
        good_event.id,
        999_999,
    ]
    outcomes = signoff.sign_many(world.supervisor, world.association.id, ids)
    db.session.commit()
    by_id = {outcome.record_id: outcome for outcome in outcomes}
    assert [o.record_id for o in outcomes] == ids
    assert by_id[good_session.id].is_signed and by_id[good_event.id].is_signed
    assert "not been submitted" in by_id[draft.id].message
    assert "already signed" in by_id[already.id].message
    assert "supervisor who gave it" in by_id[other_supervisors.id].message
    assert "do not supervise" in by_id[unsupervised.id].message
    assert by_id[999_999].message == "No such record."
    db.session.expire_all()
    statuses = {r.id: r.status for r in db.session.scalars(select(LogbookRecord))}
    assert statuses[good_session.id] == statuses[good_event.id] == RecordStatus.SIGNED
    assert statuses[draft.id] == RecordStatus.DRAFT
    assert statuses[other_supervisors.id] == statuses[unsupervised.id] == RecordStatus.SUBMITTED


def test_batch_sends_the_trainee_one_notification(world, make_user):
    accredit(world.supervisor, world.association)
    ids = [create(world, submit=True).id for _ in range(3)]
    before = db.session.query(Notification).filter_by(user_id=world.trainee.id).count()
    signoff.sign_many(world.supervisor, world.association.id, ids)
    db.session.commit()
    notes = db.session.scalars(select(Notification).where(Notification.user_id == world.trainee.id)).all()
    assert len(notes) == before + 1
    assert "signed 3 of your records" in notes[-1].message


def test_batch_over_http_shows_what_happened_to_each(world, client, make_user):
    good_session, good_event, draft, already, other_supervisors, unsupervised = _mixed_batch(world, make_user)
    client.login("sup@x.test")
    page = client.get("/logbook/queue")
    html = page.get_data(as_text=True)
    assert f'value="{good_session.id}"' in html and f'value="{unsupervised.id}"' not in html
    response = client.post(
        "/logbook/queue/sign",
        data={
            "csrf_token": csrf_token_in(html),
            "confirm_final": "y",
            "record_ids": [
                str(good_session.id),
                str(draft.id),
                str(other_supervisors.id),
                str(good_event.id),
            ],
        },
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "2 records signed." in body
    assert "2 records were not signed." in body
    assert "has not been submitted yet" in body
    assert "supervisor who gave it" in body
    assert body.count('class="outcome is-signed"') == 2


def test_batch_with_nothing_ticked_says_so(world, client):
    accredit(world.supervisor, world.association)
    create(world, submit=True)
    client.login("sup@x.test")
    response = client.submit("/logbook/queue", {}, action="/logbook/queue/sign", follow_redirects=True)
    assert "Tick the records you want to sign first." in response.get_data(as_text=True)


def test_queue_lists_only_what_this_supervisor_signs_and_filters(world, make_user):
    good_session, good_event, draft, already, other_supervisors, unsupervised = _mixed_batch(world, make_user)
    observation = records.create_record(
        world.supervisor, world.association.id, world.enrolment.id, an_observation(), submit=True
    )
    db.session.commit()
    page = signoff.queue(world.supervisor, world.association.id)
    assert {r.id for r in page.items} == {good_session.id, good_event.id, observation.id}
    events = signoff.queue(world.supervisor, world.association.id, kind="event")
    assert [r.id for r in events.items] == [good_event.id]
    theirs = signoff.queue(world.supervisor2, world.association.id)
    assert {r.id for r in theirs.items} == {
        good_session.id,
        good_event.id,
        other_supervisors.id,
        unsupervised.id,
    }
    only_one = signoff.queue(world.supervisor2, world.association.id, enrolment_id=world.enrolment.id)
    assert unsupervised.id not in {r.id for r in only_one.items}
    assert signoff.queue_count(world.supervisor, world.association.id) == 3


def test_submit_notifies_the_assigned_supervisors_in_app_and_by_mail(world):
    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    record = create(world, submit=True)
    for supervisor in (world.supervisor, world.supervisor2):
        note = db.session.scalar(select(Notification).where(Notification.user_id == supervisor.id))
        assert "Tomas Trainee submitted a record for your signature" in note.message
        assert note.link == f"/logbook/records/{record.id}"
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == supervisor.email))
        assert mail.subject == "A logbook record waits for your signature"
        assert f"http://localhost/logbook/records/{record.id}" in mail.body
        assert record.reflection not in mail.body


def test_supervision_submit_notifies_only_the_supervisor_who_gave_it(world):
    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    create(world, a_supervision(world.supervisor2.id), submit=True)
    assert db.session.query(Notification).filter_by(user_id=world.supervisor2.id).count() == 1
    assert db.session.query(Notification).filter_by(user_id=world.supervisor.id).count() == 0


def test_sign_and_return_notify_the_trainee(world):
    accredit(world.supervisor, world.association)
    first = create(world, submit=True)
    second = create(world, submit=True)
    signoff.sign(world.supervisor, world.association.id, first.id)
    signoff.return_record(
        world.supervisor, world.association.id, second.id, "Please add what you did in the return."
    )
    db.session.commit()
    messages = db.session.scalars(
        select(Notification.message).where(Notification.user_id == world.trainee.id).order_by(Notification.id)
    ).all()
    assert "Sven Supervisor signed your record" in messages[0]
    assert "Sven Supervisor returned your record with a comment" in messages[1]
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == world.trainee.email)
    ).all()
    assert {m.subject for m in mails} == {"Logbook records signed", "A logbook record was returned to you"}
    assert all("Please add what you did" not in m.body for m in mails)


def test_named_co_leader_is_asked_to_confirm(world):
    create(world, a_session(co_leader_name="", co_leader_id=world.supervisor2.id), submit=True)
    note = db.session.scalar(select(Notification).where(Notification.user_id == world.supervisor2.id))
    assert "Please confirm it" in note.message
    assert note.link == "/logbook/confirmations"


def test_sign_every_record_on_the_page_without_ticking(world, client, app):
    app.config["PAGE_SIZE"] = 2
    accredit(world.supervisor, world.association)
    ids = [create(world, submit=True).id for _ in range(3)]
    client.login("sup@x.test")
    html = client.get("/logbook/queue").get_data(as_text=True)
    assert "Sign all 2 records on this page" in html
    on_page = [int(value) for value in re.findall(r'name="page_ids" value="(\d+)"', html)]
    response = client.post(
        "/logbook/queue/sign",
        data={
            "csrf_token": csrf_token_in(html),
            "confirm_final": "y",
            "page_ids": [str(i) for i in on_page],
            "sign_page": "1",
        },
    )
    assert "2 records signed." in response.get_data(as_text=True)
    db.session.expire_all()
    statuses = {r.id: r.status for r in db.session.scalars(select(LogbookRecord))}
    assert sorted(i for i in ids if statuses[i] == RecordStatus.SIGNED) == sorted(on_page)


def _supervised_elsewhere(world, make_user):
    """The world's supervisor also supervises a trainee of the other association, who
    submitted a session and supervision they gave, and whom they observed there."""
    db.session.add(
        Membership(user_id=world.supervisor.id, association_id=world.other.id, role=Role.SUPERVISOR.value)
    )
    db.session.commit()
    trainee = make_user("t9@other.test", world.other, Role.TRAINEE, name="Otto Other")
    programme = programmes.create_programme(
        world.other_admin, world.other.id, slug="others", title="Other training", rule_set_source=RULE_SET
    )
    enrolment = programmes.enrol(
        world.other_admin,
        world.other.id,
        trainee_id=trainee.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=world.enrolment.started_on,
    )
    elsewhere = [
        records.create_record(trainee, world.other.id, enrolment.id, a_session(), submit=True),
        records.create_record(
            trainee, world.other.id, enrolment.id, a_supervision(world.supervisor.id), submit=True
        ),
        records.create_record(world.supervisor, world.other.id, enrolment.id, an_observation(), submit=True),
    ]
    db.session.commit()
    return elsewhere


def test_queue_keeps_each_association_apart_and_lists_oldest_submission_first(world, make_user):
    """Every way into the queue (assigned trainee, supervision given, observation written)
    stays within the association asked about; count, page, per-trainee counts and the
    next record agree."""
    elsewhere = _supervised_elsewhere(world, make_user)
    here = [
        create(world, submit=True),
        create(world, a_supervision(world.supervisor.id), submit=True),
        create(world, an_event(), submit=True),
        records.create_record(
            world.supervisor, world.association.id, world.enrolment.id, an_observation(), submit=True
        ),
    ]
    db.session.commit()
    for association, expected in ((world.association, here), (world.other, elsewhere)):
        oldest_first = [r.id for r in sorted(expected, key=lambda r: (r.submitted_at, r.id))]
        page = signoff.queue(world.supervisor, association.id)
        assert [r.id for r in page.items] == oldest_first
        assert page.total == signoff.queue_count(world.supervisor, association.id) == len(expected)
        assert signoff.next_in_queue(world.supervisor, association.id) == oldest_first[0]
        enrolment_id = expected[0].enrolment_id
        counts = signoff.queue_counts_by_enrolment(world.supervisor, association.id, [enrolment_id])
        assert counts == {enrolment_id: len(expected)}
        api_ids = set(db.session.scalars(signoff.queue_query(world.supervisor, association.id)).all())
        assert {r.id for r in api_ids} == set(oldest_first)
    searched = signoff.queue(world.supervisor, world.other.id, search="otto")
    assert {r.id for r in searched.items} == {r.id for r in elsewhere}
    assert signoff.queue(world.supervisor, world.association.id, search="otto").total == 0
    supervision = signoff.queue(world.supervisor, world.association.id, kind="supervision")
    assert [r.id for r in supervision.items] == [here[1].id]

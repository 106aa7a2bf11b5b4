"""Co-leader feedback: given by one leader of a closed session to another, signed and final
(in the database too), read by the two of them and their supervisors only."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.groups import closing, feedback, sessions
from app.groups.feedback import FeedbackInput
from app.groups.models import CoLeaderFeedback
from app.notifications.models import Notification
from tests.groups.conftest import plan

GOOD = FeedbackInput(
    ratings={"C1": 4, "C7": 3, "C8": None},
    went_well="You held the silence after the presentation and let the group find its way in.",
    to_try="Agree beforehand who watches the time, so we do not both look at the clock.",
)


def _closed(world, scene):
    session = plan(world, scene.group)
    a = world.association.id
    sessions.start_phase(world.trainee, a, session.id, "opening", at=utcnow() - timedelta(minutes=90))
    sessions.set_attendance(world.trainee, a, session.id, scene.guest.id, is_present=True)
    closing.close_session(world.trainee, a, session.id, cases=1, minutes=90)
    db.session.commit()
    return session


def test_the_co_leader_signs_feedback_to_the_leader_who_is_told(world, scene):
    session = _closed(world, scene)
    given = feedback.give_feedback(world.trainee2, world.association.id, session.id, world.trainee.id, GOOD)
    db.session.commit()
    assert given.ratings == {"C1": 4, "C2": None, "C3": None, "C6": None, "C7": 3, "C8": None}
    told = db.session.scalars(sa.select(Notification).where(Notification.user_id == world.trainee.id)).all()
    assert any(f"/groups/feedback/{given.id}" in n.link for n in told)
    with pytest.raises(InvalidState):
        feedback.give_feedback(world.trainee2, world.association.id, session.id, world.trainee.id, GOOD)


def test_feedback_waits_for_the_closed_session_and_is_only_between_its_leaders(world, scene):
    open_session = plan(world, scene.group)
    db.session.commit()
    a = world.association.id
    with pytest.raises(InvalidState):
        feedback.give_feedback(world.trainee2, a, open_session.id, world.trainee.id, GOOD)
    session = _closed(world, scene)
    with pytest.raises(Forbidden):
        feedback.give_feedback(world.supervisor, a, session.id, world.trainee.id, GOOD)
    with pytest.raises(NotFound):
        feedback.give_feedback(world.trainee, a, session.id, world.trainee.id, GOOD)  # to oneself
    with pytest.raises(NotFound):
        feedback.give_feedback(world.other_admin, world.other.id, session.id, world.trainee.id, GOOD)


def test_ratings_off_the_scale_and_an_empty_went_well_are_refused_by_field(world, scene):
    session = _closed(world, scene)
    with pytest.raises(ValidationError) as refused:
        feedback.give_feedback(
            world.trainee2,
            world.association.id,
            session.id,
            world.trainee.id,
            FeedbackInput(ratings={"C1": 6, "C9": 3}, went_well=" "),
        )
    assert {"rating_C1", "rating_C9", "went_well"} <= set(refused.value.fields)


def test_signed_feedback_cannot_be_changed_or_deleted_even_in_sql(world, scene):
    session = _closed(world, scene)
    given = feedback.give_feedback(world.trainee2, world.association.id, session.id, world.trainee.id, GOOD)
    db.session.commit()
    for statement in (
        sa.update(CoLeaderFeedback).where(CoLeaderFeedback.id == given.id).values(went_well="Rewritten."),
        sa.delete(CoLeaderFeedback).where(CoLeaderFeedback.id == given.id),
    ):
        with (
            pytest.raises(sa.exc.DatabaseError, match="signed feedback is final"),
            db.engine.begin() as connection,
        ):
            connection.execute(statement)


def test_the_two_leaders_and_their_supervisors_read_it_nobody_else_does(world, scene):
    session = _closed(world, scene)
    given = feedback.give_feedback(world.trainee2, world.association.id, session.id, world.trainee.id, GOOD)
    db.session.commit()
    a = world.association.id
    for reader in (world.trainee, world.trainee2, world.supervisor, world.supervisor2):
        assert feedback.get_feedback(reader, a, given.id) == given
    with pytest.raises(NotFound):
        feedback.get_feedback(world.admin, a, given.id)
    with pytest.raises(NotFound):
        feedback.get_feedback(world.other_admin, world.other.id, given.id)


def test_the_form_asks_to_confirm_finality_then_signs(world, scene, client):
    session = _closed(world, scene)
    client.login("trainee2@x.test")
    page = client.get(f"/groups/sessions/{session.id}").get_data(as_text=True)
    assert "Give feedback to" in page
    url = f"/groups/sessions/{session.id}/feedback/{world.trainee.id}"
    typed = {"rating_C1": "4", "went_well": "Calm and clear about time."}
    unconfirmed = client.submit(url, typed)
    assert unconfirmed.status_code == 200
    assert "Tick the box to confirm" in unconfirmed.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(CoLeaderFeedback.id))) == 0
    signed = client.submit(url, {**typed, "is_final": "y"})
    assert signed.status_code == 302
    shown = client.get(signed.headers["Location"]).get_data(as_text=True)
    assert "Calm and clear about time." in shown and "4 · " in shown


def test_both_leaders_find_the_feedback_in_their_data_export(world, scene, client):
    import io
    import json
    import zipfile

    session = _closed(world, scene)
    feedback.give_feedback(world.trainee2, world.association.id, session.id, world.trainee.id, GOOD)
    db.session.commit()
    for email in ("trainee@x.test", "trainee2@x.test"):
        client.login(email)
        archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data/export").data))
        given = json.loads(archive.read("co_leader_feedback.json"))
        assert [item["went_well"] for item in given] == [GOOD.went_well]
        client.logout()


def test_sending_feedback_already_given_in_another_tab_shows_it_and_keeps_the_typed_text(
    world, scene, client
):
    session = _closed(world, scene)
    client.login("trainee2@x.test")
    url = f"/groups/sessions/{session.id}/feedback/{world.trainee.id}"
    client.get(url)  # the form is open in this tab...
    feedback.give_feedback(world.trainee2, world.association.id, session.id, world.trainee.id, GOOD)
    db.session.commit()  # ...while the feedback is signed in another
    typed = "Typed in the second tab & not to be lost."
    reply = client.submit(url, {"rating_C2": "3", "went_well": typed, "is_final": "y"})
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200
    assert "You have already given" in page
    assert GOOD.went_well in page  # the feedback given is shown
    assert "Typed in the second tab &amp; not to be lost." in page  # and what was typed is kept
    assert db.session.scalar(sa.select(sa.func.count(CoLeaderFeedback.id))) == 1
    opened = client.get(url).get_data(as_text=True)
    assert "You have already given" in opened and GOOD.went_well in opened

"""Members confirm their own attendance: after a session closes its leader asks the present
members by e-mail; each answers once, through a link that needs no account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.groups import attendance_answers, closing, sessions
from app.groups.models import AttendanceAnswer
from app.mail.models import OutboxMessage
from app.tokens import hash_token
from tests.groups.conftest import plan

LINK = re.compile(r"https?://[^/\s]+/attendance/answer/([A-Za-z0-9_-]+)")


def _token_for(email: str) -> str:
    bodies = db.session.scalars(select_bodies(email))
    found = [token for body in bodies for token in LINK.findall(body)]
    assert found, f"no link mailed to {email}"
    return found[-1]


def select_bodies(email: str):
    return sa.select(OutboxMessage.body).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)


def _closed(world, scene, *, guest_present=True):
    session = plan(world, scene.group)
    a = world.association.id
    sessions.start_phase(world.trainee, a, session.id, "opening", at=utcnow() - timedelta(minutes=90))
    sessions.set_attendance(world.trainee, a, session.id, scene.guest.id, is_present=guest_present)
    sessions.set_attendance(world.trainee, a, session.id, scene.enrolled_member.id, is_present=True)
    closing.close_session(world.trainee, a, session.id, cases=1, minutes=90)
    db.session.commit()
    return session


def test_the_leader_asks_the_present_members_once_each(world, scene):
    session = _closed(world, scene)
    outcome = attendance_answers.ask_members(world.trainee, world.association.id, session.id)
    db.session.commit()
    assert (outcome.asked, outcome.already, outcome.without_email) == (2, 0, 0)
    token = _token_for("gus@example.org")
    assert "http://localhost/attendance/answer/" in db.session.scalar(select_bodies("gus@example.org"))
    again = attendance_answers.ask_members(world.trainee, world.association.id, session.id)
    assert (again.asked, again.already) == (0, 2)
    stored = db.session.scalars(sa.select(AttendanceAnswer.token_hash)).all()
    assert hash_token(token) in stored and token not in stored and len(stored) == 2  # hashes only


def test_only_a_leader_asks_and_only_after_closing(world, scene):
    open_session = plan(world, scene.group)
    db.session.commit()
    with pytest.raises(InvalidState):
        attendance_answers.ask_members(world.trainee, world.association.id, open_session.id)
    session = _closed(world, scene)
    with pytest.raises(Forbidden):
        attendance_answers.ask_members(world.supervisor, world.association.id, session.id)
    with pytest.raises(NotFound):
        attendance_answers.ask_members(world.other_admin, world.other.id, session.id)


def test_an_absent_member_is_not_asked(world, scene):
    session = _closed(world, scene, guest_present=False)
    outcome = attendance_answers.ask_members(world.trainee, world.association.id, session.id)
    db.session.commit()
    assert outcome.asked == 1
    assert db.session.scalar(select_bodies("gus@example.org")) is None


def test_an_answer_is_given_once_and_an_expired_or_unknown_link_is_refused(world, scene):
    session = _closed(world, scene)
    attendance_answers.ask_members(world.trainee, world.association.id, session.id)
    db.session.commit()
    token = _token_for("gus@example.org")
    with pytest.raises(ValidationError):
        attendance_answers.give_answer(token, "maybe")
    answered = attendance_answers.give_answer(token, "not-there")
    db.session.commit()
    assert answered.answer == "not-there" and answered.answered_at is not None
    with pytest.raises(InvalidState):
        attendance_answers.give_answer(token, "confirmed")
    with pytest.raises(NotFound):
        attendance_answers.open_answer("not-a-token")
    other = _token_for("mira@x.test")
    db.session.execute(sa.update(AttendanceAnswer).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    with pytest.raises(InvalidState):
        attendance_answers.open_answer(other)
    # The leader asks again: the expired, unanswered link is replaced; the answered one is not.
    again = attendance_answers.ask_members(world.trainee, world.association.id, session.id)
    db.session.commit()
    assert (again.asked, again.already) == (1, 1)
    renewed = _token_for("mira@x.test")
    assert renewed != other
    assert attendance_answers.give_answer(renewed, "confirmed").answer == "confirmed"


def test_the_member_answers_on_the_page_and_the_leader_sees_it(world, scene, client):
    session = _closed(world, scene)
    client.login("trainee@x.test")
    page = client.get(f"/groups/sessions/{session.id}").get_data(as_text=True)
    assert "Ask members to confirm by e-mail" in page
    asked = client.submit(
        f"/groups/sessions/{session.id}", {}, action=f"/groups/sessions/{session.id}/ask-members"
    )
    assert asked.status_code == 302
    client.logout()
    token = _token_for("gus@example.org")
    url = f"/attendance/answer/{token}"
    shown = client.get(url)
    assert shown.status_code == 200 and "Were you there?" in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    refused = client.post(url, data={"confirm": "Yes, I was there"})  # no CSRF token
    assert refused.status_code == 400
    answered = client.submit(url, {"confirm": "Yes, I was there"})
    assert answered.status_code == 200 and "your answer is recorded" in answered.get_data(as_text=True)
    assert client.get(url).status_code == 409
    client.login("trainee@x.test")
    assert "confirmed on" in client.get(f"/groups/sessions/{session.id}").get_data(as_text=True)

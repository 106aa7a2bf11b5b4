"""A trainee who used every attempt at the final test can be allowed more, by their
supervisor or an admin, with a reason; the trainee is told and the audit keeps it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.content.curriculum import get_curriculum
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.learning import allowances, quizzes
from app.learning.models import QuizKind
from app.notifications.models import Notification
from app.privacy.guard import PrivacyWarning
from tests.learning.helpers import answers

REASON = "We went through the lessons on epistemic trust together."


def _take_final(world, *, right: int | None, days_ago: int) -> None:
    when = utcnow() - timedelta(days=days_ago)
    attempt = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL, now=when)
    chosen = answers(attempt.question_ids, right=right)
    quizzes.submit_attempt(world.trainee, world.association.id, attempt.id, chosen, now=when)
    db.session.commit()


def _use_every_attempt(world) -> None:
    """Fail the final test as often as the module allows, days apart (past the cooldown)."""
    for number in range(get_curriculum().max_attempts):
        _take_final(world, right=0, days_ago=30 - 2 * number)


def _start_final(world):
    return quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL)


def test_the_assigned_supervisor_allows_one_more_attempt_and_the_trainee_is_told(app, world):
    _use_every_attempt(world)
    with pytest.raises(InvalidState, match="You have used all"):
        _start_final(world)
    db.session.rollback()

    allowances.grant_final_attempts(
        world.supervisor, world.association.id, world.trainee.id, attempts=1, reason=REASON
    )
    db.session.commit()

    assert _start_final(world).is_open
    told = db.session.scalars(select(Notification).where(Notification.user_id == world.trainee.id)).all()
    assert any("1 more attempt at the final test" in n.message for n in told)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "learning.attempts_granted"))
    assert event.actor_id == world.supervisor.id and event.details["reason"] == REASON


def test_granted_attempts_are_used_up_like_the_others(app, world):
    _use_every_attempt(world)
    allowances.grant_final_attempts(
        world.admin, world.association.id, world.trainee.id, attempts=1, reason=REASON
    )
    db.session.commit()
    _take_final(world, right=0, days_ago=2)
    with pytest.raises(InvalidState, match="You have used all"):
        _start_final(world)


def test_only_the_trainees_supervisors_and_admins_may_allow_attempts(app, world):
    for outsider in (world.trainee2, world.supervisor2):
        with pytest.raises(Forbidden):
            allowances.grant_final_attempts(
                outsider, world.association.id, world.trainee.id, attempts=1, reason=REASON
            )
    with pytest.raises(NotFound):  # another association's admin: not their trainee
        allowances.grant_final_attempts(
            world.other_admin, world.other.id, world.trainee.id, attempts=1, reason=REASON
        )


def test_a_grant_needs_a_reason_and_a_small_number(app, world):
    with pytest.raises(ValidationError) as raised:
        allowances.grant_final_attempts(
            world.admin, world.association.id, world.trainee.id, attempts=9, reason=""
        )
    assert set(raised.value.fields) == {"attempts", "reason"}


def test_no_attempts_are_granted_after_a_pass(app, world):
    _take_final(world, right=None, days_ago=3)
    with pytest.raises(InvalidState, match="passed the final test"):
        allowances.grant_final_attempts(
            world.admin, world.association.id, world.trainee.id, attempts=1, reason=REASON
        )


def test_the_reason_goes_through_the_privacy_guard(app, world):
    with pytest.raises(PrivacyWarning):
        allowances.grant_final_attempts(
            world.admin,
            world.association.id,
            world.trainee.id,
            attempts=1,
            reason="Her patient Mrs Jenkins, 0161 496 0000, upset her before the test.",
        )


def test_the_supervisor_grants_from_the_module_progress_page(app, client, world):
    _use_every_attempt(world)
    client.login("sup@x.test")
    progress = client.get("/learning/progress").get_data(as_text=True)
    url = f"/learning/progress/{world.trainee.id}/attempts"
    assert url in progress
    page = client.get(url).get_data(as_text=True)
    assert f"Attempts used: {get_curriculum().max_attempts} of {get_curriculum().max_attempts}" in page
    kept = client.submit(url, {"attempts": "1", "reason": "ok"})
    assert kept.status_code == 200 and "ok" in kept.get_data(as_text=True)  # too short; what was typed stays
    done = client.submit(url, {"attempts": "1", "reason": REASON})
    assert done.status_code == 302
    assert _start_final(world).is_open

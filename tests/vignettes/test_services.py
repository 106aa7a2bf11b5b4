"""The reflection workflow through its services: every state and every forbidden move."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.mail.models import OutboxMessage
from app.notifications.models import Notification
from app.privacy.guard import PrivacyWarning
from app.programmes import services as programmes
from app.vignettes import review, services
from app.vignettes.content import library
from app.vignettes.models import FinalRecordViolation, Reflection, ReflectionFeedback
from tests.vignettes.helpers import IDENTIFYING, SLUG, complete_answers, decided, submitted


def _notifications_of(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def _mail_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)))


def _review(world, reflection, decision="accepted", comment="Well seen.", actor=None, **kwargs):
    return review.review_reflection(
        actor or world.supervisor,
        world.association.id,
        reflection.id,
        decision=decision,
        overall_comment=comment,
        exercise_comments=kwargs.pop("exercise_comments", {}),
        **kwargs,
    )


# --- drafts and submitting ------------------------------------------------------------------


def test_first_save_creates_version_one_draft_with_the_content_version(app, world):
    answers = {"questions": {"text": "Who lives at home?"}}
    draft = services.save_draft(world.trainee, world.association.id, SLUG, answers)
    db.session.commit()
    assert (draft.version, draft.status, draft.enrolment_id) == (1, "draft", world.enrolment.id)
    assert draft.content_version == library().get(SLUG).version
    assert draft.answer("questions") == {"text": "Who lives at home?"}
    again = services.save_draft(world.trainee, world.association.id, SLUG, {"questions": {"text": "Changed"}})
    assert again.id == draft.id
    assert again.answer("questions")["text"] == "Changed"


def test_draft_may_be_incomplete_but_submitting_needs_every_answer(app, world):
    services.save_draft(world.trainee, world.association.id, SLUG, {"image": {"text": "A house"}})
    answers = complete_answers()
    del answers["dimensions"]["ratings"]["self-other"]
    answers["intervention"]["choice"] = None
    answers["questions"]["text"] = "  "
    with pytest.raises(ValidationError) as refused:
        services.submit_reflection(world.trainee, world.association.id, SLUG, answers)
    assert set(refused.value.fields) == {"dimensions__self-other", "intervention__choice", "questions__text"}


def test_ratings_outside_the_scale_and_unknown_options_are_refused(app, world):
    answers = complete_answers()
    answers["dimensions"]["ratings"]["self-other"] = 7
    answers["intervention"]["choice"] = "shout-at-the-group"
    with pytest.raises(ValidationError) as refused:
        services.save_draft(world.trainee, world.association.id, SLUG, answers)
    assert set(refused.value.fields) == {"dimensions__self-other", "intervention__choice"}
    assert db.session.scalar(select(Reflection.id)) is None


def test_submitting_tells_each_assigned_supervisor_and_is_audited(app, world):
    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    reflection = submitted(world)
    assert reflection.status == "submitted"
    assert reflection.submitted_at is not None
    for supervisor in (world.supervisor, world.supervisor2):
        (mail,) = _mail_to(supervisor.email)
        assert "Tomas Trainee" in mail.body
        assert f"/vignettes/review/{reflection.id}" in mail.body
        assert "frightened" not in mail.body  # the answers themselves never travel by mail
        (note,) = _notifications_of(supervisor)
        assert note.link == f"/vignettes/review/{reflection.id}"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Reflection"))
    assert list(actions) == ["reflection.started", "reflection.submitted"]


def test_submitting_twice_is_refused(app, world):
    submitted(world)
    with pytest.raises(InvalidState):
        services.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers())


def test_a_submitted_reflection_cannot_be_edited(app, world):
    submitted(world)
    with pytest.raises(InvalidState):
        services.save_draft(world.trainee, world.association.id, SLUG, {"questions": {"text": "later"}})


def test_a_trainee_without_an_enrolment_cannot_start(app, world):
    with pytest.raises(InvalidState):
        services.save_draft(world.trainee2, world.association.id, SLUG, complete_answers())


def test_only_trainees_write_reflections(app, world):
    with pytest.raises(Forbidden):
        services.save_draft(world.supervisor, world.association.id, SLUG, complete_answers())


def test_an_unknown_vignette_is_not_found(app, world):
    with pytest.raises(NotFound):
        services.save_draft(world.trainee, world.association.id, "no-such-case", {})


# --- reviewing -------------------------------------------------------------------------------


def test_accepting_records_feedback_tells_the_trainee_and_is_final(app, world):
    reflection = submitted(world)
    feedback = _review(world, reflection, exercise_comments={"image": "Lovely image.", "nope": "ignored"})
    db.session.commit()
    assert reflection.status == "accepted"
    assert reflection.reviewer_id == world.supervisor.id
    assert (feedback.decision, feedback.overall_comment) == ("accepted", "Well seen.")
    assert feedback.exercise_comments == {"image": "Lovely image."}
    (mail,) = _mail_to(world.trainee.email)
    assert "accepted" in mail.subject
    assert f"/vignettes/reflections/{reflection.id}" in mail.body
    (note,) = _notifications_of(world.trainee)
    assert note.link == f"/vignettes/reflections/{reflection.id}"
    with pytest.raises(InvalidState):
        services.save_draft(world.trainee, world.association.id, SLUG, complete_answers())
    with pytest.raises(InvalidState):
        services.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers())
    with pytest.raises(InvalidState):
        _review(world, reflection, decision="revision_requested")


def test_the_database_layer_refuses_to_change_an_accepted_reflection(app, world):
    reflection = decided(world, "accepted")
    reflection.answers = {"questions": {"text": "rewritten"}}
    with pytest.raises(FinalRecordViolation):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(Reflection, reflection.id))
    with pytest.raises(FinalRecordViolation):
        db.session.flush()
    db.session.rollback()
    feedback = db.session.scalar(select(ReflectionFeedback))
    feedback.overall_comment = "softer words"
    with pytest.raises(FinalRecordViolation):
        db.session.flush()


def test_a_revision_request_opens_the_next_version_and_keeps_the_history(app, world):
    first = decided(world, "revision_requested", comment="Stay longer with the boy.")
    assert first.status == "revision_requested"
    second = db.session.scalar(select(Reflection).where(Reflection.previous_id == first.id))
    assert (second.version, second.status) == (2, "draft")
    assert second.answers == first.answers
    (mail,) = _mail_to(world.trainee.email)
    assert "revise" in mail.subject
    assert [note.link for note in _notifications_of(world.trainee)] == [f"/vignettes/{SLUG}"]
    services.save_draft(world.trainee, world.association.id, SLUG, complete_answers(text="A new answer"))
    services.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers(text="Newer"))
    db.session.commit()
    _review(world, second, comment="Much deeper.")
    db.session.commit()
    view = services.get_reflection(world.trainee, world.association.id, first.id)
    assert [(v.version, v.status) for v in view.versions] == [(1, "revision_requested"), (2, "accepted")]
    assert [v.feedback.overall_comment for v in view.versions] == [
        "Stay longer with the boy.",
        "Much deeper.",
    ]
    assert view.reflection.answer("questions")["text"].startswith("The son seems frightened")


def test_a_revision_request_must_say_what_to_revise(app, world):
    reflection = submitted(world)
    with pytest.raises(ValidationError) as refused:
        _review(world, reflection, decision="revision_requested", comment="  ")
    assert "overall_comment" in refused.value.fields


def test_an_unknown_decision_is_refused(app, world):
    with pytest.raises(ValidationError):
        _review(world, submitted(world), decision="maybe")


def test_a_draft_cannot_be_reviewed(app, world):
    draft = services.save_draft(world.trainee, world.association.id, SLUG, complete_answers())
    db.session.commit()
    with pytest.raises(InvalidState):
        _review(world, draft)


def test_a_trainee_cannot_review_their_own_work(app, world):
    reflection = submitted(world)
    with pytest.raises(Forbidden):
        _review(world, reflection, actor=world.trainee)


def test_a_supervisor_who_is_also_the_trainee_never_reviews_their_own_work(app, world, make_user):
    both = make_user("both@x.test", world.association, Role.TRAINEE, Role.SUPERVISOR, name="Bea Both")
    programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=both.id,
        programme_id=world.programme.id,
        supervisor_ids=[both.id, world.supervisor.id],
        started_on=date(2025, 2, 1),
    )
    db.session.commit()
    reflection = submitted(world, trainee=both)
    assert review.review_queue(both, world.association.id).items == []
    assert _mail_to(both.email) == []  # told only the other supervisor
    with pytest.raises(Forbidden):
        _review(world, reflection, actor=both)
    with pytest.raises(Forbidden):
        review.get_for_review(both, world.association.id, reflection.id)
    assert [r.id for r in review.review_queue(world.supervisor, world.association.id).items] == [
        reflection.id
    ]


def test_a_supervisor_of_another_trainee_cannot_review_or_read(app, world):
    reflection = submitted(world)
    with pytest.raises(Forbidden):
        _review(world, reflection, actor=world.supervisor2)
    with pytest.raises(Forbidden):
        services.get_reflection(world.supervisor2, world.association.id, reflection.id)
    assert review.review_queue(world.supervisor2, world.association.id).items == []


def test_another_associations_supervisor_finds_nothing(app, world, make_user):
    stranger = make_user("sup@other.test", world.other, Role.SUPERVISOR)
    reflection = submitted(world)
    with pytest.raises(NotFound):
        _review(world, reflection, actor=stranger)
    with pytest.raises(NotFound):
        review.review_reflection(
            stranger,
            world.other.id,
            reflection.id,
            decision="accepted",
            overall_comment="",
            exercise_comments={},
        )
    with pytest.raises(NotFound):
        services.get_reflection(stranger, world.other.id, reflection.id)


def test_admins_read_reflections_but_do_not_review_them(app, world):
    reflection = submitted(world)
    assert services.get_reflection(world.admin, world.association.id, reflection.id).reflection == reflection
    with pytest.raises(Forbidden):
        _review(world, reflection, actor=world.admin)


def test_another_trainee_cannot_read_a_reflection(app, world):
    reflection = submitted(world)
    with pytest.raises(Forbidden):
        services.get_reflection(world.trainee2, world.association.id, reflection.id)


def test_the_queue_lists_the_longest_waiting_first(app, world):
    slugs = ["the-man-with-the-list", SLUG, "the-birth-plan"]
    reflections = [submitted(world, slug) for slug in slugs]
    for days, reflection in zip((1, 5, 3), reflections, strict=True):
        reflection.submitted_at = utcnow() - timedelta(days=days)
    db.session.commit()
    queue = review.review_queue(world.supervisor, world.association.id)
    assert [r.vignette_slug for r in queue.items] == [SLUG, "the-birth-plan", "the-man-with-the-list"]
    assert review.waiting_count(world.supervisor, world.association.id) == 3


# --- privacy ---------------------------------------------------------------------------------


def test_identifying_answers_raise_a_privacy_warning_naming_the_field(app, world):
    answers = complete_answers()
    answers["questions"]["text"] = IDENTIFYING
    with pytest.raises(PrivacyWarning) as warned:
        services.submit_reflection(world.trainee, world.association.id, SLUG, answers)
    assert list(warned.value.fields) == ["questions__text"]
    assert "personal name" in warned.value.fields["questions__text"][0]


def test_a_confirmed_override_is_saved_and_audited_with_kinds_only(app, world):
    answers = complete_answers()
    answers["questions"]["text"] = IDENTIFYING
    reflection = services.submit_reflection(
        world.trainee, world.association.id, SLUG, answers, is_confirmed=True
    )
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.override"))
    assert event.object_id == str(reflection.id)
    assert event.actor_id == world.trainee.id
    assert event.details == {"kinds": {"questions__text": ["person-name"]}}
    assert "Jenkins" not in json.dumps(event.details)


def test_supervisor_feedback_goes_through_the_privacy_guard(app, world):
    reflection = submitted(world)
    with pytest.raises(PrivacyWarning) as warned:
        _review(
            world, reflection, comment="Call me on 07700 900123.", exercise_comments={"image": IDENTIFYING}
        )
    assert set(warned.value.fields) == {"overall_comment", "image__comment"}

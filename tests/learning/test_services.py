"""Rules of the module: completions, attempts, pass marks and the retake policy."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.content.curriculum import clear_cache, get_curriculum
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.learning import quizzes, services
from app.learning.models import LessonCompletion, QuizAttempt, QuizKind
from app.programmes import services as programmes
from tests.fixtures.world import RULE_SET
from tests.learning.conftest import remove_question
from tests.learning.helpers import answers

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def take(world, user, kind=QuizKind.FINAL, slug=None, *, right=None, now=T0):
    attempt = quizzes.start_attempt(user, world.association.id, kind, slug, now=now)
    result = quizzes.submit_attempt(
        user, world.association.id, attempt.id, answers(attempt.question_ids, right), now=now
    )
    db.session.commit()
    return result


# --- lessons ------------------------------------------------------------------------------------


def test_completing_a_lesson_records_its_content_version(app, world):
    completion = services.complete_lesson(world.trainee, world.association.id, "mentalization")
    db.session.commit()
    assert completion.content_version == get_curriculum().lesson("mentalization").version
    assert services.module_progress(world.trainee, world.association.id).completed_count == 1


def test_completing_a_lesson_twice_keeps_one_record(app, world):
    for _ in range(2):
        services.complete_lesson(world.trainee, world.association.id, "mentalization")
        db.session.commit()
    assert db.session.scalar(select(func.count(LessonCompletion.id))) == 1


def test_an_unknown_lesson_is_not_found(app, world):
    with pytest.raises(NotFound):
        services.complete_lesson(world.trainee, world.association.id, "no-such-lesson")


def test_progress_survives_an_edit_of_the_lesson(app, world, editable_curriculum):
    services.complete_lesson(world.trainee, world.association.id, "mentalization")
    db.session.commit()
    path = editable_curriculum / "lessons/04-mentalization.md"
    path.write_text(path.read_text() + "\nA sentence added after the key points.\n")
    clear_cache()

    progress = services.module_progress(world.trainee, world.association.id)
    state = progress.state_of("mentalization")
    assert state.is_completed
    assert state.is_updated_since_completed
    assert progress.completed_count == 1

    services.complete_lesson(world.trainee, world.association.id, "mentalization")
    db.session.commit()
    state = services.module_progress(world.trainee, world.association.id).state_of("mentalization")
    assert not state.is_updated_since_completed
    assert db.session.scalar(select(func.count(LessonCompletion.id))) == 1


def test_attempts_survive_an_edit_of_their_questions(app, world, editable_curriculum):
    attempt = take(world, world.trainee, QuizKind.LESSON, "four-dimensions")
    path = editable_curriculum / "questions/05-four-dimensions.yaml"
    path.write_text(path.read_text().replace("Which best describes healthy", "Which best sums up healthy"))
    clear_cache()
    progress = services.module_progress(world.trainee, world.association.id)
    assert progress.state_of("four-dimensions").best_check_score == 100
    assert attempt.question_versions["dim-balance"] != get_curriculum().questions_by_id["dim-balance"].version


def test_the_module_is_for_trainees_only(app, world):
    with pytest.raises(Forbidden):
        services.module_progress(world.supervisor, world.association.id)
    with pytest.raises(Forbidden):
        quizzes.start_attempt(world.admin, world.association.id, QuizKind.FINAL)


# --- attempts -------------------------------------------------------------------------------------


def test_the_final_test_draws_the_configured_number_spread_over_every_lesson(app, world):
    attempt = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL)
    curriculum = get_curriculum()
    assert len(attempt.question_ids) == curriculum.final_test_questions
    assert len(set(attempt.question_ids)) == len(attempt.question_ids)
    per_lesson = Counter(curriculum.questions_by_id[qid].lesson_slug for qid in attempt.question_ids)
    assert set(per_lesson) == {lesson.slug for lesson in curriculum.lessons}
    assert max(per_lesson.values()) - min(per_lesson.values()) <= 1


def test_the_drawn_questions_stay_fixed_while_the_attempt_is_open(app, world):
    first = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL)
    db.session.commit()
    again = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL)
    assert again.id == first.id
    assert again.question_ids == first.question_ids
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_a_lesson_check_asks_every_question_of_the_lesson(app, world):
    attempt = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.LESSON, "leaders-craft")
    lesson = get_curriculum().lesson("leaders-craft")
    assert attempt.question_ids == [question.id for question in lesson.questions]


def test_an_open_attempt_whose_questions_were_removed_is_drawn_again(app, world, editable_curriculum):
    attempt = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL)
    db.session.commit()
    questions = get_curriculum().questions_by_id
    gone = next(qid for qid in attempt.question_ids if questions[qid].lesson_slug == "four-dimensions")
    remove_question(editable_curriculum / "questions/05-four-dimensions.yaml", gone)
    clear_cache()
    again = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL)
    assert again.id == attempt.id
    assert gone not in again.question_ids
    assert all(qid in get_curriculum().questions_by_id for qid in again.question_ids)


def test_every_question_needs_an_answer(app, world):
    attempt = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL)
    given = answers(attempt.question_ids)
    skipped = attempt.question_ids[3]
    del given[skipped]
    with pytest.raises(ValidationError) as raised:
        quizzes.submit_attempt(world.trainee, world.association.id, attempt.id, given)
    assert list(raised.value.fields) == [skipped]
    assert attempt.is_open


def test_a_submitted_attempt_stores_answers_score_versions_and_pass_mark(app, world):
    attempt = take(world, world.trainee, right=15)
    questions = get_curriculum().questions_by_id
    assert attempt.score_percent == 75.0
    assert attempt.is_passed is False
    assert attempt.pass_mark == 80
    assert attempt.submitted_at == T0
    assert set(attempt.answers) == set(attempt.question_ids)
    assert sum(entry["points"] for entry in attempt.answers.values()) == 15
    assert attempt.question_versions == {qid: questions[qid].version for qid in attempt.question_ids}


def test_a_submitted_attempt_cannot_be_submitted_again(app, world):
    attempt = take(world, world.trainee)
    with pytest.raises(InvalidState):
        quizzes.submit_attempt(world.trainee, world.association.id, attempt.id, answers(attempt.question_ids))


def test_another_trainees_attempt_reads_as_not_found(app, world, make_user):
    attempt = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL)
    db.session.commit()
    with pytest.raises(NotFound):
        quizzes.get_attempt(world.trainee2, world.association.id, attempt.id)
    stranger = make_user("t@other.test", world.other, Role.TRAINEE)
    with pytest.raises(NotFound):
        quizzes.get_attempt(stranger, world.other.id, attempt.id)


# --- pass mark ------------------------------------------------------------------------------------


def test_an_enrolled_trainee_gets_the_pass_mark_of_their_programme(app, world):
    world.programme.module_pass_mark = 90
    db.session.commit()
    attempt = take(world, world.trainee, right=17)
    assert attempt.score_percent == 85.0
    assert attempt.pass_mark == 90
    assert attempt.is_passed is False


def test_a_trainee_on_no_programme_gets_the_module_default(app, world):
    attempt = take(world, world.trainee2, right=16)
    assert attempt.pass_mark == get_curriculum().pass_mark == 80
    assert attempt.is_passed is True  # exactly 80% passes


def test_the_strictest_active_programme_sets_the_pass_mark(app, world):
    strict = programmes.create_programme(
        world.admin,
        world.association.id,
        slug="strict",
        title="Strict",
        rule_set_source=RULE_SET,
        module_pass_mark=95,
    )
    programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee.id,
        programme_id=strict.id,
        supervisor_ids=[world.supervisor.id],
        started_on=T0.date(),
    )
    db.session.commit()
    assert services.pass_mark_for(world.trainee.id, world.association.id, get_curriculum()) == 95


# --- retake policy ----------------------------------------------------------------------------------


def test_a_lesson_check_allows_at_most_the_configured_attempts(app, world):
    limit = get_curriculum().max_attempts
    for _ in range(limit):
        take(world, world.trainee, QuizKind.LESSON, "mentalization", right=2)
    with pytest.raises(InvalidState) as raised:
        quizzes.start_attempt(world.trainee, world.association.id, QuizKind.LESSON, "mentalization")
    assert f"You have used all {limit} attempts" in raised.value.message


def test_a_failed_final_test_can_be_retaken_only_after_the_cooldown(app, world):
    take(world, world.trainee, right=5, now=T0)
    hours = get_curriculum().cooldown_hours
    with pytest.raises(InvalidState) as raised:
        quizzes.start_attempt(
            world.trainee, world.association.id, QuizKind.FINAL, now=T0 + timedelta(hours=hours - 1)
        )
    assert f"wait {hours} hours" in raised.value.message
    assert "You can take it again from" in raised.value.message
    attempt = quizzes.start_attempt(
        world.trainee, world.association.id, QuizKind.FINAL, now=T0 + timedelta(hours=hours)
    )
    assert attempt.is_open


def test_final_attempts_are_limited_too(app, world):
    curriculum = get_curriculum()
    for number in range(curriculum.max_attempts):
        take(world, world.trainee, right=5, now=T0 + timedelta(days=2 * number))
    later = T0 + timedelta(days=30)
    with pytest.raises(InvalidState) as raised:
        quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL, now=later)
    assert "You have used all" in raised.value.message
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == curriculum.max_attempts  # all kept


def test_a_passed_final_test_is_not_taken_again(app, world):
    take(world, world.trainee)
    with pytest.raises(InvalidState) as raised:
        quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL, now=T0 + timedelta(days=3))
    assert "You have passed the final test" in raised.value.message


def test_a_programme_pass_mark_must_be_a_percentage(app, world):
    with pytest.raises(ValidationError) as raised:
        programmes.create_programme(
            world.admin,
            world.association.id,
            slug="odd",
            title="Odd",
            rule_set_source=RULE_SET,
            module_pass_mark=120,
        )
    assert "module_pass_mark" in raised.value.fields

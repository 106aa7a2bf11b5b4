"""Supervisors see their assigned trainees' module progress; admins see every trainee."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.accounts.models import Role
from app.content.curriculum import clear_cache, get_curriculum
from app.errors import Forbidden
from app.extensions import db
from app.learning import quizzes, reports, services
from app.learning.models import QuizKind
from tests.learning.helpers import answers

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def names(page) -> list[str]:
    return [row.trainee.name for row in page.items]


def finish_final(world, user, right, now=T0):
    attempt = quizzes.start_attempt(user, world.association.id, QuizKind.FINAL, now=now)
    quizzes.submit_attempt(
        user, world.association.id, attempt.id, answers(attempt.question_ids, right), now=now
    )


def test_a_supervisor_sees_only_the_trainees_assigned_to_them(app, world):
    assert names(reports.progress_of_trainees(world.supervisor, world.association.id)) == ["Tomas Trainee"]
    assert names(reports.progress_of_trainees(world.supervisor2, world.association.id)) == []


def test_an_admin_sees_every_trainee_of_the_association(app, world, make_user):
    make_user("elsewhere@other.test", world.other, Role.TRAINEE, name="Elsewhere Person")
    page = reports.progress_of_trainees(world.admin, world.association.id)
    assert names(page) == ["Tilda Two", "Tomas Trainee"]


def test_the_search_narrows_the_list(app, world):
    assert names(reports.progress_of_trainees(world.admin, world.association.id, search="tilda")) == [
        "Tilda Two"
    ]


def test_trainees_do_not_see_others_progress(app, world):
    with pytest.raises(Forbidden):
        reports.progress_of_trainees(world.trainee, world.association.id)


def test_each_row_has_lessons_done_best_score_and_attempts(app, world):
    for slug in ("mentalization", "four-dimensions"):
        completion = services.complete_lesson(world.trainee, world.association.id, slug)
        completion.completed_at = T0
    check = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.LESSON, "mentalization")
    quizzes.submit_attempt(world.trainee, world.association.id, check.id, answers(check.question_ids), now=T0)
    finish_final(world, world.trainee, right=10)
    finish_final(world, world.trainee, right=18, now=T0.replace(day=5))
    quizzes.start_attempt(world.trainee2, world.association.id, QuizKind.FINAL)  # open: not counted
    db.session.commit()

    rows = {
        row.trainee.name: row.result
        for row in reports.progress_of_trainees(world.admin, world.association.id).items
    }
    tomas, tilda = rows["Tomas Trainee"], rows["Tilda Two"]
    assert (tomas.lessons_done, tomas.lessons_total) == (2, len(get_curriculum().lessons))
    assert tomas.best_final_score == 90.0
    assert tomas.is_passed is True
    assert (tomas.final_attempts, tomas.check_attempts) == (2, 1)
    assert tomas.last_activity_at == T0.replace(day=5)
    assert (tilda.lessons_done, tilda.final_attempts, tilda.best_final_score, tilda.is_passed) == (
        0,
        0,
        None,
        False,
    )


def test_completions_of_lessons_dropped_from_the_module_are_kept_but_not_counted(
    app, world, editable_curriculum
):
    last = get_curriculum().lessons[-1]
    services.complete_lesson(world.trainee, world.association.id, last.slug)
    db.session.commit()
    module = editable_curriculum / "module.yaml"
    module.write_text(module.read_text().replace(f"  - {last.slug}\n", ""))
    (editable_curriculum / f"lessons/{last.position:02d}-{last.slug}.md").unlink()
    (editable_curriculum / f"questions/{last.position:02d}-{last.slug}.yaml").unlink()
    clear_cache()
    result = reports.module_results(world.association.id, [world.trainee.id])[world.trainee.id]
    assert (result.lessons_done, result.lessons_total) == (0, last.position - 1)

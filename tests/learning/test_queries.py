"""Pages run a bounded number of queries, however many trainees or attempts there are."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.accounts.models import Role
from app.content.curriculum import get_curriculum
from app.extensions import db
from app.learning.models import LessonCompletion, QuizAttempt
from app.programmes import services as programmes
from tests.learning.helpers import count_queries

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def add_history(association_id: int, trainee_id: int, attempts: int) -> None:
    """Every lesson completed and ``attempts`` submitted attempts, written directly as rows."""
    curriculum = get_curriculum()
    for lesson in curriculum.lessons:
        db.session.add(
            LessonCompletion(
                association_id=association_id,
                trainee_id=trainee_id,
                lesson_slug=lesson.slug,
                content_version="x",
            )
        )
    for number in range(attempts):
        lesson = curriculum.lessons[number % len(curriculum.lessons)]
        is_final = number % 3 == 0
        db.session.add(
            QuizAttempt(
                association_id=association_id,
                trainee_id=trainee_id,
                kind="final" if is_final else "lesson",
                lesson_slug=None if is_final else lesson.slug,
                question_ids=[question.id for question in lesson.questions],
                answers={},
                question_versions={},
                score_percent=50.0 + number % 50,
                is_passed=False,
                pass_mark=80,
                started_at=T0 + timedelta(days=number),
                submitted_at=T0 + timedelta(days=number),
            )
        )
    db.session.commit()


def add_trainees(world, make_user, count: int) -> None:
    for number in range(count):
        user = make_user(f"many{number}@x.test", world.association, Role.TRAINEE, name=f"Many {number:02d}")
        programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=user.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=date(2025, 2, 1),
        )
        add_history(world.association.id, user.id, attempts=6)


def queries_for(client, url: str) -> int:
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def test_progress_pages_do_not_grow_with_the_number_of_trainees(app, world, make_user, client):
    add_history(world.association.id, world.trainee.id, attempts=2)
    client.login("admin@x.test")
    admin_few = queries_for(client, "/learning/progress")
    supervisor = app.test_client()
    supervisor.login("sup@x.test")
    supervisor_few = queries_for(supervisor, "/learning/progress")

    add_trainees(world, make_user, 30)  # more than a page
    assert queries_for(client, "/learning/progress") == admin_few
    assert queries_for(client, "/learning/progress?page=2") == admin_few
    assert queries_for(supervisor, "/learning/progress") == supervisor_few


def test_trainee_pages_do_not_grow_with_the_number_of_attempts(app, world, client):
    client.login("trainee@x.test")
    pages = ["/learning/", "/learning/lessons/mentalization", "/learning/final", "/home"]
    before = {url: queries_for(client, url) for url in pages}
    add_history(world.association.id, world.trainee.id, attempts=40)
    after = {url: queries_for(client, url) for url in pages}
    assert after == before
    assert max(after[url] for url in pages if url.startswith("/learning")) <= 10

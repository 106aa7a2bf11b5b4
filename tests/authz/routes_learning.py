"""learning routes in the authorization matrix."""

from __future__ import annotations

from app.extensions import db
from app.learning import quizzes
from app.learning.models import QuizKind
from tests.authz.cases import NOT_THEIRS, RouteCase, expect, neighbours

TRAINEE_PAGE = expect(302, 200, 403, 403, 403)
TRAINEE_POST = expect(302, 302, 403, 403, 403)
SUPERVISORS_AND_ADMINS = expect(302, 403, 200, 200, 200)  # other_admin sees their own association's trainees
EVERYONE_SIGNED_IN = expect(302, 200, 200, 200, 200)


def cases(world) -> list[RouteCase]:
    attempt = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.FINAL)
    db.session.commit()
    lesson = "/learning/lessons/mentalization"
    return [
        RouteCase("learning.overview", "GET", "/learning/", TRAINEE_PAGE),
        RouteCase("learning.lesson", "GET", lesson, TRAINEE_PAGE),
        RouteCase(
            "learning.lesson", "GET", "/learning/lessons/no-such-lesson", expect(302, 404, 403, 403, 403)
        ),
        RouteCase("learning.complete_lesson", "POST", f"{lesson}/complete", TRAINEE_POST),
        RouteCase("learning.start_check", "POST", f"{lesson}/check", TRAINEE_POST),
        RouteCase("learning.final_test", "GET", "/learning/final", TRAINEE_PAGE),
        RouteCase("learning.start_final", "POST", "/learning/final", TRAINEE_POST),
        RouteCase(
            "learning.attempt",
            "GET",
            f"/learning/attempts/{attempt.id}",
            TRAINEE_PAGE,
            neighbours=neighbours(404, 403, 403),
        ),
        # Nothing answered: the questions again, with an error beside each.
        RouteCase(
            "learning.attempt",
            "POST",
            f"/learning/attempts/{attempt.id}",
            TRAINEE_PAGE,
            neighbours=neighbours(404, 403, 403),
        ),
        RouteCase("learning.attempt", "GET", "/learning/attempts/999999", expect(302, 404, 403, 403, 403)),
        RouteCase("learning.progress", "GET", "/learning/progress?q=t", SUPERVISORS_AND_ADMINS),
        # Admins only; another association's admin sees their own association's figures.
        RouteCase(
            "learning.item_statistics", "GET", "/learning/item-statistics", expect(302, 403, 403, 200, 200)
        ),
        # Another association's admin cannot see (or grant to) this association's trainee.
        RouteCase(
            "learning.extra_attempts",
            "GET",
            f"/learning/progress/{world.trainee.id}/attempts",
            expect(302, 403, 200, 200, 404),
            neighbours=NOT_THEIRS,
        ),
        # Nothing filled in: the form again, with an error beside each field.
        RouteCase(
            "learning.extra_attempts",
            "POST",
            f"/learning/progress/{world.trainee.id}/attempts",
            expect(302, 403, 200, 200, 404),
            neighbours=NOT_THEIRS,
        ),
        RouteCase("learning.briefing", "GET", "/learning/briefing", EVERYONE_SIGNED_IN),
        RouteCase("learning.briefing_pdf", "GET", "/learning/briefing.pdf", EVERYONE_SIGNED_IN),
    ]

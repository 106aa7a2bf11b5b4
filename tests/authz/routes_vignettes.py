"""vignettes routes in the authorization matrix."""

from __future__ import annotations

from app.extensions import db
from app.vignettes import services
from tests.authz.cases import NOT_THEIRS, RouteCase, expect
from tests.vignettes.helpers import SLUG, complete_answers

EVERY_MEMBER = expect(302, 200, 200, 200, 200)  # other_admin reads their own association's library


def cases(world) -> list[RouteCase]:
    reflection = services.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers())
    db.session.commit()
    other_slug = "the-birth-plan"
    return [
        RouteCase("vignettes.index", "GET", "/vignettes/", EVERY_MEMBER),
        RouteCase("vignettes.vignette", "GET", f"/vignettes/{SLUG}", EVERY_MEMBER),
        RouteCase("vignettes.vignette", "GET", "/vignettes/no-such-case", expect(302, 404, 404, 404, 404)),
        RouteCase(
            "vignettes.save",
            "POST",
            f"/vignettes/{other_slug}",
            expect(302, 302, 403, 403, 403),  # the trainee saves an empty draft
            data={"save": "Save draft"},
        ),
        RouteCase(
            "vignettes.my_reflections", "GET", "/vignettes/reflections", expect(302, 200, 403, 403, 403)
        ),
        RouteCase(
            "vignettes.reflection",
            "GET",
            f"/vignettes/reflections/{reflection.id}",
            expect(302, 200, 200, 200, 404),  # author, assigned supervisor, admin; another association: 404,
            neighbours=NOT_THEIRS,
        ),
        RouteCase("vignettes.queue", "GET", "/vignettes/review", expect(302, 403, 200, 403, 403)),
        RouteCase(
            "vignettes.review",
            "GET",
            f"/vignettes/review/{reflection.id}",
            expect(302, 403, 200, 403, 404),  # another association: 404, its existence is not revealed
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "vignettes.review",
            "POST",
            f"/vignettes/review/{reflection.id}",
            expect(302, 403, 200, 403, 404),  # no comment for a revision: the form again, nothing changes
            data={"revise": "Request a revision"},
            neighbours=NOT_THEIRS,
        ),
        RouteCase("vignettes.overview", "GET", "/vignettes/overview", expect(302, 403, 403, 200, 200)),
    ]

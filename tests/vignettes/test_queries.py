"""Every vignettes page runs the same number of queries whatever the amount of data."""

from __future__ import annotations

from datetime import date

from app.accounts.models import Role
from app.extensions import db
from app.programmes import services as programmes
from app.vignettes import review, services
from app.vignettes.content import library
from app.vignettes.models import Reflection
from tests.vignettes.helpers import SLUG, complete_answers, count_queries


def _submit(trainee, association_id: int, slug: str) -> Reflection:
    return services.submit_reflection(trainee, association_id, slug, complete_answers(slug))


def _grow(world, make_user, trainees: int) -> None:
    """Many trainees of the same supervisor, each with reflections in every state."""
    slugs = [vignette.slug for vignette in library().vignettes]
    people = [world.trainee] + [
        make_user(f"t{n}@x.test", world.association, Role.TRAINEE, name=f"Trainee {n:02d}")
        for n in range(trainees)
    ]
    for person in people[1:]:
        programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=person.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id, world.supervisor2.id],
            started_on=date(2025, 3, 1),
        )
    for person in people:
        for index, slug in enumerate(slugs[1:9]):
            if person is world.trainee and slug in {"the-birth-plan"}:
                continue
            reflection = _submit(person, world.association.id, slug)
            if index % 3 == 0:
                continue  # left waiting
            decision = "accepted" if index % 3 == 1 else "revision_requested"
            review.review_reflection(
                world.supervisor,
                world.association.id,
                reflection.id,
                decision=decision,
                overall_comment="Look again at the presenter.",
                exercise_comments={"questions": "Good questions."},
            )
    db.session.commit()


def _pages(world) -> dict[str, tuple[str, str]]:
    mine = db.session.scalar(
        db.select(Reflection).where(
            Reflection.trainee_id == world.trainee.id, Reflection.vignette_slug == SLUG
        )
    )
    waiting = db.session.scalar(
        db.select(Reflection.id)
        .where(Reflection.trainee_id == world.trainee.id, Reflection.status == "submitted")
        .order_by(Reflection.id)
    )
    return {
        "library": ("trainee@x.test", "/vignettes/"),
        "vignette": ("trainee@x.test", f"/vignettes/{SLUG}"),
        "my reflections": ("trainee@x.test", "/vignettes/reflections"),
        "reflection": ("trainee@x.test", f"/vignettes/reflections/{mine.id}"),
        "trainee home": ("trainee@x.test", "/home"),
        "queue": ("sup@x.test", "/vignettes/review"),
        "review": ("sup@x.test", f"/vignettes/review/{waiting}"),
        "supervisor home": ("sup@x.test", "/home"),
        "overview": ("admin@x.test", "/vignettes/overview"),
    }


def _measure(app, pages: dict[str, tuple[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    clients = {}
    for name, (email, url) in pages.items():
        if email not in clients:
            clients[email] = app.test_client()
            clients[email].login(email)
        with count_queries() as statements:
            response = clients[email].get(url)
        assert response.status_code == 200, f"{name}: {response.status_code}"
        counts[name] = len(statements)
    return counts


def test_page_query_counts_do_not_grow_with_the_data(app, world, make_user):
    _submit(world.trainee, world.association.id, SLUG)
    _submit(world.trainee, world.association.id, "the-birth-plan")
    db.session.commit()
    review.review_reflection(
        world.supervisor,
        world.association.id,
        db.session.scalar(db.select(Reflection.id).where(Reflection.vignette_slug == SLUG)),
        decision="revision_requested",
        overall_comment="More, please.",
        exercise_comments={},
    )
    db.session.commit()
    small = _measure(app, _pages(world))

    _grow(world, make_user, trainees=10)
    large = _measure(app, _pages(world))
    total = db.session.scalar(db.select(db.func.count(Reflection.id)))
    print(f"\nqueries per page (3 reflections -> {total} reflections of 11 trainees):")
    for name in small:
        print(f"  {name:<16} {small[name]:>3} -> {large[name]:>3}")
    assert large == small
    # Home pages also carry other features' blocks; ours costs one query there.
    assert max(count for name, count in large.items() if "home" not in name) <= 15

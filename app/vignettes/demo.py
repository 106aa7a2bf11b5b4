"""Demo data of the vignettes feature, loaded by ``flask demo`` after people and enrolments exist.

Reflections are written, submitted and reviewed through the same services the pages
use (so the demo answers pass the privacy guard too), then their timestamps are
moved into the past so the demo reads like months of work. Running it twice changes
nothing: a trainee who already has a reflection on a vignette is left alone.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml
from sqlalchemy import select, update

from app.database import utcnow
from app.extensions import db
from app.vignettes import review, services, triggers
from app.vignettes.models import Decision, Reflection, ReflectionFeedback

DATA_FILE = Path(__file__).with_name("demo_reflections.yaml")

# trainee -> (vignette slug, what happens, days ago it was submitted or saved, reviewer)
PLAN: dict[str, list[tuple[str, str, int, str | None]]] = {
    "trainee@demo.test": [
        ("the-tablets-in-the-tin", "accepted", 320, "supervisor@demo.test"),
        ("the-man-with-the-list", "accepted", 250, "supervisor@demo.test"),
        ("the-night-she-called-for-her-mother", "accepted", 170, "supervisor@demo.test"),
        ("a-typical-presentation", "accepted", 90, "supervisor@demo.test"),
        ("the-father-in-the-van", "revision", 21, "supervisor@demo.test"),
        ("the-note-in-the-exercise-book", "submitted", 4, None),
        ("the-rails-he-took-down", "draft", 1, None),
        ("what-the-interpreter-left-out", "submitted", 2, None),
    ],
    "trainee2@demo.test": [("the-tablets-in-the-tin", "draft", 6, None)],
    "trainee3@demo.test": [
        ("the-old-dog-in-the-wheelbarrow", "accepted", 150, "supervisor2@demo.test"),
        ("what-the-children-are-not-told", "accepted", 60, "supervisor2@demo.test"),
        ("a-doctor-from-here", "accepted", 30, "supervisor2@demo.test"),
        ("the-missed-injections", "submitted", 3, None),
    ],
    "trainee4@demo.test": [
        ("the-rails-he-took-down", "accepted", 500, "supervisor@demo.test"),
        ("the-birth-plan", "accepted", 420, "supervisor2@demo.test"),
        ("the-box-of-pastries", "accepted", 330, "supervisor@demo.test"),
        ("the-man-who-left-before-morning", "accepted", 240, "supervisor2@demo.test"),
        ("the-sessions-he-pays-for", "accepted", 150, "supervisor@demo.test"),
    ],
}


def load(users: dict, associations: dict) -> None:
    """``users`` maps demo e-mail to User, ``associations`` maps slug to Association."""
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    answers = {**data["answers"], **data["more_answers"], **data["newer_answers"]}
    association_id = associations["demo"].id
    for email, items in PLAN.items():
        trainee = users[email]
        for slug, outcome, days_ago, reviewer_email in items:
            started = db.session.scalar(
                select(Reflection.id).where(
                    Reflection.trainee_id == trainee.id, Reflection.vignette_slug == slug
                )
            )
            if started:
                continue
            if outcome == "draft":
                draft = services.save_draft(trainee, association_id, slug, data["drafts"][email][slug])
                _backdate(draft, days_ago)
                continue
            reflection = services.submit_reflection(trainee, association_id, slug, answers[slug])
            if outcome == "submitted":
                _backdate(reflection, days_ago)
                continue
            reviewer = users[reviewer_email]
            if outcome == "accepted":
                review.review_reflection(
                    reviewer,
                    association_id,
                    reflection.id,
                    decision=Decision.ACCEPTED.value,
                    overall_comment=data["feedback"][slug],
                    exercise_comments=data["comments"].get(slug, {}),
                )
                _backdate(reflection, days_ago)
            else:
                request = data["revision_request"][slug]
                review.review_reflection(
                    reviewer,
                    association_id,
                    reflection.id,
                    decision=Decision.REVISION_REQUESTED.value,
                    overall_comment=request["overall"],
                    exercise_comments=request["comments"],
                )
                _backdate(reflection, days_ago)
                revised = {**answers[slug], **data["answers_revised"][slug]}
                draft = services.save_draft(trainee, association_id, slug, revised)
                _backdate(draft, days_ago - 10)
    db.session.flush()


def _backdate(reflection: Reflection, days_ago: int) -> None:
    """Move a reflection's timestamps into the past.

    A bulk UPDATE, deliberately: decided reflections and feedback refuse changes through
    the ORM, and these rows were created a moment ago only to be dated for the demo. The
    database refuses them too (``app.vignettes.triggers``), so the demo lifts that guard
    for these two statements, inside the demo's transaction (demo rows only, never a real one).
    """
    db.session.flush()
    with triggers.suspended(db.session.connection()):
        _backdate_rows(reflection, days_ago)
    db.session.expire(reflection)


def _backdate_rows(reflection: Reflection, days_ago: int) -> None:
    at = utcnow() - timedelta(days=days_ago)
    values: dict = {"created_at": at - timedelta(days=2), "updated_at": at}
    if reflection.submitted_at is not None:
        values["submitted_at"] = at
    if reflection.reviewed_at is not None:
        values["reviewed_at"] = at + timedelta(days=3)
        db.session.execute(
            update(ReflectionFeedback)
            .where(ReflectionFeedback.reflection_id == reflection.id)
            .values(created_at=at + timedelta(days=3))
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        update(Reflection)
        .where(Reflection.id == reflection.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )

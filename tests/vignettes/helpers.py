"""Answers, reflections in each state, and a query counter for the vignettes tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db
from app.vignettes import review, services
from app.vignettes.answers import field_name
from app.vignettes.content import library
from app.vignettes.models import Reflection
from app.vignettes.schema import DIMENSION_KEYS

SLUG = "the-tablets-in-the-tin"
IDENTIFYING = "I kept thinking about Mrs Jenkins and her son."


def complete_answers(slug: str = SLUG, text: str = "The son seems frightened for his mother") -> dict:
    """An answer to every exercise of the vignette, ready to submit."""
    answers: dict = {}
    for exercise in library().get(slug).exercises:
        entry: dict = {"text": f"{text} ({exercise.id})."}
        if exercise.kind == "rate-dimensions":
            entry["ratings"] = dict.fromkeys(DIMENSION_KEYS, -1)
        if exercise.kind == "choose-intervention":
            entry["choice"] = exercise.options[0].id
        if exercise.kind == "reader-response":
            entry["feeling"] = "Uneasy, and then protective."
            entry["sided_with"] = exercise.people[0].id
        if exercise.kind == "colleague-test":
            entry["marked"] = [exercise.details[0].id]
        answers[exercise.id] = entry
    return answers


def form_data(answers: dict) -> dict[str, object]:
    """The same answers as the vignette page's form posts them."""
    data: dict[str, object] = {}
    for exercise_id, entry in answers.items():
        data[field_name(exercise_id, "text")] = entry.get("text", "")
        for key, value in (entry.get("ratings") or {}).items():
            data[field_name(exercise_id, key)] = str(value)
        if entry.get("choice"):
            data[field_name(exercise_id, "choice")] = entry["choice"]
        if entry.get("feeling"):
            data[field_name(exercise_id, "feeling")] = entry["feeling"]
        if entry.get("sided_with"):
            data[field_name(exercise_id, "sided_with")] = entry["sided_with"]
        if entry.get("marked"):
            data[field_name(exercise_id, "marked")] = list(entry["marked"])
    return data


def submitted(world, slug: str = SLUG, trainee=None) -> Reflection:
    trainee = trainee or world.trainee
    reflection = services.submit_reflection(trainee, world.association.id, slug, complete_answers(slug))
    db.session.commit()
    return reflection


def decided(
    world, decision: str, slug: str = SLUG, comment: str = "Please look again at the mother."
) -> Reflection:
    reflection = submitted(world, slug)
    review.review_reflection(
        world.supervisor,
        world.association.id,
        reflection.id,
        decision=decision,
        overall_comment=comment,
        exercise_comments={},
    )
    db.session.commit()
    return reflection


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect every SQL statement the engine runs inside the block."""
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before_cursor_execute)

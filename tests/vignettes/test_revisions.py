"""Reviewing a revised reflection: what changed since the commented version, word by word,
beside the supervisor's earlier comment on each exercise."""

from __future__ import annotations

from app.extensions import db
from app.vignettes import review, services
from app.vignettes.content import library
from app.vignettes.revisions import Piece, changes_since_feedback, word_diff
from tests.vignettes.helpers import SLUG, complete_answers


def test_word_diff_marks_added_and_removed_words():
    pieces = word_diff("The son seems frightened.", "The son seems angry and frightened.")
    assert pieces == [
        Piece("equal", "The son seems "),
        Piece("insert", "angry and "),
        Piece("equal", "frightened."),
    ]
    assert word_diff("a b c", "a c") == [Piece("equal", "a "), Piece("delete", "b "), Piece("equal", "c")]
    assert word_diff("same", "same") == [Piece("equal", "same")]


def revised(world):
    """Version 1 commented on and sent back; version 2 changed in its first exercise, submitted."""
    first, second = (exercise.id for exercise in library().get(SLUG).exercises[:2])
    v1 = services.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers())
    db.session.commit()
    review.review_reflection(
        world.supervisor,
        world.association.id,
        v1.id,
        decision="revision_requested",
        overall_comment="Look again at the mother.",
        exercise_comments={first: "What might the son be afraid of?"},
    )
    db.session.commit()
    answers = complete_answers()
    answers[first]["text"] = f"The son seems frightened of losing his mother ({first})."
    v2 = services.submit_reflection(world.trainee, world.association.id, SLUG, answers)
    db.session.commit()
    return v1, v2, first, second


def test_changes_since_the_commented_version_per_exercise(world):
    v1, v2, first, second = revised(world)
    view = review.get_for_review(world.supervisor, world.association.id, v2.id)
    changes = changes_since_feedback(view.reflection, view.versions)
    assert changes.since.id == v1.id
    assert changes.exercises[first].comment == "What might the son be afraid of?"
    assert [p for p in changes.exercises[first].text if p.op != "equal"] == [
        Piece("delete", "for"),
        Piece("insert", "of losing"),
    ]
    assert changes.exercises[first].is_changed
    assert not changes.exercises[second].is_changed
    first_view = review.get_for_review(world.supervisor, world.association.id, v1.id)
    assert changes_since_feedback(first_view.reflection, first_view.versions) is None


def test_the_review_page_shows_the_diff_beside_the_earlier_comment(client, world):
    v1, v2, first, _second = revised(world)
    client.login("sup@x.test")
    html = client.get(f"/vignettes/review/{v2.id}").get_data(as_text=True)
    assert "Changes since version 1" in html
    assert "Your comment on version 1" in html
    assert "What might the son be afraid of?" in html
    assert '<ins class="vg-ins"><span class="visually-hidden">[added: </span>of losing<span' in html
    assert '<del class="vg-del"><span class="visually-hidden">[removed: </span>for<span' in html
    assert "Unchanged since version 1." in html
    assert "underlined" in html and "struck through" in html  # the key: not colour alone
    html_v1 = client.get(f"/vignettes/review/{v1.id}").get_data(as_text=True)
    assert "Changes since version" not in html_v1

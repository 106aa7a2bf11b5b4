"""The reader-response and colleague-test exercises, and the order of an intervention's options:
through the services, and through the pages with real forms and CSRF."""

from __future__ import annotations

import html
import re

import pytest

from app.errors import ValidationError
from app.extensions import db
from app.privacy.guard import PrivacyWarning
from app.vignettes import ordering, review, services
from app.vignettes.content import library
from app.vignettes.models import Reflection
from app.vignettes.schema import NO_ONE
from tests.vignettes.helpers import IDENTIFYING, complete_answers, form_data

READER = "a-doctor-from-here"  # has a reader-response exercise
COLLEAGUE = "what-the-interpreter-left-out"  # has a colleague-test exercise


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def choice_order(page: str, exercise_id: str) -> list[str]:
    """The option ids of one exercise's radio buttons, in the order the page lists them."""
    return re.findall(rf'name="{exercise_id}__choice"[^>]*value="([^"]+)"', page) or re.findall(
        rf'value="([^"]+)"[^>]*name="{exercise_id}__choice"', page
    )


# --- the order of the options ---------------------------------------------------------------


def test_every_exercise_puts_its_recommended_option_in_more_than_one_place(app):
    """A pure function of the seed, so this is the same on every run: over twenty enrolments,
    no exercise shows its recommended option in one fixed position."""
    for vignette in library().vignettes:
        for exercise in vignette.exercises:
            if exercise.kind != "choose-intervention":
                continue
            positions = {
                ordering.shuffled(exercise, ordering.seed_for(enrolment_id, vignette.slug)).index(
                    exercise.recommended
                )
                for enrolment_id in range(1, 21)
            }
            assert len(positions) > 1, (vignette.slug, exercise.id)
            assert ordering.shuffled(exercise, "1:x") == ordering.shuffled(exercise, "1:x")


def test_the_first_draft_records_the_order_the_page_showed(client, world):
    slug = "the-man-with-the-list"
    client.login("trainee@x.test")
    shown = choice_order(text_of(client.get(f"/vignettes/{slug}")), "intervention")
    assert sorted(shown) == sorted(
        option.id for option in library().get(slug).exercise("intervention").options
    )
    response = client.submit(f"/vignettes/{slug}", {"save": "Save draft"})
    assert response.status_code == 302
    reflection = db.session.scalars(db.select(Reflection).filter_by(vignette_slug=slug)).one()
    assert reflection.option_order["intervention"] == shown
    # and the page keeps showing that order once it is recorded
    assert choice_order(text_of(client.get(f"/vignettes/{slug}")), "intervention") == shown


def test_a_revision_keeps_the_order_and_review_shows_it_as_the_trainee_saw_it(client, world):
    slug = "the-man-with-the-list"
    exercise = library().get(slug).exercise("intervention")
    file_order = [option.id for option in exercise.options]
    draft = services.save_draft(world.trainee, world.association.id, slug, {})
    # Whatever the seed drew, record the file's order reversed, so the check below can
    # only pass if the pages follow the record rather than the file.
    draft.option_order = {"intervention": file_order[::-1]}
    db.session.commit()
    answers = complete_answers(slug)
    answers["intervention"]["choice"] = file_order[-1]
    reflection = services.submit_reflection(world.trainee, world.association.id, slug, answers)
    db.session.commit()

    client.login("sup@x.test")
    page = text_of(client.get(f"/vignettes/review/{reflection.id}"))
    seen = re.search(r'<ol class="vg-options-seen">(.*?)</ol>', page, re.S).group(1)
    texts = [option.text for option in exercise.options]
    positions = [seen.index(text) for text in texts]
    assert positions == sorted(positions, reverse=True)  # the file's last option came first
    assert re.search(r'class="vg-chosen">' + re.escape(texts[-1]), seen)

    review.review_reflection(
        world.supervisor,
        world.association.id,
        reflection.id,
        decision="revision_requested",
        overall_comment="Look again.",
        exercise_comments={},
    )
    db.session.commit()
    newer = db.session.scalars(db.select(Reflection).filter_by(vignette_slug=slug, version=2)).one()
    assert newer.option_order == {"intervention": file_order[::-1]}


def test_options_the_file_adds_later_come_last_and_removed_ones_go(app):
    exercise = library().get("the-man-with-the-list").exercise("intervention")
    ids = [option.id for option in exercise.options]
    recorded = [ids[2], "an-option-since-removed", ids[0]]
    shown = [option.id for option in ordering.ordered_options(exercise, recorded)]
    assert shown == [ids[2], ids[0]] + [i for i in ids if i not in (ids[0], ids[2])]


# --- reader response ------------------------------------------------------------------------


def test_reader_response_needs_a_feeling_and_a_side_before_submitting(world):
    answers = complete_answers(READER)
    answers["reader-response"] = {"text": "Why I sided so."}
    with pytest.raises(ValidationError) as refused:
        services.submit_reflection(world.trainee, world.association.id, READER, answers)
    assert {"reader-response__feeling", "reader-response__sided_with"} <= set(refused.value.fields)


def test_reader_response_takes_a_person_or_no_one_and_refuses_anyone_else(world):
    answers = complete_answers(READER)
    answers["reader-response"]["sided_with"] = "the-cat"
    with pytest.raises(ValidationError) as refused:
        services.save_draft(world.trainee, world.association.id, READER, answers)
    assert "reader-response__sided_with" in refused.value.fields
    answers["reader-response"]["sided_with"] = NO_ONE
    reflection = services.submit_reflection(world.trainee, world.association.id, READER, answers)
    assert reflection.answer("reader-response")["sided_with"] == NO_ONE
    assert library().get(READER).exercise("reader-response").side(NO_ONE).startswith("No one")


def test_the_feeling_goes_through_the_privacy_guard(world):
    answers = complete_answers(READER)
    answers["reader-response"]["feeling"] = IDENTIFYING
    with pytest.raises(PrivacyWarning) as warned:
        services.save_draft(world.trainee, world.association.id, READER, answers)
    assert "reader-response__feeling" in warned.value.fields


def test_reader_response_through_the_page_and_in_the_supervisors_review(client, world):
    client.login("trainee@x.test")
    page = f"/vignettes/{READER}"
    form = text_of(client.get(page))
    assert 'name="reader-response__feeling"' in form
    assert f'value="{NO_ONE}"' in form and "the nurse in charge" in form
    answers = complete_answers(READER)
    answers["reader-response"] = {
        "feeling": "Angry for her, then uneasy.",
        "sided_with": "nurse",
        "text": "The nurse tried to protect her.",
    }
    response = client.submit(
        page, {**form_data(answers), "submit": "Submit for review", "confirm_final": "y"}
    )
    assert response.status_code == 302
    reflection = db.session.scalars(db.select(Reflection).filter_by(vignette_slug=READER)).one()
    assert reflection.answer("reader-response")["feeling"] == "Angry for her, then uneasy."

    client.logout()
    client.login("sup@x.test")
    shown = text_of(client.get(f"/vignettes/review/{reflection.id}"))
    assert "Felt while reading" in shown and "Angry for her, then uneasy." in shown
    assert re.search(r"Sided with</dt>\s*<dd>the nurse in charge</dd>", shown)


# --- the colleague test -----------------------------------------------------------------------


def test_marks_are_kept_in_the_passages_order_and_unknown_ones_are_refused(world):
    exercise = library().get(COLLEAGUE).exercise("colleague-test")
    ids = [detail.id for detail in exercise.details]
    answers = complete_answers(COLLEAGUE)
    answers["colleague-test"]["marked"] = [ids[3], ids[1], ids[3]]
    draft = services.save_draft(world.trainee, world.association.id, COLLEAGUE, answers)
    assert draft.answer("colleague-test")["marked"] == [ids[1], ids[3]]
    answers["colleague-test"]["marked"] = [ids[0], "the-postcode"]
    with pytest.raises(ValidationError) as refused:
        services.save_draft(world.trainee, world.association.id, COLLEAGUE, answers)
    assert "colleague-test__marked" in refused.value.fields


def test_nothing_marked_cannot_be_submitted(world):
    answers = complete_answers(COLLEAGUE)
    answers["colleague-test"]["marked"] = []
    with pytest.raises(ValidationError) as refused:
        services.submit_reflection(world.trainee, world.association.id, COLLEAGUE, answers)
    assert "colleague-test__marked" in refused.value.fields


def test_the_marks_are_compared_with_the_identifying_details(app):
    exercise = library().get(COLLEAGUE).exercise("colleague-test")
    identifying = [d.id for d in exercise.details if d.is_identifying]
    harmless = [d.id for d in exercise.details if not d.is_identifying]
    result = exercise.colleague_test([identifying[0], harmless[0]])
    assert [d.id for d in result.found] == [identifying[0]]
    assert [d.id for d in result.missed] == identifying[1:]
    assert [d.id for d in result.over_marked] == [harmless[0]]
    assert result.identifying_total == len(identifying)


def test_colleague_test_through_the_page_with_feedback_after_submitting(client, world):
    exercise = library().get(COLLEAGUE).exercise("colleague-test")
    identifying = [d for d in exercise.details if d.is_identifying]
    harmless = [d for d in exercise.details if not d.is_identifying]
    client.login("trainee@x.test")
    page = f"/vignettes/{COLLEAGUE}"
    form = text_of(client.get(page))
    assert 'class="vg-passage"' in form and 'type="checkbox"' in form
    assert exercise.details[1].note not in form  # the notes wait until after submitting
    answers = complete_answers(COLLEAGUE)
    answers["colleague-test"]["marked"] = [identifying[0].id, harmless[0].id]
    response = client.submit(
        page, {**form_data(answers), "submit": "Submit for review", "confirm_final": "y"}
    )
    assert response.status_code == 302
    after = text_of(client.get(response.headers["Location"]))
    expected = f"Found 1 of {len(identifying)} identifying details; 1 marked that would not identify."
    assert expected in after
    assert identifying[1].note in after  # the note on a missed detail opens after submitting

    reflection = db.session.scalars(db.select(Reflection).filter_by(vignette_slug=COLLEAGUE)).one()
    client.logout()
    client.login("sup@x.test")
    shown = text_of(client.get(f"/vignettes/review/{reflection.id}"))
    assert expected in shown and "missed: identifying" in shown and "would not identify" in shown


def test_a_forged_mark_on_the_page_is_refused_with_a_form_error(client, world):
    client.login("trainee@x.test")
    answers = complete_answers(COLLEAGUE)
    answers["colleague-test"]["marked"] = ["not-in-the-passage"]
    response = client.submit(f"/vignettes/{COLLEAGUE}", {**form_data(answers), "save": "Save draft"})
    assert response.status_code == 200
    assert "Mark only details from the passage." in text_of(response)
    assert db.session.scalars(db.select(Reflection).filter_by(vignette_slug=COLLEAGUE)).first() is None

"""Options are shuffled per attempt: recorded when the attempt opens, the same on every
reload, different in the next attempt, and shown in that order on the review page, even
after the content was edited. The shuffle is seeded by the app's secret and the attempt
id, so these tests see the same orders on every run."""

from __future__ import annotations

import html as html_lib
import re

from app.content.curriculum import clear_cache, get_curriculum
from app.extensions import db
from app.learning import quizzes
from app.learning.models import QuizKind
from tests.learning.helpers import answers
from tests.learning.test_views import attempt_url, form_data, latest_attempt

LESSON = "the-balint-group"


def recorded_order(attempt) -> dict[str, list[int]]:
    return {qid: [item["index"] for item in shown] for qid, shown in attempt.presented_options.items()}


def choice_questions(lesson_slug: str):
    return [q for q in get_curriculum().lesson(lesson_slug).questions if q.kind != "classify"]


def shown_values(page: str) -> list[tuple[str, str]]:
    """(field, value) of each choice input, in page order."""
    found = []
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="(q\d+)"', tag)
        value = re.search(r'value="(\d+)"', tag)
        if name and value and 'type="hidden"' not in tag:
            found.append((name.group(1), value.group(1)))
    return found


def option_texts(page: str) -> list[str]:
    return [
        html_lib.unescape(text) for text in re.findall(r'<span class="lr-option-text">(.*?)</span>', page)
    ]


# --- services ----------------------------------------------------------------------------------


def test_a_new_attempt_records_a_shuffled_order_for_every_choice_question(app, world):
    attempt = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.LESSON, LESSON)
    questions = {q.id: q for q in choice_questions(LESSON)}
    assert set(attempt.presented_options) == set(questions)
    for qid, shown in attempt.presented_options.items():
        question = questions[qid]
        assert sorted(item["index"] for item in shown) == list(range(len(question.options)))
        for item in shown:
            option = question.options[item["index"]]
            assert (item["text"], item["correct"]) == (option.text, option.is_correct)
    # The files list the correct option first; shuffled, it is not always on top.
    assert any(order != sorted(order) for order in recorded_order(attempt).values())
    assert any(shown[0]["correct"] is not True for shown in attempt.presented_options.values())


def test_the_order_is_stable_while_open_and_differs_in_the_next_attempt(app, world):
    first = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.LESSON, LESSON)
    db.session.commit()
    order = recorded_order(first)
    again = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.LESSON, LESSON)
    assert again.id == first.id and recorded_order(again) == order

    quizzes.submit_attempt(world.trainee, world.association.id, first.id, answers(first.question_ids))
    db.session.commit()
    assert recorded_order(first) == order  # kept with the submitted attempt
    second = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.LESSON, LESSON)
    assert second.id != first.id
    assert recorded_order(second).keys() == order.keys()
    assert any(recorded_order(second)[qid] != order[qid] for qid in order)


def test_an_option_edited_under_an_open_attempt_is_shuffled_again_the_rest_kept(
    app, world, editable_curriculum
):
    attempt = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.LESSON, LESSON)
    db.session.commit()
    before = recorded_order(attempt)
    path = editable_curriculum / "questions/02-the-balint-group.yaml"
    path.write_text(path.read_text().replace('"The Basic Fault"', '"The Basic Fault (1968)"'))
    clear_cache()
    again = quizzes.start_attempt(world.trainee, world.association.id, QuizKind.LESSON, LESSON)
    texts = [item["text"] for item in again.presented_options["bg-book"]]
    assert "The Basic Fault (1968)" in texts and "The Basic Fault" not in texts
    assert {qid: o for qid, o in recorded_order(again).items() if qid != "bg-book"} == {
        qid: o for qid, o in before.items() if qid != "bg-book"
    }


# --- pages ---------------------------------------------------------------------------------------


def test_the_quiz_page_shows_the_recorded_order_on_every_reload(app, world, client):
    client.login("trainee@x.test")
    url = attempt_url(
        client.submit(f"/learning/lessons/{LESSON}", {}, action=f"/learning/lessons/{LESSON}/check")
    )
    attempt = latest_attempt()
    expected = [
        (f"q{number}", str(index))
        for number, qid in enumerate(attempt.question_ids, start=1)
        for index in recorded_order(attempt).get(qid, [])
    ]
    assert shown_values(client.get(url).get_data(as_text=True)) == expected
    assert shown_values(client.get(url).get_data(as_text=True)) == expected


def test_review_shows_the_options_as_the_trainee_saw_them_even_after_an_edit(
    app, world, client, editable_curriculum
):
    client.login("trainee@x.test")
    url = attempt_url(
        client.submit(f"/learning/lessons/{LESSON}", {}, action=f"/learning/lessons/{LESSON}/check")
    )
    attempt = latest_attempt()
    assert client.submit(url, form_data(attempt)).status_code == 302
    attempt = latest_attempt()
    seen = [item["text"] for qid in attempt.question_ids for item in attempt.presented_options.get(qid, [])]
    assert option_texts(client.get(url).get_data(as_text=True)) == seen

    path = editable_curriculum / "questions/02-the-balint-group.yaml"
    path.write_text(path.read_text().replace('"The Basic Fault"', '"The Basic Fault (1968)"'))
    clear_cache()
    review = client.get(url).get_data(as_text=True)
    assert option_texts(review) == seen  # the wording the trainee answered, in their order
    assert "the options are shown as you saw them" in review

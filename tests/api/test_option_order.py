"""The API shows an attempt's options in the order recorded for it, with the index to
answer each one by; answering by those indexes scores as the page does."""

from __future__ import annotations

from app.content.curriculum import get_curriculum
from app.extensions import db
from app.learning.models import QuizAttempt


def test_the_api_lists_options_in_the_recorded_order_and_scores_by_their_indexes(app, world, api):
    response = api.post("/attempts", {"kind": "lesson", "lesson_slug": "the-balint-group"}, as_="trainee")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    attempt = db.session.get(QuizAttempt, body["id"])
    questions = get_curriculum().questions_by_id
    answers = {}
    for shown in body["questions"]:
        recorded = attempt.presented_options.get(shown["id"], [])
        assert shown["options"] == [item["text"] for item in recorded]
        assert shown["option_indexes"] == [item["index"] for item in recorded]
        question = questions[shown["id"]]
        if shown["kind"] == "classify":
            answers[shown["id"]] = dict(zip(("dimension", "pole"), question.answer, strict=True))
        else:  # pick the shown options whose text is a correct one, by the index given with it
            right = {o.text for o in question.options if o.is_correct}
            answers[shown["id"]] = {
                "options": [
                    i
                    for i, text in zip(shown["option_indexes"], shown["options"], strict=True)
                    if text in right
                ]
            }
    assert api.get(f"/attempts/{body['id']}", as_="trainee").get_json()["questions"] == body["questions"]
    scored = api.post(f"/attempts/{body['id']}/answers", {"answers": answers}, as_="trainee").get_json()
    assert scored["score_percent"] == 100

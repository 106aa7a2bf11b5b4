"""The API and the new vignette exercises: details without the answer key, marks and sides
stored, and the options in the order recorded for the caller."""

from __future__ import annotations

from app.vignettes.content import library

COLLEAGUE = "what-the-interpreter-left-out"
READER = "a-doctor-from-here"


def test_a_colleague_test_is_served_without_the_answer_key_and_marks_are_stored(api, world):
    vignette = api.get(f"/vignettes/{COLLEAGUE}", as_="trainee").get_json()
    exercise = next(item for item in vignette["exercises"] if item["kind"] == "colleague-test")
    assert exercise["passage"] and len(exercise["details"]) >= 3
    assert set(exercise["details"][0]) == {"id", "text"}  # which ones identify is not given away
    ids = [detail["id"] for detail in exercise["details"]]
    body = {"answers": {exercise["id"]: {"text": "Drop the job.", "marked": [ids[2], ids[1]]}}}
    saved = api.send("PUT", f"/vignettes/{COLLEAGUE}/draft", body, as_="trainee")
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["answers"][exercise["id"]]["marked"] == [ids[1], ids[2]]
    body["answers"][exercise["id"]]["marked"] = ["no-such-detail"]
    refused = api.send("PUT", f"/vignettes/{COLLEAGUE}/draft", body, as_="trainee")
    assert refused.status_code == 422
    assert "colleague-test__marked" in str(refused.get_json())


def test_options_come_in_the_recorded_order_and_the_reflection_says_which(api, world):
    vignette = api.get(f"/vignettes/{READER}", as_="trainee").get_json()
    served = next(item for item in vignette["exercises"] if item["kind"] == "choose-intervention")
    reading = next(item for item in vignette["exercises"] if item["kind"] == "reader-response")
    assert {person["id"] for person in reading["people"]} >= {"presenter", "son"}
    body = {"answers": {reading["id"]: {"feeling": "Angry.", "sided_with": "son", "text": "Why."}}}
    saved = api.send("PUT", f"/vignettes/{READER}/draft", body, as_="trainee").get_json()
    assert saved["answers"][reading["id"]]["sided_with"] == "son"
    assert saved["option_order"][served["id"]] == [option["id"] for option in served["options"]]
    file_ids = {option.id for option in library().get(READER).exercise(served["id"]).options}
    assert set(saved["option_order"][served["id"]]) == file_ids

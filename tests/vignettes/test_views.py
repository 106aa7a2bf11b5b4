"""The vignette pages: drafts that survive refusals, the privacy warning, reviewing, expired forms."""

from __future__ import annotations

import html
import json

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.vignettes import services
from app.vignettes.models import Reflection
from tests.helpers import csrf_token_in
from tests.vignettes.helpers import IDENTIFYING, SLUG, complete_answers, decided, form_data, submitted

PAGE = f"/vignettes/{SLUG}"


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_library_shows_each_vignette_with_the_trainees_status(client, world):
    submitted(world)
    client.login("trainee@x.test")
    page = text_of(client.get("/vignettes/"))
    assert "The tablets in the tin" in page
    assert "Pharmacist" in page
    assert "Waiting for review" in page
    assert page.count("Not started") == 19


def test_a_trainee_sees_the_form_and_no_guidance_before_submitting(client, world):
    client.login("trainee@x.test")
    page = text_of(client.get(PAGE))
    assert 'name="questions__text"' in page
    assert 'name="dimensions__self-other"' in page
    assert "strongly self-focused" in page
    assert "What experienced leaders notice" not in page


def test_a_supervisor_reads_the_case_with_its_guidance_but_gets_no_form(client, world):
    client.login("sup@x.test")
    page = text_of(client.get(PAGE))
    assert "What experienced leaders notice" in page
    assert 'name="questions__text"' not in page
    assert client.submit(PAGE, {"save": "Save draft"}, action=PAGE).status_code == 403


def test_saving_a_draft_keeps_the_answers_for_next_time(client, world):
    client.login("trainee@x.test")
    data = form_data(
        {
            "questions": {"text": "Who lives at home with the boy?"},
            "dimensions": {"ratings": {"self-other": -1}},
        }
    )
    response = client.submit(PAGE, {**data, "save": "Save draft"})
    assert response.status_code == 302
    page = text_of(client.get(PAGE))
    assert "Draft saved." in page
    assert "Who lives at home with the boy?" in page
    assert '<input checked id="dimensions__self-other-1" name="dimensions__self-other"' in page
    draft = db.session.scalar(select(Reflection))
    assert draft.answer("dimensions")["ratings"] == {"self-other": -1}


def test_a_privacy_finding_keeps_everything_typed_and_offers_the_override(client, world):
    client.login("trainee@x.test")
    data = form_data(complete_answers())
    data["questions__text"] = IDENTIFYING
    response = client.submit(PAGE, {**data, "submit": "Submit for review", "confirm_final": "y"})
    page = text_of(response)
    assert response.status_code == 200
    assert IDENTIFYING in page
    assert "The son seems frightened for his mother (image)." in page
    assert "Check for identifying details" in page
    assert "this looks like a personal name" in page
    assert 'name="privacy_confirmed"' in page
    assert db.session.scalar(select(Reflection.id)) is None

    confirmed = client.submit(
        PAGE, {**data, "submit": "Submit for review", "confirm_final": "y", "privacy_confirmed": "y"}
    )
    assert confirmed.status_code == 302
    reflection = db.session.scalar(select(Reflection))
    assert reflection.status == "submitted"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.override"))
    assert event.details == {"kinds": {"questions__text": ["person-name"]}}
    assert "Jenkins" not in json.dumps(event.details)


def test_an_invalid_rating_is_refused_beside_the_field_with_the_text_kept(client, world):
    client.login("trainee@x.test")
    data = {**form_data(complete_answers()), "dimensions__self-other": "7"}
    page = text_of(client.submit(PAGE, {**data, "submit": "Submit for review", "confirm_final": "y"}))
    assert 'id="dimensions__self-other-error"' in page
    assert "Choose a rating from -2 to 2." in page
    assert "The son seems frightened for his mother (questions)." in page
    assert db.session.scalar(select(Reflection.id)) is None


def test_an_incomplete_submission_keeps_the_answers_and_says_what_is_missing(client, world):
    client.login("trainee@x.test")
    data = form_data(complete_answers())
    data["image__text"] = ""
    del data["intervention__choice"]
    page = text_of(client.submit(PAGE, {**data, "submit": "Submit for review", "confirm_final": "y"}))
    assert "Please write an answer before submitting." in page
    assert "Choose an option before submitting." in page
    assert "The son seems frightened for his mother (dimensions)." in page
    assert db.session.scalar(select(Reflection.id)) is None


def test_submitting_opens_the_guidance_and_the_rating_chart(client, world):
    client.login("trainee@x.test")
    response = client.submit(
        PAGE, {**form_data(complete_answers()), "submit": "Submit for review", "confirm_final": "y"}
    )
    reflection = db.session.scalar(select(Reflection))
    assert response.headers["Location"].endswith(f"/vignettes/reflections/{reflection.id}")
    page = text_of(client.get(response.headers["Location"]))
    assert "What experienced leaders notice" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="vg-rating-chart"' in page
    assert "Your ratings beside those of experienced leaders" in page
    assert " style=" not in page


def test_submitting_twice_is_refused_with_a_message(client, world):
    submitted(world)
    client.login("trainee@x.test")
    token = csrf_token_in(client.get("/vignettes/").get_data(as_text=True))
    data = {
        "csrf_token": token,
        **form_data(complete_answers()),
        "submit": "Submit for review",
        "confirm_final": "y",
    }
    response = client.post(PAGE, data=data, follow_redirects=True)
    assert "waiting for your supervisor's review" in text_of(response)
    assert db.session.scalar(select(Reflection).where(Reflection.version == 2)) is None


def test_an_expired_form_says_nothing_was_saved_and_hands_back_the_text(client, world):
    client.login("trainee@x.test")
    response = client.post(PAGE, data={**form_data(complete_answers()), "save": "Save draft"})
    page = text_of(response)
    assert response.status_code == 400
    assert "Nothing was saved." in page
    assert "The son seems frightened for his mother (feelings-son)." in page
    assert db.session.scalar(select(Reflection.id)) is None


def test_the_supervisor_accepts_with_comments_from_the_review_page(client, world):
    reflection = submitted(world)
    client.login("sup@x.test")
    queue = text_of(client.get("/vignettes/review"))
    assert "Tomas Trainee: The tablets in the tin" in queue
    review_page = f"/vignettes/review/{reflection.id}"
    page = text_of(client.get(review_page))
    assert "The son seems frightened for his mother (image)." in page
    assert 'name="image__comment"' in page
    response = client.submit(
        review_page,
        {
            "overall_comment": "Well seen.",
            "image__comment": "Vivid.",
            "accept": "Accept",
            "confirm_final": "y",
        },
    )
    assert response.status_code == 302
    db.session.refresh(reflection)
    assert reflection.status == "accepted"
    assert reflection.feedback.exercise_comments == {"image": "Vivid."}
    assert "Nothing is waiting for your review." in text_of(client.get("/vignettes/review"))


def test_a_revision_request_without_a_comment_is_refused_beside_the_field(client, world):
    reflection = submitted(world)
    client.login("sup@x.test")
    page = text_of(client.submit(f"/vignettes/review/{reflection.id}", {"revise": "Request a revision"}))
    assert 'id="overall_comment-error"' in page
    assert db.session.get(Reflection, reflection.id).status == "submitted"


def test_the_trainee_reads_feedback_and_every_version(client, world):
    first = decided(world, "revision_requested", comment="Stay longer with the boy.")
    client.login("trainee@x.test")
    page = text_of(client.get(PAGE))
    assert "Feedback on version 1" in page
    assert "Stay longer with the boy." in page
    assert "The son seems frightened for his mother (questions)." in page  # the new draft copies the answers
    mine = text_of(client.get("/vignettes/reflections"))
    assert "Revising" in mine
    assert "Revision requested, with feedback" in mine
    old = text_of(client.get(f"/vignettes/reflections/{first.id}"))
    assert "A newer version exists." in old


def test_the_home_page_counts_reflections_for_trainee_and_supervisor(client, world):
    submitted(world)
    client.login("trainee@x.test")
    assert "waiting for review" in text_of(client.get("/home"))
    client.logout()
    client.login("sup@x.test")
    assert "1 reflection is waiting for your feedback." in text_of(client.get("/home"))


def test_the_admin_overview_counts_by_trainee(client, world):
    decided(world, "accepted")
    services.save_draft(world.trainee, world.association.id, "the-birth-plan", {})
    db.session.commit()
    client.login("admin@x.test")
    page = text_of(client.get("/vignettes/overview"))
    assert "<td>Tomas Trainee</td><td>1</td><td>0</td><td>1</td>" in page


def test_a_draft_reflection_page_keeps_the_guidance_closed(client, world):
    draft = services.save_draft(world.trainee, world.association.id, SLUG, complete_answers())
    db.session.commit()
    client.login("trainee@x.test")
    page = text_of(client.get(f"/vignettes/reflections/{draft.id}"))
    assert "Continue this draft" in page
    assert "What experienced leaders notice" not in page


def test_an_expired_review_form_hands_back_the_feedback(client, world):
    reflection = submitted(world)
    client.login("sup@x.test")
    response = client.post(
        f"/vignettes/review/{reflection.id}",
        data={
            "overall_comment": "A careful reflection.",
            "image__comment": "Vivid.",
            "accept": "Accept",
            "confirm_final": "y",
        },
    )
    page = text_of(response)
    assert response.status_code == 400
    assert "Nothing was saved." in page
    assert "A careful reflection." in page
    assert "Vivid." in page
    assert db.session.get(Reflection, reflection.id).status == "submitted"

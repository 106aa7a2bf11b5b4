"""The trainee's pages, the progress page and the briefing, through real requests."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from app.content.curriculum import clear_cache, get_curriculum
from app.extensions import db
from app.learning.models import QuizAttempt
from tests.learning.helpers import answer


def attempt_url(response) -> str:
    assert response.status_code == 302
    location = response.headers["Location"]
    assert re.search(r"/learning/attempts/\d+$", location), location
    return location


def form_data(attempt: QuizAttempt, *, right: bool = True, skip: int = 0) -> dict:
    """What a browser would post: field q<n> per question, leaving out the first ``skip``."""
    questions = get_curriculum().questions_by_id
    data = {}
    for number, qid in enumerate(attempt.question_ids, start=1):
        if number <= skip:
            continue
        given = answer(questions[qid], is_right=right)
        if given.dimension:
            data[f"q{number}"] = f"{given.dimension}:{given.pole}"
        else:
            data[f"q{number}"] = [str(index) for index in sorted(given.options)]
    return data


def without_token(html: str) -> str:
    """The page without its CSRF tokens, which carry a timestamp."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r"\1", html)


def latest_attempt() -> QuizAttempt:
    db.session.expire_all()
    return db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.id.desc())).first()


def test_the_overview_shows_progress_and_every_lesson(app, world, client):
    client.login("trainee@x.test")
    html = client.get("/learning/").get_data(as_text=True)
    total = len(get_curriculum().lessons)
    assert f"0 of {total} lessons completed" in html
    assert f'<progress id="module-progress" max="{total}" value="0">' in html
    for lesson in get_curriculum().lessons:
        assert f'href="/learning/lessons/{lesson.slug}"' in html
    assert "Not started" in html


def test_a_lesson_page_has_objectives_reading_time_summary_body_and_neighbours(app, world, client):
    client.login("trainee@x.test")
    lesson = get_curriculum().lesson("mentalization")
    html = client.get("/learning/lessons/mentalization").get_data(as_text=True)
    assert f"<h1>{lesson.title}</h1>" in html
    assert f"Lesson 4 of {len(get_curriculum().lessons)}" in html
    assert f"{lesson.reading_minutes} minutes read" in html
    assert lesson.objectives[0] in html
    assert "<h2>What mentalizing is</h2>" in html
    assert 'rel="prev" href="/learning/lessons/session-phase-by-phase"' in html
    assert 'rel="next" class="lr-next" href="/learning/lessons/four-dimensions"' in html
    assert " style=" not in html  # the CSP blocks inline styles


def test_the_time_course_lesson_shows_the_figure_as_accessible_svg(app, world, client):
    client.login("trainee@x.test")
    html = client.get("/learning/lessons/restoring-balance").get_data(as_text=True)
    assert "::figure" not in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'viewBox="0 0 400 ' in svg
    assert 'role="img"' in svg
    assert '<title id="figure-session-time-course-title">Mentalizing across one Balint session</title>' in svg
    assert '<desc id="figure-session-time-course-desc">An illustration, not measured data' in svg
    assert svg.count("<path") == 4  # one smoothed curve per dimension
    assert len(set(re.findall(r'stroke-dasharray="([^"]+)"', svg))) >= 3  # lines differ in print, too
    assert "▲ controlled</text>" in svg and "▼ affective</text>" in svg  # each panel names its poles
    assert "style=" not in svg
    assert "<image" not in svg


def test_marking_a_lesson_complete(app, world, client):
    client.login("trainee@x.test")
    response = client.submit(
        "/learning/lessons/mentalization", {}, action="/learning/lessons/mentalization/complete"
    )
    assert response.status_code == 302
    html = client.get("/learning/lessons/mentalization").get_data(as_text=True)
    assert "You completed this lesson on" in html
    total = len(get_curriculum().lessons)
    assert f"1 of {total} lessons completed" in client.get("/learning/").get_data(as_text=True)


def test_an_edited_lesson_shows_updated_but_still_counts(app, world, client, editable_curriculum):
    client.login("trainee@x.test")
    client.submit("/learning/lessons/mentalization", {}, action="/learning/lessons/mentalization/complete")
    path = editable_curriculum / "lessons/04-mentalization.md"
    path.write_text(path.read_text() + "\nOne more closing sentence.\n")
    clear_cache()
    overview = client.get("/learning/").get_data(as_text=True)
    assert f"1 of {len(get_curriculum().lessons)} lessons completed" in overview
    assert "Updated since you completed it" in overview
    lesson = client.get("/learning/lessons/mentalization").get_data(as_text=True)
    assert "Mark the new version as read" in lesson


def test_the_final_test_keeps_its_questions_and_answers_then_shows_feedback(app, world, client):
    client.login("trainee@x.test")
    url = attempt_url(client.submit("/learning/final", {}))
    first = client.get(url).get_data(as_text=True)
    assert first.count('<fieldset class="lr-question card') == get_curriculum().final_test_questions
    assert without_token(client.get(url).get_data(as_text=True)) == without_token(first)  # reload: same
    attempt = latest_attempt()
    drawn = list(attempt.question_ids)
    assert attempt_url(client.submit("/learning/final", {})) == url  # starting again continues it

    partial = client.submit(url, form_data(attempt, skip=1))
    assert partial.status_code == 200
    html = partial.get_data(as_text=True)
    assert "Please answer every question (1 left)." in html
    assert html.count("checked") >= len(drawn) - 1  # the answers given are kept
    assert latest_attempt().is_open

    done = client.submit(url, form_data(attempt))
    assert done.status_code == 302
    attempt = latest_attempt()
    assert attempt.question_ids == drawn
    assert attempt.score_percent == 100.0
    assert attempt.is_passed is True
    feedback = client.get(url).get_data(as_text=True)
    assert f"Your score: {len(drawn)} of {len(drawn)} (100%)" in feedback
    assert "Passed." in feedback
    question = get_curriculum().questions_by_id[drawn[0]]
    assert question.explanation.replace("'", "&#39;") in feedback


def test_a_failed_final_test_explains_when_the_next_attempt_opens(app, world, client):
    client.login("trainee@x.test")
    url = attempt_url(client.submit("/learning/final", {}))
    client.submit(url, form_data(latest_attempt(), right=False))
    assert "Not passed this time." in client.get(url).get_data(as_text=True)
    response = client.submit("/learning/final", {}, follow_redirects=True)
    assert "You can take it again from" in response.get_data(as_text=True)


def test_a_lesson_check_runs_from_the_lesson_page(app, world, client):
    client.login("trainee@x.test")
    url = attempt_url(
        client.submit("/learning/lessons/leaders-craft", {}, action="/learning/lessons/leaders-craft/check")
    )
    html = client.get(url).get_data(as_text=True)
    assert "Knowledge check: The leader&#39;s craft" in html
    client.submit(url, form_data(latest_attempt()))
    feedback = client.get(url).get_data(as_text=True)
    assert "Knowledge checks are for practice" in feedback


def test_classify_questions_offer_every_dimension_and_pole(app, world, client):
    client.login("trainee@x.test")
    url = attempt_url(
        client.submit(
            "/learning/lessons/four-dimensions", {}, action="/learning/lessons/four-dimensions/check"
        )
    )
    html = client.get(url).get_data(as_text=True)
    assert "<legend>Automatic – controlled</legend>" in html
    assert 'value="affective-cognitive:cognitive"' in html


def test_another_trainees_attempt_is_not_found(app, world, client):
    client.login("trainee@x.test")
    url = attempt_url(client.submit("/learning/final", {}))
    other = app.test_client()
    other.login("trainee2@x.test")
    assert other.get(url).status_code == 404


def test_the_progress_page_lists_a_supervisors_trainees(app, world, client):
    client.login("sup@x.test")
    html = client.get("/learning/progress").get_data(as_text=True)
    assert "Tomas Trainee" in html
    assert "Tilda Two" not in html
    assert f"0 of {len(get_curriculum().lessons)}" in html


def test_the_briefing_is_a_page_for_every_member(app, world, client):
    client.login("sup@x.test")
    html = client.get("/learning/briefing").get_data(as_text=True)
    assert "<h1>Before we begin</h1>" in html
    assert "<h2>Ground rules</h2>" in html
    assert 'href="/learning/briefing.pdf"' in html


def test_the_briefing_pdf_is_one_a4_page(app, world, client):
    client.login("trainee@x.test")
    response = client.get("/learning/briefing.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = reader.pages[0].extract_text()
    assert "Ground rules" in text
    assert "Confidentiality" in text


def test_broken_content_gives_a_clear_page_not_a_crash(app, world, client, editable_curriculum):
    path = editable_curriculum / "module.yaml"
    path.write_text(path.read_text().replace("pass_mark: 80", "pass_mark: 180"))
    clear_cache()
    client.login("trainee@x.test")
    response = client.get("/learning/")
    assert response.status_code == 503
    assert "flask content check" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 200  # the home page still works without the block

"""The pages, with CSRF on: apply, name the panel, recommend, decide; what the trainee sees."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.applications.models import AccreditationApplication
from app.extensions import db
from tests.applications.conftest import ready_application
from tests.helpers import csrf_token_in
from tests.logbook.fixtures import signed


def test_trainee_applies_with_the_form_and_downloads_the_portfolio(world, client):
    signed(world)
    client.login("trainee@x.test")
    response = client.submit(
        "/applications/new", {"enrolment_id": str(world.enrolment.id), "statement": "Ready, I believe."}
    )
    application = db.session.scalar(select(AccreditationApplication))
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/applications/{application.id}"
    )
    assert application.statement == "Ready, I believe." and application.was_ready is False
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Ready, I believe." in page and "Download the portfolio" in page
    pdf = client.get(f"/applications/{application.id}/portfolio.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    progress = client.get("/progress/").get_data(as_text=True)
    assert "Open: with the panel" in progress
    # a second application is refused while this one is open
    again = client.get("/applications/new").get_data(as_text=True)
    assert "You already have an open application" in again


def test_a_post_without_the_csrf_token_is_refused(world, client):
    client.login("trainee@x.test")
    response = client.post("/applications/new", data={"enrolment_id": str(world.enrolment.id)})
    assert response.status_code == 400
    assert db.session.scalar(select(AccreditationApplication)) is None


def _post(client, url: str, page: str, data: dict):
    token = csrf_token_in(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_the_panel_reviews_and_the_chair_defers_with_actions_shown_on_the_progress_page(world, client):
    application = ready_application(world)
    page = f"/applications/{application.id}"
    client.login("admin@x.test")
    for person in (world.admin, world.supervisor):
        assert _post(client, f"{page}/panel", page, {"user_id": str(person.id)}).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Sven Supervisor" in html and "review pending" in html
    reply = _post(client, f"{page}/review", page, {"recommendation": "defer", "reasons": "One more report."})
    assert reply.status_code == 302
    client.logout()
    client.login("sup@x.test")
    reply = _post(
        client, f"{page}/review", page, {"recommendation": "defer", "reasons": "Needs supervision."}
    )
    assert reply.status_code == 302
    client.logout()
    client.login("admin@x.test")
    # the deferral without actions: the form again, with the messages beside the fields
    # without the final tick: the form again with what was typed, nothing decided
    reply = _post(client, f"{page}/decision", page, {"decision": "defer", "reasons": "Not yet ready, sadly."})
    assert reply.status_code == 422 and "Tick the box to confirm" in reply.get_data(as_text=True)
    assert "Not yet ready, sadly." in reply.get_data(as_text=True)
    db.session.refresh(application)
    assert application.decided_by_id is None
    reply = _post(
        client,
        f"{page}/decision",
        page,
        {"decision": "defer", "reasons": "Not yet ready.", "confirm_final": "y"},
    )
    assert reply.status_code == 422 and "Give a date after today." in reply.get_data(as_text=True)
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    reply = _post(
        client,
        f"{page}/decision",
        page,
        {
            "decision": "defer",
            "reasons": "Not yet ready.",
            "actions": "Two more supervised sessions.",
            "deferred_until": later,
            "confirm_final": "y",
        },
    )
    assert reply.status_code == 302
    db.session.refresh(application)
    assert application.status == "deferred" and application.decided_by_id == world.admin.id
    client.logout()
    client.login("trainee@x.test")
    progress = client.get("/progress/").get_data(as_text=True)
    assert "Deferred" in progress and "Two more supervised sessions." in progress
    mine = client.get(page).get_data(as_text=True)
    assert "Not yet ready." in mine and "One more report." not in mine  # recommendations stay with the panel


def test_a_supervisor_not_on_the_panel_cannot_recommend(world, client):
    application = ready_application(world)
    client.login("sup2@x.test")
    token = csrf_token_in(client.get("/applications/").get_data(as_text=True))  # the page frame's token
    reply = client.post(
        f"/applications/{application.id}/review",
        data={"csrf_token": token, "recommendation": "accredit", "reasons": "Looks fine."},
    )
    assert reply.status_code == 403
    assert application.reviews == []

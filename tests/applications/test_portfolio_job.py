"""The portfolio PDF is rendered by a job: before it runs the pages say it is being prepared,
the download answers 409 and the panel cannot decide; the job stores the bytes and their hash."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select

from app.applications import portfolio, services
from app.applications.models import AccreditationApplication
from app.audit.models import AuditEvent
from app.database import utcnow
from app.documents.models import DocumentKind, StoredDocument
from app.documents.services import current as current_document
from app.errors import InvalidState
from app.extensions import db
from app.jobs import huey
from tests.applications.conftest import with_panel
from tests.held_jobs import held_queue_config, run_queued
from tests.helpers import csrf_token_in
from tests.logbook.fixtures import signed

PREPARE = "app.applications.portfolio.prepare"


@pytest.fixture
def app_config(app_config, tmp_path):
    return held_queue_config(app_config, tmp_path)


def _apply_with_the_form(world, client) -> AccreditationApplication:
    signed(world)
    signed(world)
    client.login("trainee@x.test")
    response = client.submit(
        "/applications/new", {"enrolment_id": str(world.enrolment.id), "statement": "Two years of groups."}
    )
    assert response.status_code == 302
    return db.session.scalar(select(AccreditationApplication))


def test_until_the_job_runs_the_page_says_preparing_and_the_download_is_a_clear_409(world, client):
    application = _apply_with_the_form(world, client)
    assert application.portfolio_sha256 is None and not application.portfolio_ready
    assert current_document(DocumentKind.APPLICATION_PORTFOLIO, application.id) is None
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "The portfolio is being prepared." in page and "Download the portfolio" not in page
    download = client.get(f"/applications/{application.id}/portfolio.pdf")
    assert download.status_code == 409
    assert "The portfolio is being prepared" in download.get_data(as_text=True)
    api = client.get(f"/applications/{application.id}/portfolio.pdf", headers={"Accept": "application/json"})
    assert api.status_code == 409
    # the admins are told at once: they can name the panel while the PDF renders
    client.logout()
    client.login("admin@x.test")
    admin_page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "The portfolio is being prepared" in admin_page

    assert run_queued(PREPARE) == 1
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Download the portfolio" in page and "being prepared" not in page
    assert client.get(f"/applications/{application.id}/portfolio.pdf").data.startswith(b"%PDF")


def test_the_job_stores_the_bytes_whose_hash_the_application_keeps_and_the_same_bytes_every_time(
    world, client
):
    application = _apply_with_the_form(world, client)
    snapshot_before = application.snapshot_json
    assert run_queued(PREPARE) == 1
    application = db.session.get(AccreditationApplication, application.id)
    stored = current_document(DocumentKind.APPLICATION_PORTFOLIO, application.id)
    assert stored.content.startswith(b"%PDF")
    assert application.portfolio_sha256 == stored.sha256 == hashlib.sha256(stored.content).hexdigest()
    assert application.snapshot_json == snapshot_before  # the job changes the hash only
    download = client.get(f"/applications/{application.id}/portfolio.pdf")
    assert hashlib.sha256(download.data).hexdigest() == application.portfolio_sha256
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == str(application.id))
    ).all()
    assert "application.portfolio_stored" in actions
    # rendered again from the frozen row, the file is the same bytes (whenever the job runs)
    again = portfolio.render(
        application.snapshot,
        association_name=application.snapshot["association"],
        applied_on=application.applied_on,
        applicant=application.trainee,
        statement=application.statement,
    )
    assert again == stored.content
    # a second run (a retry, a duplicate enqueue) stores no second version
    portfolio.queue(application)
    db.session.commit()
    assert run_queued(PREPARE) == 1
    count = select(func.count(StoredDocument.id)).where(StoredDocument.kind == "application_portfolio")
    assert db.session.scalar(count) == 1


def test_the_panel_cannot_decide_before_the_portfolio_is_stored(world, client):
    application = _apply_with_the_form(world, client)
    with_panel(world, application)
    with pytest.raises(InvalidState, match="portfolio is still being prepared"):
        services.decide(
            world.admin, world.association.id, application.id, decision="decline", reasons="Too early."
        )
    db.session.rollback()
    # through the page too: refused with the reason, nothing signed
    client.logout()
    client.login("admin@x.test")
    page = f"/applications/{application.id}"
    html = client.get(page).get_data(as_text=True)
    assert "the decision waits until it is stored" in html
    reply = client.post(
        f"{page}/decision",
        data={
            "csrf_token": csrf_token_in(html),
            "decision": "decline",
            "reasons": "Too early for this.",
            "confirm_final": "y",
        },
        follow_redirects=True,
    )
    assert "portfolio is still being prepared" in reply.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AccreditationApplication, application.id).status == "open"

    run_queued(PREPARE)
    application = services.decide(
        world.admin, world.association.id, application.id, decision="decline", reasons="Too early."
    )
    db.session.commit()
    assert application.status == "declined" and application.portfolio_sha256 is not None
    assert application.signature_sha256 == services.decision_digest(application)


def test_a_portfolio_whose_job_was_lost_is_queued_again_by_the_sweep(world, client):
    application = _apply_with_the_form(world, client)
    huey.storage.flush_queue()  # the queue lost it (or every retry failed)
    assert run_queued(PREPARE) == 0
    assert portfolio.requeue_waiting(utcnow()) == 0  # not yet: its job may just be slow
    later = utcnow() + portfolio.REQUEUE_AFTER + dt.timedelta(minutes=1)
    assert portfolio.requeue_waiting(later) == 1
    assert run_queued(PREPARE) == 1
    assert db.session.get(AccreditationApplication, application.id).portfolio_ready
    assert portfolio.requeue_waiting(later) == 0

"""The queue end to end: real workers on a SQLite and a Redis queue, over SQLite and PostgreSQL."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.jobs import queue_stats, worker_heartbeat_at
from app.jobs.models import Job
from app.jobs.queue import EmbeddedWorker
from app.mail import send_mail
from app.mail.models import MailDelivery, OutboxMessage
from tests.helpers import csrf_token_in
from tests.jobs.conftest import wait_for

pytestmark = pytest.mark.both_databases  # its subject differs by database


@contextmanager
def _counting_statements():
    """SQL statements run by this thread (the test client's request), not by the worker's."""
    count, me = [0], threading.get_ident()

    def seen(*args) -> None:
        if threading.get_ident() == me:
            count[0] += 1

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield count
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


@pytest.fixture
def _no_real_smtp() -> None:
    """Replaces the suite's guard here: these tests connect to a closed port on loopback
    (see ``closed_port``), which is no mail server, to watch deliveries fail for real."""


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_queued_mail_waits_for_a_worker_and_the_worker_delivers_it(app, world, queue):
    send_mail("trainee@x.test", "First", "One", association_id=world.association.id)
    send_mail("trainee@x.test", "Second", "Two", association_id=world.association.id)
    assert queue_stats()["pending"] == 0  # nothing is queued before the transaction commits
    db.session.commit()
    assert queue_stats()["pending"] == 2
    assert worker_heartbeat_at() is None
    assert db.session.scalar(select(OutboxMessage.id)) is None

    worker = EmbeddedWorker(workers=1, periodic=False, heartbeat_seconds=1).start()
    try:

        def both_delivered():
            """both messages in the outbox"""
            return len(db.session.scalars(select(OutboxMessage)).all()) == 2

        wait_for(both_delivered)
        assert {d.state for d in db.session.scalars(select(MailDelivery))} == {"sent"}
        assert worker_heartbeat_at() is not None
        assert queue_stats() | {"scheduled": 0} == {
            "pending": 0,
            "scheduled": 0,
            "failed": 0,
            "dead_letters": 0,
        }
    finally:
        worker.stop()


def test_forgot_password_answers_alike_and_the_mail_retries_into_the_dead_letters(
    app, world, client, worker, closed_port
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port, MAIL_USE_TLS=False)
    answers, statements = [], []
    for address in ("trainee@x.test", "nobody@x.test"):
        token = csrf_token_in(client.get("/password/forgot").get_data(as_text=True))
        with _counting_statements() as count:
            response = client.post("/password/forgot", data={"csrf_token": token, "email": address})
        statements.append(count[0])
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"], "If an account uses" in page))
    # Before mail left the request, the real address gave a 500 (connection refused)
    # while the unknown one was redirected.
    assert answers[0] == answers[1] == (302, "/login", True)
    # The same work for both: the request looks nothing up, it only enqueues.
    assert statements[0] == statements[1] == 0

    def dead():
        """the reset mail to become a dead letter"""
        return db.session.scalar(select(MailDelivery).where(MailDelivery.state == "dead"))

    letter = wait_for(dead)
    assert letter.recipient == "trainee@x.test"
    assert letter.attempts == 3  # the first try and MAIL_RETRIES=2 retries
    assert "Connection" in letter.last_error or "refused" in letter.last_error.lower()
    assert db.session.scalar(select(MailDelivery).where(MailDelivery.recipient == "nobody@x.test")) is None


def test_association_mail_that_cannot_be_delivered_is_listed_for_its_admins(
    app, world, client, worker, closed_port
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port, MAIL_USE_TLS=False)
    send_mail("trainee@x.test", "Your record was signed", "Open it.", association_id=world.association.id)
    db.session.commit()

    def dead():
        """the message to become a dead letter"""
        return db.session.scalar(select(MailDelivery).where(MailDelivery.state == "dead"))

    wait_for(dead)
    assert queue_stats()["dead_letters"] == 1
    client.login("admin@x.test")
    page = client.get("/admin/outbox/dead").get_data(as_text=True)
    assert "Your record was signed" in page and "trainee@x.test" in page and "3 attempts" in page
    client.logout()
    client.login("admin@other.test")
    assert "Your record was signed" not in client.get("/admin/outbox/dead").get_data(as_text=True)


def test_status_endpoint_follows_a_logbook_pdf_job_to_its_download(app, world, client, make_user, worker):
    client.login("trainee@x.test")
    started = client.submit(f"/logbook/enrolments/{world.enrolment.id}/export.pdf", {})
    job_url = started.headers["Location"]
    assert started.status_code == 302 and job_url.startswith("/jobs/")
    assert "Progress" in client.get(job_url).get_data(as_text=True)

    def finished():
        """the job to finish"""
        status = client.get(job_url + "/status.json").get_json()
        return status if status["is_finished"] else None

    status = wait_for(finished)
    assert (status["state"], status["progress"], status["download_url"]) == (
        "done",
        100,
        job_url + "/download",
    )
    download = client.get(status["download_url"])
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    job = db.session.scalar(select(Job))
    assert job.result_size == len(download.data)
    assert "My downloads" in client.get("/jobs/").get_data(as_text=True)
    notes = client.get("/notifications/").get_data(as_text=True)
    assert "Ready to download: Printable logbook of Tomas Trainee" in notes
    # A trainee of another enrolment in the same association may not see it.
    client.logout()
    client.login("trainee2@x.test")
    assert client.get(job_url + "/status.json").status_code == 404
    assert client.get(job_url + "/download").status_code == 404


def test_progress_page_without_javascript_reloads_itself_until_done(app, world, client, queue):
    client.login("sup@x.test")
    started = client.submit(f"/logbook/enrolments/{world.enrolment.id}/export.pdf", {})
    page = client.get(started.headers["Location"])
    html = page.get_data(as_text=True)
    # No worker runs in this test: the job waits, and the page says how to come back.
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "My downloads" in html and 'value="0"' in html
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    assert queue_stats()["pending"] == 1

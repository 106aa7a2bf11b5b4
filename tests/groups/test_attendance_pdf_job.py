"""The attendance confirmation's PDF is rendered by a job, and the member is told once it exists:
before the job the pages say it is being prepared and nobody has been e-mailed a link."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import Role
from app.database import utcnow
from app.documents.models import StoredDocument
from app.errors import InvalidState
from app.extensions import db
from app.groups import attendance_confirmations as confirmations
from app.groups import attendance_documents
from app.jobs import huey
from app.mail.models import MailDelivery
from app.notifications.models import Notification
from tests.groups.attendance_support import accredited_group, hold
from tests.held_jobs import held_queue_config, run_queued
from tests.helpers import csrf_token_in

PREPARE = "app.groups.attendance_documents.prepare"


@pytest.fixture
def app_config(app_config, tmp_path):
    return held_queue_config(app_config, tmp_path)


@pytest.fixture
def season(world):
    scene = accredited_group(world, size=3)
    hold(world, scene.group, date(2025, 1, 8), {member.id: "room" for member in scene.members})
    return scene


def _mail_to(address: str) -> list[MailDelivery]:
    return list(db.session.scalars(sa.select(MailDelivery).where(MailDelivery.recipient == address)))


def _stored(confirmation_id: int) -> StoredDocument | None:
    return db.session.scalar(
        sa.select(StoredDocument).where(
            StoredDocument.kind == "attendance_pdf", StoredDocument.owner_id == confirmation_id
        )
    )


def _issue_with_the_form(world, season, client):
    client.login("trainee@x.test")
    page = f"/groups/{season.group.id}/members/{season.members[0].id}/attendance"
    form = {"kind": "period", "session_id": "", "period_from": "2025-01-01", "period_to": "2025-12-31"}
    html = client.get(page, query_string={**form, "submit": "Check"}).get_data(as_text=True)
    response = client.post(page, data={**form, "csrf_token": csrf_token_in(html)})
    assert response.status_code == 302
    return db.session.scalar(sa.select(confirmations.AttendanceConfirmation))


def test_before_the_job_the_page_says_preparing_no_mail_is_sent_and_the_download_is_a_clear_409(
    world, season, client, make_user
):
    member_user = make_user("m1@example.org", world.association, Role.TRAINEE, name="Member 01")
    season.members[0].user_id = member_user.id
    db.session.commit()
    confirmation = _issue_with_the_form(world, season, client)
    assert _stored(confirmation.id) is None
    assert _mail_to("m1@example.org") == []  # no mail links to a file that is not there
    assert db.session.scalar(sa.select(Notification).where(Notification.user_id == member_user.id)) is None
    page = client.get(f"/attendance/confirmations/{confirmation.id}").get_data(as_text=True)
    assert "The confirmation is being prepared" in page and "Download the PDF" not in page
    download = client.get(f"/attendance/confirmations/{confirmation.id}/pdf")
    assert download.status_code == 409 and "The PDF is being prepared" in download.get_data(as_text=True)
    with pytest.raises(InvalidState):
        confirmations.stored_pdf(confirmation)
    # the public verification page does not wait for the PDF
    assert client.get(f"/attendance/{confirmation.serial}").status_code == 200

    assert run_queued(PREPARE) == 1
    stored = _stored(confirmation.id)
    assert stored is not None and stored.content.startswith(b"%PDF")
    (mail,) = _mail_to("m1@example.org")
    assert f"http://localhost/attendance/{confirmation.serial}" in mail.body
    assert stored.created_at <= mail.created_at
    assert db.session.scalar(sa.select(Notification).where(Notification.user_id == member_user.id))
    page = client.get(f"/attendance/confirmations/{confirmation.id}").get_data(as_text=True)
    assert "Download the PDF" in page and "being prepared" not in page
    download = client.get(f"/attendance/confirmations/{confirmation.id}/pdf")
    assert download.status_code == 200 and download.data == stored.content


def test_the_job_renders_from_the_record_alone_once_and_tells_the_member_once(world, season, client):
    confirmation = _issue_with_the_form(world, season, client)
    run_queued(PREPARE)
    stored = _stored(confirmation.id)
    assert attendance_documents.render_pdf(confirmation) == stored.content  # the same bytes whenever
    attendance_documents.queue(confirmation)  # a duplicate enqueue, or a retry
    db.session.commit()
    assert run_queued(PREPARE) == 1
    count = sa.select(sa.func.count(StoredDocument.id)).where(StoredDocument.kind == "attendance_pdf")
    assert db.session.scalar(count) == 1
    assert len(_mail_to("m1@example.org")) == 1


def test_a_confirmation_revoked_before_the_job_runs_gets_its_pdf_but_no_mail(world, season, client):
    confirmation = _issue_with_the_form(world, season, client)
    confirmations.revoke(world.trainee, world.association.id, confirmation.id, "Issued to the wrong member")
    db.session.commit()
    assert run_queued(PREPARE) == 1
    assert _stored(confirmation.id) is not None
    assert _mail_to("m1@example.org") == []


def test_a_pdf_whose_job_was_lost_is_queued_again_by_the_sweep_and_the_member_then_told(
    world, season, client
):
    confirmation = _issue_with_the_form(world, season, client)
    huey.storage.flush_queue()  # the queue lost it (or every retry failed)
    assert attendance_documents.requeue_waiting(utcnow()) == 0  # not yet: its job may just be slow
    later = utcnow() + attendance_documents.REQUEUE_AFTER + timedelta(minutes=1)
    assert attendance_documents.requeue_waiting(later) == 1
    assert run_queued(PREPARE) == 1
    assert _stored(confirmation.id) is not None and len(_mail_to("m1@example.org")) == 1
    assert attendance_documents.requeue_waiting(later) == 0

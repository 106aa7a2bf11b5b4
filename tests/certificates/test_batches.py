"""Issuing by batch: the preview names who is e-mailed and sends nothing; a batch issued in
error is undone within the window and not after; a period's certificates in one ZIP."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.certificates import batches, documents, issuing
from app.certificates.models import Certificate, CertificateBatch
from app.errors import InvalidState
from app.extensions import db
from app.mail.models import MailDelivery, OutboxMessage
from app.notifications.models import Notification
from app.programmes import services as programmes
from tests.certificates.conftest import make_ready
from tests.certificates.test_views import _enrol_ready
from tests.fixtures.world import RULE_SET


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_preview_names_who_is_emailed_and_nothing_goes_before_the_confirm(
    client, world, ready, make_user
):
    second = _enrol_ready(world, make_user, 2)
    second.trainee.is_enabled = False  # told in the app only
    db.session.commit()
    client.login("admin@x.test")
    chosen = {"enrolment_ids": [ready.id, second.id]}
    preview = client.submit("/certificates/ready", chosen, action="/certificates/batches/preview")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "trainee@x.test" in html and "ready2@x.test" not in html
    assert "Not e-mailed: account disabled" in html
    assert "1 of them will be e-mailed" in html
    assert (_count(Certificate), _count(Notification), _count(MailDelivery), _count(OutboxMessage)) == (
        0,
        0,
        0,
        0,
    )
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    confirmed = client.post(
        "/certificates/batches", data={"csrf_token": token, "confirmed": "y", "confirm_final": "y", **chosen}
    )
    assert confirmed.status_code == 302
    assert _count(Notification) == 2
    assert set(db.session.scalars(select(MailDelivery.recipient))) == {"trainee@x.test"}


def test_a_batch_is_undone_within_the_window_and_refused_after_it(app, client, world, ready, make_user):
    second = _enrol_ready(world, make_user, 2)
    batch = issuing.issue_batch(world.admin, world.association.id, [ready.id, second.id])
    db.session.commit()
    with pytest.raises(InvalidState):
        batches.undo_batch(world.admin, batch.id, now=batch.created_at + dt.timedelta(hours=24, seconds=1))
    client.login("admin@x.test")
    page = f"/certificates/batches/{batch.id}"
    unconfirmed = client.submit(page, {}, action=f"{page}/undo")
    assert unconfirmed.status_code == 422 and _count(Notification) == 2  # the two issue notices
    response = client.submit(page, {"confirm": "y"}, action=f"{page}/undo")
    assert response.status_code == 302
    db.session.expire_all()
    certificates = db.session.scalars(select(Certificate).where(Certificate.batch_id == batch.id)).all()
    assert {(c.state, c.revocation_reason) for c in certificates} == {("revoked", "Issued in error")}
    assert db.session.get(CertificateBatch, batch.id).undone_by_id == world.admin.id
    assert _count(Notification) == 4  # each holder told of the revocation
    events = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("certificate.%"))
    ).all()
    assert events.count("certificate.revoked") == 2 and "certificate.batch_undone" in events
    app.config["CERTIFICATE_BATCH_UNDO_HOURS"] = 0  # the window has passed
    assert f"{page}/undo" not in client.get(page).get_data(as_text=True)
    with pytest.raises(InvalidState):
        batches.undo_batch(world.admin, batch.id)


def _other_associations_certificate(world, make_user, day: dt.date) -> Certificate:
    holder = make_user("holder@other.test", world.other, Role.TRAINEE, name="Otto Other")
    supervisor = make_user("sup@other.test", world.other, Role.SUPERVISOR, name="Sue Other")
    programme = programmes.create_programme(
        world.other_admin, world.other.id, slug="other", title="Other training", rule_set_source=RULE_SET
    )
    enrolment = programmes.enrol(
        world.other_admin,
        world.other.id,
        trainee_id=holder.id,
        programme_id=programme.id,
        supervisor_ids=[supervisor.id],
        started_on=dt.date(2025, 1, 15),
    )
    db.session.commit()
    make_ready(enrolment, supervisor)
    return issuing.issue(world.other_admin, enrolment.id, today=day)


def test_the_period_zip_holds_exactly_this_associations_certificates_of_the_period(
    client, world, ready, make_user
):
    inside = issuing.issue(world.admin, ready.id, today=dt.date(2026, 3, 31))
    later = issuing.issue(world.admin, _enrol_ready(world, make_user, 2).id, today=dt.date(2026, 4, 1))
    elsewhere = _other_associations_certificate(world, make_user, dt.date(2026, 3, 10))
    db.session.commit()
    client.login("admin@x.test")
    with client.get("/certificates/period.zip?start=2026-03-01&end=2026-03-31") as response:  # streams a file
        assert response.status_code == 200 and response.mimetype == "application/zip"
        data = response.data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [f"certificate-{inside.serial}.pdf"]
        assert archive.read(archive.namelist()[0]) == documents.pdf_of(inside).content
    assert later.serial and elsewhere.serial  # issued, and outside the period or the association
    empty = client.get("/certificates/period.zip?start=2025-01-01&end=2025-12-31")
    assert empty.status_code == 302  # back to the register, with the reason

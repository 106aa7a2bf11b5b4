"""The decision letter is rendered once at the decision, stored, and served as stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.applications import letters, services
from app.audit.models import AuditEvent
from app.certificates.models import Certificate
from app.documents.models import DocumentKind, StoredDocument
from app.documents.services import current as current_document
from app.documents.triggers import suspended
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.pdf import html_to_pdf
from tests.applications.conftest import ready_application, with_panel
from tests.helpers import csrf_token_in


def _decided(world, decision="accredit", **extra):
    application = with_panel(world, ready_application(world))
    services.decide(
        world.admin,
        world.association.id,
        application.id,
        decision=decision,
        reasons="Meets every rule.",
        **extra,
    )
    db.session.commit()
    return application


def _letters(application_id: int) -> list[StoredDocument]:
    return list(
        db.session.scalars(
            select(StoredDocument)
            .where(
                StoredDocument.kind == DocumentKind.DECISION_LETTER.value,
                StoredDocument.owner_id == application_id,
            )
            .order_by(StoredDocument.version)
        )
    )


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_decision_stores_its_letter(world):
    application = _decided(world)
    (letter,) = _letters(application.id)
    assert letter.reason == "decided" and letter.created_by_id == world.admin.id
    assert letter.media_type == "application/pdf" and letter.content.startswith(b"%PDF")
    assert letter.sha256 == hashlib.sha256(letter.content).hexdigest()
    words = _text(letter.content)
    certificate = db.session.get(Certificate, application.certificate_id)
    assert "Tomas Trainee" in words and "BALINT SOCIETY X" in words.upper() and "Accredited" in words
    assert "Meets every rule." in words and certificate.serial in words
    assert "Certified Balint group leader" in words
    assert "For the panel, Alma Admin" in words  # signed by the deciding admin
    assert application.signature_sha256 in words.replace(" ", "")


def test_a_deferral_letter_names_the_actions_and_the_date(world):
    later = dt.date.today() + dt.timedelta(days=90)
    application = _decided(world, "defer", actions="Six more supervised sessions.", deferred_until=later)
    words = _text(_letters(application.id)[0].content)
    assert "Deferred" in words and "Six more supervised sessions." in words


def test_an_open_application_has_no_letter(world):
    application = ready_application(world)
    with pytest.raises(NotFound):
        services.letter_of(world.trainee, world.association.id, application.id)
    with pytest.raises(InvalidState):
        services.regenerate_letter(world.admin, world.association.id, application.id, reason="A new design.")


def test_downloads_serve_the_stored_bytes_whatever_the_template_does_since(world, client, monkeypatch):
    application = _decided(world)
    (stored,) = _letters(application.id)
    client.login("trainee@x.test")
    first = client.get(f"/applications/{application.id}/decision-letter.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data == stored.content
    assert "no-store" in first.headers["Cache-Control"]
    # A changed template (or renderer) does not reach a letter already sent.
    monkeypatch.setattr(
        letters, "html_to_pdf", lambda html, **kw: html_to_pdf(html.replace("panel", "board"), **kw)
    )
    again = client.get(f"/applications/{application.id}/decision-letter.pdf")
    assert again.data == stored.content
    assert len(_letters(application.id)) == 1


def test_regenerating_is_an_audited_new_version_that_supersedes(world, client):
    application = _decided(world)
    (first,) = _letters(application.id)
    with pytest.raises(Forbidden):
        services.regenerate_letter(
            world.trainee, world.association.id, application.id, reason="I want a new one."
        )
    with pytest.raises(ValidationError):
        services.regenerate_letter(world.admin, world.association.id, application.id, reason="")
    client.login("admin@x.test")
    page = client.get(f"/applications/{application.id}")
    assert "Regenerate the decision letter" in page.get_data(as_text=True)
    response = client.post(
        f"/applications/{application.id}/decision-letter",
        data={
            "csrf_token": csrf_token_in(page.get_data(as_text=True)),
            "letter-reason": "The new letter design.",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    old, new = _letters(application.id)
    assert old.id == first.id and old.superseded_by_id == new.id and new.version == 2
    assert new.reason == "regenerated: The new letter design." and new.created_by_id == world.admin.id
    assert current_document(DocumentKind.DECISION_LETTER, application.id).id == new.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "application.letter_regenerated"))
    assert event.details["supersedes_sha256"] == old.sha256 and event.details["sha256"] == new.sha256
    assert client.get(f"/applications/{application.id}/decision-letter.pdf").data == new.content


def test_a_regeneration_without_a_reason_is_refused_beside_the_field(world, client):
    application = _decided(world)
    client.login("admin@x.test")
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    response = client.post(
        f"/applications/{application.id}/decision-letter",
        data={"csrf_token": csrf_token_in(page), "letter-reason": ""},
    )
    assert response.status_code == 422 and len(_letters(application.id)) == 1


def test_a_decision_from_before_letters_gets_its_letter_on_first_download(world, client):
    application = _decided(world)
    with suspended(db.session.connection()):  # as a decision made before this change left it
        db.session.execute(
            StoredDocument.__table__.delete().where(StoredDocument.kind == DocumentKind.DECISION_LETTER.value)
        )
    db.session.commit()
    client.login("trainee@x.test")
    first = client.get(f"/applications/{application.id}/decision-letter.pdf")
    assert first.status_code == 200
    (stored,) = _letters(application.id)
    assert stored.reason == "stored on first download" and stored.content == first.data
    assert client.get(f"/applications/{application.id}/decision-letter.pdf").data == first.data


def test_another_association_cannot_read_the_letter(world, client):
    application = _decided(world)
    client.login("admin@other.test")
    assert client.get(f"/applications/{application.id}/decision-letter.pdf").status_code == 404

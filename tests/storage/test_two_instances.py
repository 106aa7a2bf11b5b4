"""Two app instances, one database: what one stored, the other serves.

Each instance has an instance folder and upload, key and logo folders of its own (the
settings that used to hold these files), as two app servers would; they share only
the database. Runs on both backends (on SQLite both open one file).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from app import create_app
from app.accounts.models import Association
from app.attachments.models import EvidenceAttachment
from app.certificates import credential, rendering, settings
from app.extensions import db
from app.logbook.models import TrainingEvent
from tests.helpers import FormClient, csrf_token_in
from tests.logbook.fixtures import create

pytestmark = pytest.mark.fresh_app  # it moves the app's instance folder

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_HEADER = b"\x89PNG\r\n\x1a\n"


def _folders(config: dict, root: Path) -> dict:
    return {
        **config,
        "LOGBOOK_UPLOAD_DIR": str(root / "uploads"),
        "CERTIFICATE_KEY_DIR": str(root / "keys"),
        "CERTIFICATE_LOGO_DIR": str(root / "logos"),
    }


@pytest.fixture
def app_config(app_config, tmp_path):
    return _folders(app_config, tmp_path / "one")


@pytest.fixture
def other(app, app_config, tmp_path):
    """A second instance of the app on the same database, with its own folders."""
    second = create_app(_folders(app_config, tmp_path / "two"))
    second.instance_path = str(tmp_path / "two" / "instance")
    app.instance_path = str(tmp_path / "one" / "instance")
    second.test_client_class = FormClient
    yield second
    with second.app_context():
        db.engine.dispose()


def _nothing_on_disk(*roots: Path) -> None:
    for root in roots:
        files = [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
        assert files == [], f"files on an app server's disk: {files}"


def test_an_event_certificate_uploaded_through_one_is_downloaded_through_the_other(
    app, other, world, tmp_path
):
    one, two = app.test_client(), other.test_client()
    one.login("trainee@x.test")
    page = one.get(f"/logbook/enrolments/{world.enrolment.id}/events/new")
    response = one.post(
        f"/logbook/enrolments/{world.enrolment.id}/events/new",
        data={
            "csrf_token": csrf_token_in(page.get_data(as_text=True)),
            "event_kind": "leadership-workshop",
            "title": "Leadership weekend",
            "provider": "Balint Society UK",
            "starts_on": "2025-02-07",
            "ends_on": "2025-02-08",
            "days": "2",
            "certificate": (io.BytesIO(PDF), "attendance.pdf"),
            "save": "Save as draft",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    record = db.session.scalar(db.select(TrainingEvent))
    two.login("sup@x.test")
    download = two.get(f"/logbook/records/{record.id}/certificate")
    assert download.status_code == 200 and download.data == PDF
    download.close()
    _nothing_on_disk(tmp_path / "one", tmp_path / "two")


def test_evidence_attached_through_one_is_downloaded_through_the_other(app, other, world, tmp_path):
    record = create(world)
    one, two = other.test_client(), app.test_client()  # this time the second instance takes it
    one.login("trainee@x.test")
    page = one.get(f"/logbook/records/{record.id}")
    attached = one.post(
        f"/attachments/records/{record.id}",
        data={
            "csrf_token": csrf_token_in(page.get_data(as_text=True)),
            "file": (io.BytesIO(PDF), "sheet.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert attached.status_code == 302
    two.login("trainee@x.test")
    listing = two.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert "sheet.pdf" in listing
    attachment = db.session.scalar(db.select(EvidenceAttachment))
    download = two.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    download.close()
    _nothing_on_disk(tmp_path / "one", tmp_path / "two")


def test_both_sign_with_the_one_key_that_the_first_made(app, other, world, tmp_path):
    one, two = app.test_client(), other.test_client()
    assert two.get("/issuers/bsx/key.json").status_code == 404  # nothing signed yet
    credential.signing_key(world.association)  # made on first use, through instance one
    db.session.commit()
    published = one.get("/issuers/bsx/key.json").get_json()
    assert two.get("/issuers/bsx/key.json").get_json() == published
    with other.app_context():  # instance two signs with that key, not a new one of its own
        association = db.session.scalar(db.select(Association).where(Association.slug == "bsx"))
        raw = credential._raw(credential.signing_key(association).public_key())
        assert published["publicKeyMultibase"] == "z" + credential.base58btc(
            credential.ED25519_MULTICODEC + raw
        )
    _nothing_on_disk(tmp_path / "one", tmp_path / "two")


def test_a_logo_uploaded_through_one_prints_through_the_other(app, other, world, tmp_path):
    image = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(image, format="PNG")
    one = app.test_client()
    one.login("admin@x.test")
    page = one.get("/certificates/settings")
    saved = one.post(
        "/certificates/settings",
        data={
            "csrf_token": csrf_token_in(page.get_data(as_text=True)),
            "signatory_name": "Alma Admin",
            "signatory_role": "Chair",
            "serial_prefix": "BSX",
            "page_size": "A4",
            "logo": (io.BytesIO(image.getvalue()), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    db.session.expire_all()
    digest = world.association.certificate_logo_sha256
    assert digest
    with other.app_context():
        uri = rendering.logo_data_uri(digest)
    assert uri and uri.startswith("data:image/png;base64,")
    _nothing_on_disk(tmp_path / "one", tmp_path / "two")
    assert settings.store_logo(image.getvalue()) == digest  # content-addressed: stored once

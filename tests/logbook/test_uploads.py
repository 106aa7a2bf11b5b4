"""Certificates: only real PDFs and images, within the size limit, stored out of reach, shown to the right people."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.errors import ValidationError
from app.extensions import db
from app.logbook import records, uploads
from app.logbook.models import TrainingEvent
from app.storage import services as storage
from app.storage.models import Blob, Namespace
from tests.helpers import csrf_token_in
from tests.logbook.fixtures import an_event, create

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
LIMIT = 2000


@pytest.fixture
def app_config(app_config, old_upload_folder):
    return {
        **app_config,
        "LOGBOOK_CERTIFICATE_MAX_BYTES": LIMIT,
        "MAX_CONTENT_LENGTH": 10_000,
        "LOGBOOK_UPLOAD_DIR": str(old_upload_folder),
    }


def _event_with(world, filename: str, data: bytes) -> TrainingEvent:
    return create(world, an_event(), certificate=uploads.Upload(filename, data))


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("attendance.pdf", PDF, "application/pdf"),
        ("attendance.PNG", PNG, "image/png"),
        ("attendance.jpeg", JPEG, "image/jpeg"),
        ("attendance.jpg", JPEG, "image/jpeg"),
    ],
)
def test_pdf_png_and_jpeg_certificates_are_stored_under_a_random_name(world, app, name, data, kind):
    record = _event_with(world, name, data)
    assert record.certificate_type == kind
    assert record.certificate_name == name
    assert uploads.read(record.certificate_key) == data
    assert "attendance" not in record.certificate_key
    assert not any(Path(app.config["LOGBOOK_UPLOAD_DIR"]).iterdir())  # nothing on the server's disk
    assert record.kind_content()["certificate_sha256"] == record.certificate_sha256


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("certificate.gif", GIF, "as a PDF, PNG or JPEG"),
        ("certificate.pdf", b"MZ\x90\x00 not a pdf at all", "not really a PDF, PNG or JPEG"),
        ("certificate.pdf", PNG, "as a PDF, PNG or JPEG"),
        ("certificate.exe", PDF, "as a PDF, PNG or JPEG"),
        ("certificate", PDF, "as a PDF, PNG or JPEG"),
        ("certificate.pdf", b"", "empty"),
        ("certificate.pdf", PDF + b"0" * LIMIT, "larger than"),
    ],
)
def test_other_files_are_refused_by_their_content_not_their_name(world, app, name, data, words):
    with pytest.raises(ValidationError) as error:
        records.create_record(
            world.trainee,
            world.association.id,
            world.enrolment.id,
            an_event(),
            certificate=uploads.Upload(name, data),
        )
    assert words in error.value.fields["certificate"][0]
    assert db.session.query(Blob).count() == 0


def test_replacing_and_removing_a_certificate_cleans_up_the_old_file(world):
    record = _event_with(world, "first.pdf", PDF)
    first = record.certificate_key
    records.update_record(
        world.trainee,
        world.association.id,
        record.id,
        an_event(),
        certificate=uploads.Upload("second.png", PNG),
    )
    db.session.commit()
    assert not uploads.exists(first)
    second = record.certificate_key
    assert uploads.read(second) == PNG
    records.update_record(world.trainee, world.association.id, record.id, an_event(), remove_certificate=True)
    db.session.commit()
    assert record.certificate_key is None and not uploads.exists(second)


def test_upload_through_the_form_and_download_it(world, client):
    client.login("trainee@x.test")
    page = client.get(f"/logbook/enrolments/{world.enrolment.id}/events/new")
    response = client.post(
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
    download = client.get(f"/logbook/records/{record.id}/certificate")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "no-store" in download.headers["Cache-Control"]
    download.close()


@pytest.mark.parametrize(
    ("login", "status"),
    [
        ("sup@x.test", 200),
        ("admin@x.test", 200),
        ("sup2@x.test", 403),
        ("admin@other.test", 404),
        (None, 302),
    ],
)
def test_certificate_is_downloadable_only_by_who_may_see_the_record(world, client, login, status):
    record = _event_with(world, "attendance.pdf", PDF)
    if login:
        client.login(login)
    response = client.get(f"/logbook/records/{record.id}/certificate")
    assert response.status_code == status
    response.close()  # the file streams from an open handle


def test_a_file_over_the_limit_is_refused_beside_the_field_and_the_rest_is_kept(world, client):
    client.login("trainee@x.test")
    page = client.get(f"/logbook/enrolments/{world.enrolment.id}/events/new")
    response = client.post(
        f"/logbook/enrolments/{world.enrolment.id}/events/new",
        data={
            "csrf_token": csrf_token_in(page.get_data(as_text=True)),
            "event_kind": "seminar",
            "title": "Winter seminar",
            "provider": "Balint Society UK",
            "starts_on": "2025-02-07",
            "ends_on": "2025-02-07",
            "days": "1",
            "certificate": (io.BytesIO(PDF + b"0" * (LIMIT + 10)), "big.pdf"),
            "save": "Save as draft",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="certificate-error"' in html and "larger than" in html
    assert 'value="Winter seminar"' in html
    assert db.session.query(TrainingEvent).count() == 0


def test_a_request_over_max_content_length_gets_a_readable_413(world, client):
    client.login("trainee@x.test")
    page = client.get(f"/logbook/enrolments/{world.enrolment.id}/events/new")
    response = client.post(
        f"/logbook/enrolments/{world.enrolment.id}/events/new",
        data={
            "csrf_token": csrf_token_in(page.get_data(as_text=True)),
            "title": "Winter seminar",
            "certificate": (io.BytesIO(PDF + b"0" * 20_000), "huge.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "larger than" in html and 'id="certificate-error"' in html
    assert db.session.query(TrainingEvent).count() == 0


def test_keys_that_are_not_ours_are_never_looked_up(app):
    for key in ("../../etc/passwd", "abc.pdf", "0" * 32 + ".exe", ""):
        storage.put(Namespace.UPLOAD, key, PDF, "application/pdf")
        assert uploads.read(key) is None and not uploads.exists(key)

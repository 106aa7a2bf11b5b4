"""Evidence files on records and reflections: real files only, seen by who sees the item, final once submitted."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from app.attachments import services
from app.attachments.models import EvidenceAttachment
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.logbook import records, uploads
from app.storage.models import Blob
from app.vignettes import services as reflections
from tests.helpers import csrf_token_in
from tests.logbook.fixtures import create, signed
from tests.vignettes.helpers import SLUG, complete_answers, submitted

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LIMIT = 2000


@pytest.fixture
def app_config(app_config, old_upload_folder):
    return {
        **app_config,
        "LOGBOOK_CERTIFICATE_MAX_BYTES": LIMIT,
        "MAX_CONTENT_LENGTH": 10_000,
        "LOGBOOK_UPLOAD_DIR": str(old_upload_folder),
    }


def _attach(world, record, name="attendance.pdf", data=PDF):
    attachment = services.add_to_record(
        world.trainee, world.association.id, record.id, uploads.Upload(name, data)
    )
    db.session.commit()
    return attachment


def _draft_reflection(world):
    reflection = reflections.save_draft(world.trainee, world.association.id, SLUG, complete_answers())
    db.session.commit()
    return reflection


# --- services ----------------------------------------------------------------------------


def test_a_draft_takes_files_and_they_are_stored_out_of_reach(world, app):
    record = create(world)
    attachment = _attach(world, record)
    assert attachment.content_type == "application/pdf" and attachment.name == "attendance.pdf"
    assert uploads.read(attachment.key) == PDF and "attendance" not in attachment.key
    assert not any(Path(app.config["LOGBOOK_UPLOAD_DIR"]).iterdir())  # nothing on the server's disk
    assert [a.id for a in services.of_record(record.id)] == [attachment.id]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("sheet.pdf", b"MZ\x90\x00 not a pdf", "not really a PDF, PNG or JPEG"),
        ("sheet.pdf", PNG, "PDF, PNG or JPEG"),
        ("sheet.exe", PDF, "PDF, PNG or JPEG"),
        ("sheet.pdf", b"", "empty"),
        ("sheet.pdf", PDF + b"0" * LIMIT, "larger than"),
    ],
)
def test_files_are_judged_by_their_content_not_their_name(world, app, name, data, words):
    record = create(world)
    with pytest.raises(ValidationError) as error:
        services.add_to_record(world.trainee, world.association.id, record.id, uploads.Upload(name, data))
    assert words in error.value.fields["file"][0]
    assert db.session.query(Blob).count() == 0


def test_signed_evidence_is_final(world):
    record = create(world)
    attachment = _attach(world, record)
    records.submit_record(world.trainee, world.association.id, record.id)
    db.session.commit()
    with pytest.raises(InvalidState):
        services.remove(world.trainee, world.association.id, attachment.id)
    with pytest.raises(InvalidState):
        services.add_to_record(world.trainee, world.association.id, record.id, uploads.Upload("b.png", PNG))
    signed_record = signed(world)
    with pytest.raises(InvalidState):
        services.add_to_record(
            world.trainee, world.association.id, signed_record.id, uploads.Upload("b.png", PNG)
        )
    assert uploads.exists(attachment.key)


def test_only_the_author_adds_and_removes(world):
    record = create(world)
    attachment = _attach(world, record)
    with pytest.raises(Forbidden):
        services.add_to_record(
            world.supervisor, world.association.id, record.id, uploads.Upload("a.pdf", PDF)
        )
    with pytest.raises(Forbidden):
        services.remove(world.admin, world.association.id, attachment.id)
    with pytest.raises(NotFound):
        services.remove(world.other_admin, world.other.id, attachment.id)
    services.remove(world.trainee, world.association.id, attachment.id)
    db.session.commit()
    assert not uploads.exists(attachment.key) and services.of_record(record.id) == []


def test_deleting_a_draft_deletes_its_files(world):
    record = create(world)
    key = _attach(world, record).key
    records.delete_record(world.trainee, world.association.id, record.id)
    db.session.commit()
    assert not uploads.exists(key)
    assert db.session.query(EvidenceAttachment).count() == 0


def test_reflections_take_files_while_drafts_only(world):
    reflection = _draft_reflection(world)
    attachment = services.add_to_reflection(
        world.trainee, world.association.id, reflection.id, uploads.Upload("workshop.png", PNG)
    )
    db.session.commit()
    assert attachment.reflection_id == reflection.id and attachment.record_id is None
    reflections.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers())
    db.session.commit()
    with pytest.raises(InvalidState):
        services.remove(world.trainee, world.association.id, attachment.id)
    with pytest.raises(InvalidState):
        services.add_to_reflection(
            world.trainee, world.association.id, reflection.id, uploads.Upload("more.pdf", PDF)
        )


def test_the_personal_data_export_carries_the_files(world, client):
    record = create(world)
    _attach(world, record)
    reflection = _draft_reflection(world)
    services.add_to_reflection(
        world.trainee, world.association.id, reflection.id, uploads.Upload("workshop.png", PNG)
    )
    db.session.commit()
    client.login("trainee@x.test")
    response = client.get("/account/data/export")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    listed = json.loads(archive.read("attachments.json"))
    assert sorted(entry["name"] for entry in listed) == ["attendance.pdf", "workshop.png"]
    by_name = {entry["name"]: entry["file"] for entry in listed}
    assert archive.read(by_name["attendance.pdf"]) == PDF
    assert archive.read(by_name["workshop.png"]) == PNG


# --- HTTP --------------------------------------------------------------------------------


def _post_file(client, record_id, name, data):
    page = client.get(f"/logbook/records/{record_id}")
    assert page.status_code == 200
    return client.post(
        f"/attachments/records/{record_id}",
        data={"csrf_token": csrf_token_in(page.get_data(as_text=True)), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_attach_through_the_record_page_then_download_and_remove(world, client):
    record = create(world)
    client.login("trainee@x.test")
    response = _post_file(client, record.id, "sheet.pdf", PDF)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/logbook/records/{record.id}#evidence"
    )
    page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    attachment = db.session.scalar(db.select(EvidenceAttachment))
    assert "sheet.pdf is attached." in page and f"/attachments/{attachment.id}" in page
    download = client.get(f"/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    download.close()
    token = csrf_token_in(page)
    removed = client.post(f"/attachments/{attachment.id}/delete", data={"csrf_token": token})
    assert removed.status_code == 302
    assert db.session.query(EvidenceAttachment).count() == 0


def test_a_disguised_file_is_refused_with_a_message(world, client):
    record = create(world)
    client.login("trainee@x.test")
    response = _post_file(client, record.id, "sheet.pdf", b"<html>not a pdf</html>")
    assert response.status_code == 302
    page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert "not really a PDF, PNG or JPEG" in page
    assert db.session.query(EvidenceAttachment).count() == 0


def test_a_post_without_csrf_is_refused(world, client):
    record = create(world)
    client.login("trainee@x.test")
    response = client.post(
        f"/attachments/records/{record.id}",
        data={"file": (io.BytesIO(PDF), "sheet.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (302, 400)
    assert db.session.query(EvidenceAttachment).count() == 0


def test_a_body_over_the_limit_goes_back_with_the_reason(world, client):
    record = create(world)
    client.login("trainee@x.test")
    response = _post_file(client, record.id, "huge.pdf", PDF + b"0" * 20_000)
    assert response.status_code == 302
    page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert "larger than" in page


@pytest.mark.parametrize(
    ("login", "status"),
    [
        ("trainee@x.test", 200),
        ("sup@x.test", 200),
        ("admin@x.test", 200),
        ("sup2@x.test", 403),
        ("trainee2@x.test", 403),
        ("admin@other.test", 404),
        (None, 302),
    ],
)
def test_files_are_seen_by_who_sees_the_record(world, client, login, status):
    attachment = _attach(world, create(world))
    if login:
        client.login(login)
    response = client.get(f"/attachments/{attachment.id}")
    assert response.status_code == status
    response.close()


def test_the_supervisor_sees_the_files_in_review(world, client):
    record = create(world, submit=True)
    db.session.add(
        EvidenceAttachment(
            association_id=world.association.id,
            record_id=record.id,
            key="0" * 32 + ".pdf",
            name="attendance-sheet.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by_id=world.trainee.id,
        )
    )
    db.session.commit()
    client.login("sup@x.test")
    page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert "attendance-sheet.pdf" in page and "Attach the file" not in page


def test_the_reviewer_sees_a_reflections_files(world, client):
    reflection = _draft_reflection(world)
    services.add_to_reflection(
        world.trainee, world.association.id, reflection.id, uploads.Upload("workshop.png", PNG)
    )
    db.session.commit()
    submitted(world)
    client.login("sup@x.test")
    page = client.get(f"/vignettes/review/{reflection.id}").get_data(as_text=True)
    assert "workshop.png" in page


def test_attach_to_a_draft_reflection_through_its_page(world, client):
    reflection = _draft_reflection(world)
    client.login("trainee@x.test")
    page = client.get(f"/vignettes/reflections/{reflection.id}")
    html = page.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and "Evidence file" in html
    response = client.post(
        f"/attachments/reflections/{reflection.id}",
        data={"csrf_token": csrf_token_in(html), "file": (io.BytesIO(PNG), "workshop.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#evidence")
    attachment = db.session.scalar(db.select(EvidenceAttachment))
    assert attachment.reflection_id == reflection.id and attachment.content_type == "image/png"
    assert "workshop.png" in client.get(f"/vignettes/reflections/{reflection.id}").get_data(as_text=True)


def test_erasing_a_person_takes_the_files_of_their_unsigned_work(world):
    from app.personal_data.erasure import erase_in_association

    record_key = _attach(world, create(world)).key
    reflection = _draft_reflection(world)
    reflection_key = services.add_to_reflection(
        world.trainee, world.association.id, reflection.id, uploads.Upload("workshop.png", PNG)
    ).key
    db.session.commit()
    erase_in_association(world.trainee, world.association.id)
    db.session.commit()
    assert not uploads.exists(record_key) and not uploads.exists(reflection_key)
    assert db.session.query(EvidenceAttachment).count() == 0

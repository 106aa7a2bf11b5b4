"""Importing earlier training: preview, attesting document, final records, idempotence, tenants."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.errors import Forbidden, NotFound, ValidationError
from app.extensions import db
from app.imports import training
from app.imports.models import ImportDocument
from app.logbook import uploads
from app.logbook.models import LogbookRecord, SessionRecord, SupervisionRecord, TrainingEvent
from tests.helpers import csrf_token_in

HEADER = "email,programme,kind,date,minutes,role,members,supervisor,event_kind,title,end_date\n"
GOOD = (
    HEADER
    + "trainee@x.test,leaders,session,2023-03-12,90,co-leader,8,,,GP trainees,\n"
    + "trainee@x.test,leaders,supervision,2023-04-02,60,,,sup@x.test,,,\n"
    + "trainee@x.test,leaders,event,2023-05-17,720,,,,leadership-workshop,Leadership weekend,2023-05-19\n"
)
BAD = (
    HEADER
    + "trainee@x.test,leaders,session,2023-03-12,5,boss,8,,,,\n"
    + "trainee2@x.test,leaders,session,2023-03-12,90,member,8,,,,\n"
    + "trainee@x.test,leaders,supervision,12 March,60,,,nobody@x.test,,,\n"
    + "trainee@x.test,leaders,lecture,2023-03-12,60,,,,,,\n"
    + "trainee@x.test,leaders,event,2023-05-17,,,,,,,\n"
)
PDF = b"%PDF-1.4\n% attestation\n"


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (LogbookRecord, ImportDocument, AuditEvent)
    )


def xlsx(text: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def document(name: str = "logbook-2023.pdf", data: bytes = PDF) -> uploads.Upload:
    return uploads.Upload(filename=name, data=data)


def imported(world) -> list[LogbookRecord]:
    return list(
        db.session.scalars(
            select(LogbookRecord)
            .where(LogbookRecord.is_imported.is_(True))
            .order_by(LogbookRecord.occurred_on)
        )
    )


def test_the_preview_names_each_problem_by_row_and_column_and_writes_nothing(world):
    before = counts()
    plan = training.preview(world.admin, world.association.id, "t.csv", BAD.encode())
    assert not plan.is_valid
    found = {(e.row, e.column) for e in plan.errors}
    assert found == {
        (2, "minutes"),
        (2, "role"),
        (3, "email"),  # not enrolled on leaders
        (4, "date"),
        (4, "supervisor"),
        (5, "kind"),
        (6, "event_kind"),
        (6, "title"),
    }
    messages = {(e.row, e.column): e.message for e in plan.errors}
    assert "import the enrolment first" in messages[(3, "email")]
    assert "nobody@x.test is not a supervisor here" in messages[(4, "supervisor")]
    assert counts() == before
    with pytest.raises(ValidationError, match="Nothing was imported"):
        training.apply(world.admin, world.association.id, "t.csv", BAD.encode(), document())
    assert counts() == before


def test_imported_records_are_signed_by_the_attesting_admin_with_the_document(world):
    result = training.apply(world.admin, world.association.id, "t.csv", GOOD.encode(), document())
    db.session.commit()
    assert result.records_created == 3
    session, supervision, event = imported(world)
    assert (
        isinstance(session, SessionRecord)
        and session.role == "co-leader"
        and session.setting == "GP trainees"
    )
    assert isinstance(supervision, SupervisionRecord) and supervision.supervisor_id == world.supervisor.id
    assert isinstance(event, TrainingEvent) and (event.days, event.minutes) == (3, 720)
    for record in (session, supervision, event):
        assert record.status == "signed" and record.signer_id == world.admin.id
        assert record.enrolment_id == world.enrolment.id and record.author_id == world.trainee.id
        assert record.content_hash == record.compute_hash()
        assert record.import_document.name == "logbook-2023.pdf"
        assert record.import_document.attested_by_id == world.admin.id
    assert uploads.read(session.import_document.key) == PDF
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("logbook.imported") == 3 and "import.training_applied" in actions


def test_an_imported_record_is_final_like_a_signed_one(world):
    training.apply(world.admin, world.association.id, "t.csv", GOOD.encode(), document())
    db.session.commit()
    record = imported(world)[0]
    record.minutes = 600
    with pytest.raises(Exception, match="signed record is final"):
        db.session.flush()
    db.session.rollback()


def test_the_same_file_again_changes_nothing_and_stores_no_document(world):
    training.apply(world.admin, world.association.id, "t.csv", GOOD.encode(), document())
    db.session.commit()
    before = counts()
    plan = training.preview(world.admin, world.association.id, "t.xlsx", xlsx(GOOD))
    assert plan.is_valid and plan.change_count == 0
    result = training.apply(world.admin, world.association.id, "t.xlsx", xlsx(GOOD), None)
    db.session.commit()
    assert result.records_created == 0 and result.document is None
    assert counts() == before
    # one new row in an otherwise identical file adds only that row
    longer = GOOD + "trainee@x.test,leaders,session,2023-03-12,90,co-leader,8,,,Hospital group,\n"
    assert training.preview(world.admin, world.association.id, "t.csv", longer.encode()).change_count == 1


def test_the_same_record_twice_in_one_file_is_an_error_on_the_second_row(world):
    text = GOOD + "trainee@x.test,leaders,session,2023-03-12,90,co-leader,8,,,gp trainees,\n"
    plan = training.preview(world.admin, world.association.id, "t.csv", text.encode())
    assert [(e.row, e.column) for e in plan.errors] == [(5, "date")]
    assert "same record as row 2" in plan.errors[0].message


def test_a_document_is_required_and_sniffed(world):
    before = counts()
    with pytest.raises(ValidationError) as missing:
        training.apply(world.admin, world.association.id, "t.csv", GOOD.encode(), None)
    assert missing.value.fields["document"]
    with pytest.raises(ValidationError, match="not really a PDF"):
        training.apply(world.admin, world.association.id, "t.csv", GOOD.encode(), document("x.pdf", b"MZ..."))
    assert counts() == before


def test_another_association_cannot_import_into_ours_nor_read_the_document(world):
    with pytest.raises(Forbidden):
        training.preview(world.other_admin, world.association.id, "t.csv", GOOD.encode())
    with pytest.raises(Forbidden):
        training.preview(world.supervisor, world.association.id, "t.csv", GOOD.encode())
    # in their own association our trainee and programme do not exist
    plan = training.preview(world.other_admin, world.other.id, "t.csv", GOOD.encode())
    assert {e.column for e in plan.errors} >= {"programme"}
    assert plan.change_count == 0
    training.apply(world.admin, world.association.id, "t.csv", GOOD.encode(), document())
    db.session.commit()
    record = imported(world)[0]
    with pytest.raises(NotFound):
        training.attestation_of(world.other_admin, world.other.id, record.id)
    with pytest.raises(NotFound):
        training.attestation_of(world.other_admin, world.association.id, record.id)
    _doc, data = training.attestation_of(world.trainee, world.association.id, record.id)
    assert data == PDF


def test_the_template_imports_once_its_trainee_is_enrolled(client, world):
    client.login("admin@x.test")
    response = client.get("/admin/import/training/template.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.splitlines()[0] == ",".join(training.COLUMNS)
    text = text.replace("tia.trainee@example.org", "trainee@x.test").replace(
        "sam.supervisor@example.org", "sup@x.test"
    )
    plan = training.preview(world.admin, world.association.id, "t.csv", text.encode())
    assert plan.is_valid and plan.change_count == 3


# -- over HTTP, with CSRF on --------------------------------------------------------------


def _hidden(html: str, name: str) -> str:
    return re.search(rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def upload(client, filename: str, data: bytes):
    return client.submit(
        "/admin/import/training",
        {"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def confirm(client, html: str, doc: tuple[bytes, str] | None):
    data = {
        "csrf_token": csrf_token_in(html),
        "file_name": _hidden(html, "file_name"),
        "file_data": _hidden(html, "file_data"),
    }
    if doc is not None:
        data["document"] = (io.BytesIO(doc[0]), doc[1])
    return client.post(
        "/admin/import/training/confirm", data=data, content_type="multipart/form-data", follow_redirects=True
    )


def test_upload_preview_attest_and_confirm_over_http(client, world):
    client.login("admin@x.test")
    before = counts()
    bad = upload(client, "t.csv", BAD.encode())
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "8 problems in the file." in html and "Nothing has been written" in html
    assert 'action="/admin/import/training/confirm"' not in html
    assert counts() == before

    good = upload(client, "t.xlsx", xlsx(GOOD))
    assert good.status_code == 200
    html = good.get_data(as_text=True)
    assert "3 new records, no problems" in html
    assert 'action="/admin/import/training/confirm"' in html
    assert counts() == before  # the preview wrote nothing

    no_document = confirm(client, html, None)
    assert no_document.status_code == 422
    assert "Attach the document that attests these records." in no_document.get_data(as_text=True)
    disguised = confirm(client, html, (b"<html>", "scan.pdf"))
    assert disguised.status_code == 422
    assert "not really a PDF" in disguised.get_data(as_text=True)
    assert counts() == before

    done = confirm(client, html, (PDF, "logbook-2023.pdf"))
    assert "Imported 3 earlier records, attested by you." in done.get_data(as_text=True)
    assert len(imported(world)) == 3

    again = upload(client, "t.xlsx", xlsx(GOOD)).get_data(as_text=True)
    assert "Nothing to change" in again
    assert 'action="/admin/import/training/confirm"' not in again


def test_the_record_page_says_imported_and_links_the_document(client, world):
    training.apply(world.admin, world.association.id, "t.csv", GOOD.encode(), document())
    db.session.commit()
    record = imported(world)[0]
    client.login("trainee@x.test")
    page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert "Imported, attested by Alma Admin on" in page
    assert "Signed by" not in page
    link = f"/attachments/records/{record.id}/attestation"
    assert link in page
    download = client.get(link)
    try:
        assert download.status_code == 200 and download.get_data() == PDF
        assert download.headers["X-Content-Type-Options"] == "nosniff"
    finally:
        download.close()

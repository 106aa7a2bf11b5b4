"""Bulk import: a preview with per-row errors, one transaction, and the same file twice changes nothing."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.accounts.models import Membership, PasswordReset, User
from app.accounts.services import find_user_by_email
from app.audit.models import AuditEvent
from app.errors import Forbidden, ValidationError
from app.extensions import db
from app.imports import reading, services
from app.mail.models import OutboxMessage
from app.programmes.models import Enrolment
from tests.helpers import csrf_token_in

HEADER = "email,name,role,programme,supervisors,started_on\n"
GOOD = (
    HEADER
    + "sue@x.test,Sue Newsup,supervisor,,,\n"
    + "ann@x.test,Ann Ahn,trainee,leaders,sue@x.test;sup@x.test,2026-09-01\n"
    + "trainee2@x.test,,trainee,leaders,sup2@x.test,\n"
)
BAD = (
    HEADER
    + "sue@x.test,Sue Newsup,supervisor,,,\n"
    + "not-an-address,Bob,trainee,,,\n"
    + "ann@x.test,Ann Ahn,trainee,nosuch,sup@x.test,1 Sept\n"
    + "zed@x.test,,boss,,,\n"
)


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Membership, Enrolment, OutboxMessage, AuditEvent, PasswordReset)
    )


def xlsx(text: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, filename: str, data: bytes):
    return client.submit(
        "/admin/import",
        {"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def confirm(client, preview_html: str):
    return client.post(
        "/admin/import/confirm",
        data={
            "csrf_token": csrf_token_in(preview_html),
            "file_name": _hidden(preview_html, "file_name"),
            "file_data": _hidden(preview_html, "file_data"),
        },
        follow_redirects=True,
    )


def _hidden(html: str, name: str) -> str:
    import re

    return re.search(rf'id="{name}" name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def test_the_preview_lists_each_problem_by_row_and_column_and_writes_nothing(world):
    before = counts()
    plan = services.preview(world.admin, world.association.id, "people.csv", BAD.encode())
    assert not plan.is_valid
    found = {(e.row, e.column) for e in plan.errors}
    assert found == {(3, "email"), (4, "programme"), (4, "started_on"), (5, "name"), (5, "role")}
    messages = {(e.row, e.column): e.message for e in plan.errors}
    assert "not-an-address" in messages[(3, "email")]
    assert "No programme “nosuch” here (programmes: leaders)" in messages[(4, "programme")]
    assert "write it as 2026-09-01" in messages[(4, "started_on")]
    assert counts() == before
    with pytest.raises(ValidationError, match="Nothing was imported"):
        services.apply(world.admin, world.association.id, "people.csv", BAD.encode())


def test_importing_creates_accounts_roles_and_enrolments_and_again_changes_nothing(world):
    result = services.apply(world.admin, world.association.id, "people.csv", GOOD.encode())
    db.session.commit()
    assert (result.accounts_created, result.roles_granted, result.enrolments_created) == (2, 2, 2)
    ann = find_user_by_email("ann@x.test")
    enrolment = db.session.scalars(select(Enrolment).where(Enrolment.trainee_id == ann.id)).one()
    assert str(enrolment.started_on) == "2026-09-01"
    assert {s.email for s in enrolment.supervisors} == {"sue@x.test", "sup@x.test"}
    assert ann.password_hash == services.UNUSABLE_PASSWORD
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "ann@x.test")).one()
    assert "/password/reset/" in mail.body
    # trainee2 existed: enrolled, name kept, no new account and no mail
    assert find_user_by_email("trainee2@x.test").name == "Tilda Two"

    before = counts()
    again = services.preview(world.admin, world.association.id, "people.csv", GOOD.encode())
    assert again.is_valid and again.change_count == 0
    services.apply(world.admin, world.association.id, "people.csv", GOOD.encode())
    db.session.commit()
    assert counts() == before


def test_an_excel_workbook_imports_like_the_csv(world):
    data = xlsx(GOOD)
    plan = services.preview(world.admin, world.association.id, "people.xlsx", data)
    assert plan.is_valid, plan.errors
    assert [row.email for row in plan.rows] == ["sue@x.test", "ann@x.test", "trainee2@x.test"]
    services.apply(world.admin, world.association.id, "people.xlsx", data)
    db.session.commit()
    # the same people as a CSV: already there
    assert services.preview(world.admin, world.association.id, "people.csv", GOOD.encode()).change_count == 0


def test_a_supervisor_must_exist_or_be_added_by_the_same_file(world):
    text = HEADER + "ann@x.test,Ann,trainee,leaders,nobody@x.test,\n"
    plan = services.preview(world.admin, world.association.id, "p.csv", text.encode())
    assert [(e.row, e.column) for e in plan.errors] == [(2, "supervisors")]


def test_the_same_person_and_role_twice_is_an_error_on_the_second_row(world):
    text = HEADER + "ann@x.test,Ann,trainee,,,\nANN@x.test,Ann,trainee,,,\n"
    plan = services.preview(world.admin, world.association.id, "p.csv", text.encode())
    assert [(e.row, e.column) for e in plan.errors] == [(3, "email")]
    assert "already on row 2" in plan.errors[0].message


def test_programmes_of_another_association_are_unknown(world):
    text = HEADER + "ann@x.test,Ann,trainee,leaders,admin@other.test,\n"
    plan = services.preview(world.other_admin, world.other.id, "p.csv", text.encode())
    assert {(e.row, e.column) for e in plan.errors} == {(2, "programme"), (2, "supervisors")}


def test_only_admins_import(world):
    with pytest.raises(Forbidden):
        services.preview(world.supervisor, world.association.id, "p.csv", GOOD.encode())


def test_large_and_long_files_are_refused_with_a_clear_message(world):
    with pytest.raises(ValidationError, match="larger than 256 kB"):
        services.preview(world.admin, world.association.id, "p.csv", b"x" * (reading.MAX_BYTES + 1))
    rows = HEADER + "".join(f"p{i}@x.test,P {i},trainee,,,\n" for i in range(reading.MAX_ROWS + 1))
    with pytest.raises(ValidationError, match="more than 1000 rows"):
        services.preview(world.admin, world.association.id, "p.csv", rows.encode())
    with pytest.raises(ValidationError, match="CSV file or an Excel workbook"):
        services.preview(world.admin, world.association.id, "p.pdf", b"%PDF-1.4")
    plan = services.preview(world.admin, world.association.id, "p.csv", b"name,role\nAnn,trainee\n")
    assert "no email column" in plan.file_errors[0]


def test_semicolon_csv_and_a_byte_order_mark_are_read(world):
    text = "\ufeffE-mail;Name;Role\nann@x.test;Ann;trainee\n".replace("E-mail", "email")
    plan = services.preview(world.admin, world.association.id, "p.csv", text.encode("utf-8"))
    assert plan.is_valid and plan.rows[0].name == "Ann"


def test_the_template_is_a_csv_with_the_columns(client, world):
    client.login("admin@x.test")
    response = client.get("/admin/import/template.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == ",".join(services.COLUMNS)
    # the template itself imports without a problem once its programme exists
    plan = services.preview(
        world.admin, world.association.id, "t.csv", response.get_data().replace(b"leaders", b"leaders")
    )
    assert plan.is_valid


def test_upload_preview_and_confirm_over_http(client, world):
    client.login("admin@x.test")
    before = counts()
    bad = upload(client, "people.csv", BAD.encode())
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "5 problems in the file." in html
    assert "Nothing has been written" in html
    assert 'action="/admin/import/confirm"' not in html
    assert counts() == before

    good = upload(client, "people.xlsx", xlsx(GOOD))
    assert good.status_code == 200
    html = good.get_data(as_text=True)
    assert "3 rows checked, no problems" in html
    assert "enrolled on Leader training" in html
    done = confirm(client, html)
    assert "Imported: 2 new accounts, 2 roles granted, 2 enrolments." in done.get_data(as_text=True)

    third = upload(client, "people.xlsx", xlsx(GOOD)).get_data(as_text=True)
    assert "Nothing to change" in third
    assert 'action="/admin/import/confirm"' not in third


def test_a_tampered_confirmation_with_errors_writes_nothing(client, world):
    import base64

    client.login("admin@x.test")
    page = client.get("/admin/import").get_data(as_text=True)
    before = counts()
    response = client.post(
        "/admin/import/confirm",
        data={
            "csrf_token": csrf_token_in(page),
            "file_name": "people.csv",
            "file_data": base64.b64encode(BAD.encode()).decode(),
        },
    )
    assert response.status_code == 422
    assert "Nothing was imported" in response.get_data(as_text=True)
    assert counts() == before


def test_an_unreadable_confirmation_is_sent_back_to_the_upload_form(client, world):
    import base64

    client.login("admin@x.test")
    page = client.get("/admin/import").get_data(as_text=True)
    response = client.post(
        "/admin/import/confirm",
        data={
            "csrf_token": csrf_token_in(page),
            "file_name": "people.xlsx",
            "file_data": base64.b64encode(b"PK\x03\x04 not a workbook").decode(),
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "This Excel file could not be read" in response.get_data(as_text=True)


def test_a_person_with_an_account_elsewhere_is_told_they_joined(world):
    text = HEADER + "admin@other.test,,trainee,,,\n"
    services.apply(world.admin, world.association.id, "p.csv", text.encode())
    db.session.commit()
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "admin@other.test")
    ).one()
    assert "added you to Balint Society X" in message.body
    assert find_user_by_email("admin@other.test").password_hash != services.UNUSABLE_PASSWORD

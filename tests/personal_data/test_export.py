"""A person downloads everything the app holds about them, and nothing of anyone else."""

from __future__ import annotations

import io
import json
import zipfile

from app.api import tokens as token_service
from app.api.models import SCOPE_READ
from app.extensions import db
from tests.logbook.fixtures import a_session, create, signed


def _archive(client) -> zipfile.ZipFile:
    response = client.get("/account/data/export")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="stillpoint-my-data-')
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_archive_holds_the_persons_records_reports_and_pdfs(client, world, certificate):
    create(world, a_session(reflection="I noticed my own impatience."))
    token_service.create_personal_token(world.trainee, name="my script", scope=SCOPE_READ)
    db.session.commit()
    client.login("trainee@x.test")
    archive = _archive(client)
    names = set(archive.namelist())
    assert {"README.txt", "person.json", "logbook.json", "certificates.json", "api_tokens.json"} <= names
    person = json.loads(archive.read("person.json"))
    assert person["account"]["email"] == "trainee@x.test"
    assert "password_hash" not in person["account"]
    records = json.loads(archive.read("logbook.json"))["records"]
    assert "I noticed my own impatience." in {r["kind_details"].get("reflection") for r in records}
    tokens = json.loads(archive.read("api_tokens.json"))
    assert [t["name"] for t in tokens] == ["my script"] and "token_hash" not in tokens[0]
    certificates = json.loads(archive.read("certificates.json"))
    assert [c["serial"] for c in certificates] == [certificate.serial]
    pdfs = [name for name in names if name.startswith("pdf/")]
    assert any(name.startswith("pdf/logbook-") for name in pdfs)
    assert any(name.startswith("pdf/certificate-") for name in pdfs)
    assert all(archive.read(name).startswith(b"%PDF") for name in pdfs)


def test_the_archive_holds_nothing_of_other_people(client, world):
    signed(world, a_session(reflection="The trainee's own words."))
    client.login("trainee2@x.test")
    archive = _archive(client)
    everything = b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".json"))
    assert b"trainee@x.test" not in everything
    assert b"The trainee's own words." not in everything
    assert json.loads(archive.read("logbook.json"))["records"] == []


def test_downloading_is_audited(client, world):
    from app.audit.models import AuditEvent

    client.login("trainee@x.test")
    _archive(client)
    actions = [e.action for e in db.session.query(AuditEvent).filter_by(actor_id=world.trainee.id)]
    assert "personal_data.exported" in actions

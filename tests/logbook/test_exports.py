"""The portfolio exports: every record in one CSV, and the signed logbook as a PDF a committee can read."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.logbook import exports, signoff
from app.programmes import services as programmes
from tests.logbook.fixtures import (
    a_session,
    a_supervision,
    accredit,
    an_event,
    an_observation,
    create,
    signed,
)


@pytest.fixture
def logbook(world):
    """Signed: two sessions (one co-leader confirmed), supervision, an event, an observation; plus a draft,
    a submitted record and a reopened one."""
    from app.logbook import records

    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    accredit(world.supervisor2, world.association)
    confirmed = create(world, a_session(co_leader_name="", co_leader_id=world.supervisor2.id), submit=True)
    signoff.confirm(world.supervisor2, world.association.id, confirmed.id)
    db.session.commit()
    sessions = [signed(world, a_session(minutes=60, cases=1, role="leader")), confirmed]
    signoff.sign(world.supervisor, world.association.id, confirmed.id)
    supervision = signed(world, a_supervision(world.supervisor.id, minutes=45))
    event = signed(world, an_event())
    observation = records.create_record(
        world.supervisor2, world.association.id, world.enrolment.id, an_observation(), submit=True
    )
    signoff.sign(world.supervisor2, world.association.id, observation.id)
    create(world, a_session(role="member", co_leader_name="", reflection="", minutes=30))
    create(world, a_session(minutes=120), submit=True)
    corrected = signed(world, a_session(minutes=75))
    new_version = signoff.reopen(world.admin, world.association.id, corrected.id, "Wrong length")
    db.session.commit()
    return {
        "sessions": sessions,
        "supervision": supervision,
        "event": event,
        "observation": observation,
        "corrected": corrected,
        "new_version": new_version,
    }


def _csv(client, world) -> list[dict[str, str]]:
    response = client.get(f"/logbook/enrolments/{world.enrolment.id}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_has_every_record_with_its_type_status_and_signature(world, client, logbook):
    client.login("trainee@x.test")
    rows = _csv(client, world)
    assert len(rows) == 9
    assert [row["record_type"] for row in rows].count("session") == 6
    by_id = {int(row["record_id"]): row for row in rows}
    confirmed = logbook["sessions"][1]
    row = by_id[confirmed.id]
    assert row["status"] == "signed" and row["role"] == "co-leader" and row["minutes"] == "90"
    assert row["hours"] == "1.5" and row["members"] == "8" and row["cases"] == "2"
    assert row["co_leader"] == "Sara Second" and row["co_leader_accredited"] == "yes"
    assert row["co_leader_confirmed_at"]
    assert row["phases"] == "opening presentation questions push-back return closing"
    assert row["signed_by"] == "Sven Supervisor" and row["content_hash"] == confirmed.content_hash
    supervision = by_id[logbook["supervision"].id]
    assert (supervision["minutes"], supervision["supervisor"], supervision["channel"]) == (
        "45",
        "Sven Supervisor",
        "online",
    )
    event = by_id[logbook["event"].id]
    assert (event["date"], event["end_date"], event["days"], event["provider"]) == (
        "2025-02-07",
        "2025-02-08",
        "2",
        "Balint Society UK",
    )
    observation = by_id[logbook["observation"].id]
    assert (observation["observer"], observation["outcome"], observation["signed_by"]) == (
        "Sara Second",
        "satisfactory",
        "Sara Second",
    )
    assert by_id[logbook["corrected"].id]["is_current"] == "no"
    new = by_id[logbook["new_version"].id]
    assert (new["status"], new["supersedes_record_id"], new["reopen_reason"]) == (
        "draft",
        str(logbook["corrected"].id),
        "Wrong length",
    )


def test_csv_defuses_text_that_a_spreadsheet_would_run(world, client):
    create(world, a_session(setting='=HYPERLINK("http://evil.invalid")', reflection="-2+3 and more"))
    client.login("trainee@x.test")
    row = _csv(client, world)[0]
    assert row["setting"].startswith("'=")
    assert row["text"].startswith("'-")


def _pdf_text(client, world) -> str:
    """The PDF as a person gets it: started as a job (run at once here), then downloaded."""
    started = client.submit(f"/logbook/enrolments/{world.enrolment.id}/export.pdf", {})
    assert started.status_code == 302
    response = client.get(started.headers["Location"] + "/download")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_has_cover_tables_totals_and_a_line_per_signature(world, client, logbook):
    client.login("admin@x.test")
    text = _pdf_text(client, world)
    flat = re.sub(r"\s+", " ", text)
    # Cover
    assert "BALINT SOCIETY X" in flat and "Tomas Trainee" in flat and "Leader training" in flat
    assert "Sven Supervisor, Sara Second" in flat or "Sara Second, Sven Supervisor" in flat
    assert "2 group sessions · 1 supervision session · 1 training event · 1 observation" in flat
    # Totals of signed records only: a leader hour and a co-leader 1.5 h; the draft, the
    # submitted record and the reopened version are left out.
    assert re.search(r"Co-leader 1 1\.5 2", flat)
    assert re.search(r"Leader 1 1 1", flat)
    assert re.search(r"All sessions 2 2\.5 3", flat)
    assert re.search(r"All supervision 1 0\.75", flat)
    assert re.search(r"Leadership workshop 1 2", flat)
    # Tables
    assert "Leadership weekend for new leaders" in flat
    assert "The trainee protected the presenter" in flat
    # Signatures: one line each, with who, when and the full hash.
    hashes = re.sub(r"\s+", "", text)
    for record in [*logbook["sessions"], logbook["supervision"], logbook["event"], logbook["observation"]]:
        db.session.refresh(record)
        assert record.content_hash in hashes
        assert f"No. {record.id}" in flat
    assert logbook["corrected"].content_hash not in hashes
    assert flat.count("signed by Sven Supervisor") == 4
    assert flat.count("signed by Sara Second") == 1
    assert "confirmed by co-leader Sara Second" in flat


def test_pdf_of_an_empty_logbook_says_so(world, client):
    client.login("trainee@x.test")
    flat = re.sub(r"\s+", " ", _pdf_text(client, world))
    assert "No signed group sessions." in flat and "No record has been signed yet." in flat


def test_exports_are_for_whoever_may_see_the_logbook(world, client):
    url = f"/logbook/enrolments/{world.enrolment.id}/export.csv"
    client.login("sup2@x.test")
    assert client.get(url).status_code == 403
    client.logout()
    client.login("admin@other.test")
    assert client.get(url).status_code == 404


def test_file_name_names_the_trainee(world):
    assert exports.file_name(world.enrolment, "pdf").startswith("logbook-tomas-trainee-")

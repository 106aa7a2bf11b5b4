"""Signed is final: the services, the pages and the database itself refuse to change a signed record."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.errors import InvalidState
from app.extensions import db
from app.logbook import records, signoff, triggers
from app.logbook.models import CoLeaderConfirmation, LogbookRecord, RecordStatus
from tests.logbook.fixtures import a_session, accredit, create, signed

pytestmark = pytest.mark.both_databases  # its subject differs by database


def _execute(sql: str, **params) -> None:
    db.session.execute(sa.text(sql), params)
    db.session.flush()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE logbook_record SET status = 'draft' WHERE id = :id",
        "UPDATE logbook_record SET occurred_on = '2020-01-01' WHERE id = :id",
        "UPDATE logbook_record SET content_hash = 'forged' WHERE id = :id",
        "UPDATE logbook_session SET minutes = 600 WHERE id = :id",
        "UPDATE logbook_session SET reflection = 'rewritten' WHERE id = :id",
        "DELETE FROM logbook_session WHERE id = :id",
        "DELETE FROM logbook_record WHERE id = :id",
    ],
)
def test_database_refuses_to_change_or_delete_a_signed_record(world, statement):
    record = signed(world)
    with pytest.raises(sa.exc.IntegrityError, match="signed record is final"):
        _execute(statement, id=record.id)
    db.session.rollback()
    row = db.session.execute(
        sa.text("SELECT status, content_hash FROM logbook_record WHERE id = :id"), {"id": record.id}
    ).one()
    assert row.status == "signed"
    assert row.content_hash == record.content_hash


def test_database_refuses_to_change_the_other_kinds_once_signed(world):
    from tests.logbook.fixtures import a_supervision, an_event

    supervision = signed(world, a_supervision(world.supervisor.id))
    event = signed(world, an_event())
    for statement in (
        "UPDATE logbook_supervision SET minutes = 15 WHERE id = :id",
        "UPDATE logbook_event SET days = 1 WHERE id = :id",
    ):
        target = supervision if "supervision" in statement else event
        with pytest.raises(sa.exc.IntegrityError):
            _execute(statement, id=target.id)
        db.session.rollback()


def test_database_refuses_to_rewrite_or_remove_a_confirmation_beside_a_signed_record(world):
    accredit(world.supervisor, world.association)
    record = create(world, a_session(co_leader_name="", co_leader_id=world.supervisor2.id), submit=True)
    signoff.confirm(world.supervisor2, world.association.id, record.id)
    signoff.sign(world.supervisor, world.association.id, record.id)
    db.session.commit()
    confirmation = db.session.scalar(sa.select(CoLeaderConfirmation))
    for statement in (
        "UPDATE logbook_confirmation SET confirmed_at = confirmed_at WHERE id = :id",
        "DELETE FROM logbook_confirmation WHERE id = :id",
    ):
        with pytest.raises(sa.exc.IntegrityError):
            _execute(statement, id=confirmation.id)
        db.session.rollback()


def test_database_lets_unsigned_records_change(world):
    draft = create(world)
    _execute("UPDATE logbook_session SET minutes = 120 WHERE id = :id", id=draft.id)
    _execute("UPDATE logbook_record SET status = 'submitted' WHERE id = :id", id=draft.id)
    db.session.commit()
    assert db.session.scalar(sa.text("SELECT minutes FROM logbook_session")) == 120


def test_services_refuse_to_edit_submit_delete_or_return_a_signed_record(world):
    record = signed(world)
    attempts = [
        lambda: records.update_record(world.trainee, world.association.id, record.id, a_session(minutes=60)),
        lambda: records.submit_record(world.trainee, world.association.id, record.id),
        lambda: records.delete_record(world.trainee, world.association.id, record.id),
        lambda: signoff.sign(world.supervisor, world.association.id, record.id),
        lambda: signoff.return_record(world.supervisor, world.association.id, record.id, "Please change it"),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidState):
            attempt()
    db.session.rollback()
    assert db.session.get(LogbookRecord, record.id).status == RecordStatus.SIGNED


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/logbook/records/{id}/edit", {}),
        ("POST", "/logbook/records/{id}/edit", {"minutes": "60", "save": "Save as draft"}),
        ("POST", "/logbook/records/{id}/submit", {"confirm_final": "y"}),
        ("POST", "/logbook/records/{id}/delete", {}),
    ],
)
def test_pages_answer_409_to_changing_a_signed_record(world, client, method, path, data):
    record = signed(world)
    client.login("trainee@x.test")
    token_page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    from tests.helpers import csrf_token_in

    url = path.format(id=record.id)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"csrf_token": csrf_token_in(token_page), **data})
    assert response.status_code == 409
    assert "signed and final" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(LogbookRecord, record.id).minutes == 90


def test_supervisor_cannot_sign_or_return_a_signed_record_over_http(world, client):
    record = signed(world)
    client.login("sup@x.test")
    from tests.helpers import csrf_token_in

    token = csrf_token_in(client.get(f"/logbook/records/{record.id}").get_data(as_text=True))
    assert (
        client.post(
            f"/logbook/records/{record.id}/sign", data={"csrf_token": token, "confirm_final": "y"}
        ).status_code
        == 409
    )
    response = client.post(
        f"/logbook/records/{record.id}/return", data={"csrf_token": token, "comment": "Change the date"}
    )
    assert response.status_code == 409


def test_trigger_statements_exist_for_both_databases_and_cover_every_table():
    for dialect in ("sqlite", "postgresql"):
        statements = " ".join(triggers.TRIGGER_STATEMENTS[dialect])
        for table in triggers.TABLES:
            assert f"ON {table}" in statements, (dialect, table)
        assert triggers.DROP_STATEMENTS[dialect]


def test_signature_hash_is_the_sha256_of_the_canonical_content(world):
    import hashlib
    import json

    record = signed(world)
    content = json.loads(record.canonical_json())
    assert content["minutes"] == 90
    assert content["id"] == record.id
    assert record.content_hash == hashlib.sha256(record.canonical_json().encode()).hexdigest()
    assert record.content_hash == record.compute_hash()

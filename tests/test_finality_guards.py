"""Every finality guard holds on a database built by the migrations, against every way to write.

Each guarded table × UPDATE, DELETE and REPLACE (SQLite's ``INSERT OR REPLACE``;
PostgreSQL's ``INSERT ... ON CONFLICT DO UPDATE``), on a fresh SQLite file and a fresh
PostgreSQL database upgraded with ``flask db upgrade``, not built by ``create_all``. The
triggers of the two kinds of database are compared too, so ``create_all`` test databases
stay guarded like real ones.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.programmes import services as programmes
from app.requirements import reports
from tests.conftest import _on_postgres_server, _test_config
from tests.logbook.fixtures import (
    a_session,
    a_supervision,
    accredit,
    an_event,
    an_observation,
    create,
    signed,
)

UK = (Path(__file__).resolve().parents[1] / "curriculum" / "programmes" / "uk-style.yaml").read_text()
RATINGS = {"safe-frame": 4, "relationship-focus": 3, "group-processes": 3, "own-style": 4, "development": 5}


@pytest.fixture(scope="module")
def migrated_url(backend, tmp_path_factory, request):
    """A database built by ``flask db upgrade`` alone, once per backend for this module."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('migrated') / 'migrated.sqlite3'}"
    else:
        base = sa.make_url(request.config.getoption("--postgres-url"))
        url = base.set(database=f"stillpoint_guards_{os.getpid()}").render_as_string(hide_password=False)
        try:
            _on_postgres_server(url, f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)')
        except sa.exc.OperationalError as error:
            pytest.skip(f"PostgreSQL not reachable: {error.orig}")
        _on_postgres_server(url, f'CREATE DATABASE "{sa.make_url(url).database}"')
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    if backend == "postgresql":
        _on_postgres_server(url, f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)')


@pytest.fixture
def app_config(migrated_url, tmp_path_factory):
    files = tmp_path_factory.mktemp("files")
    return {
        **_test_config(migrated_url),
        "LOGBOOK_UPLOAD_DIR": str(files / "uploads"),
        "CERTIFICATE_KEY_DIR": str(files / "keys"),
        "CERTIFICATE_LOGO_DIR": str(files / "logos"),
    }


# -- one final row of each guarded table ---------------------------------------------------


def _signed_record(world):
    return signed(world).id


def _signed_supervision(world):
    return signed(world, a_supervision(world.supervisor.id)).id


def _signed_event(world):
    return signed(world, an_event()).id


def _signed_observation(world):
    from app.logbook import records, signoff

    accredit(world.supervisor, world.association)
    record = records.create_record(
        world.supervisor, world.association.id, world.enrolment.id, an_observation(), submit=True
    )
    signoff.sign(world.supervisor, world.association.id, record.id)
    db.session.commit()
    return record.id


def _confirmation_beside_signed(world):
    from app.logbook import signoff
    from app.logbook.models import CoLeaderConfirmation

    accredit(world.supervisor, world.association)
    record = create(world, a_session(co_leader_name="", co_leader_id=world.supervisor2.id), submit=True)
    signoff.confirm(world.supervisor2, world.association.id, record.id)
    signoff.sign(world.supervisor, world.association.id, record.id)
    db.session.commit()
    return db.session.scalar(sa.select(CoLeaderConfirmation.id))


def _signed_report(world):
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="uk", title="UK", rule_set_source=UK
    )
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2024, 1, 1),
    )
    report = reports.save_report(
        world.supervisor,
        enrolment.id,
        kind="final",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2025, 12, 1),
        ratings=RATINGS,
        narrative="Holds the frame well.",
        recommendation="ready",
    )
    reports.sign_report(world.supervisor, report.id)
    db.session.commit()
    return report.id


def _issued_certificate(world):
    from app.certificates import issuing
    from tests.certificates.conftest import make_ready

    make_ready(world.enrolment, world.supervisor)
    certificate = issuing.issue(world.admin, world.enrolment.id, today=dt.date(2026, 3, 5))
    db.session.commit()
    return certificate.id


def _stored_pdf(world):
    from app.documents.models import StoredDocument

    _issued_certificate(world)
    return db.session.scalar(sa.select(StoredDocument.id).order_by(StoredDocument.id).limit(1))


def _accepted_reflection(world):
    from tests.vignettes.helpers import decided

    return decided(world, "accepted").id


def _feedback(world):
    from tests.vignettes.helpers import decided

    return decided(world, "revision_requested").feedback.id


def _decided_application(world):
    from app.applications import services
    from tests.applications.conftest import ready_application, with_panel

    application = with_panel(world, ready_application(world))
    services.decide(
        world.admin, world.association.id, application.id, decision="decline", reasons="Too early."
    )
    db.session.commit()
    return application.id


def _panel_review(world):
    from app.applications import services
    from tests.applications.conftest import ready_application

    application = ready_application(world)
    services.add_panel_member(world.admin, world.association.id, application.id, world.supervisor.id)
    review = services.record_review(
        world.supervisor, world.association.id, application.id, "accredit", "Meets every rule."
    )
    db.session.commit()
    return review.id


#: table -> (how to make a final row, a change the guard must refuse, its message)
GUARDED = {
    "logbook_record": (_signed_record, "occurred_on = '2020-01-01'", "signed record is final"),
    "logbook_session": (_signed_record, "minutes = 600", "signed record is final"),
    "logbook_supervision": (_signed_supervision, "minutes = 15", "signed record is final"),
    "logbook_event": (_signed_event, "days = 1", "signed record is final"),
    "logbook_observation": (_signed_observation, "outcome = 'unsatisfactory'", "signed record is final"),
    "logbook_confirmation": (_confirmation_beside_signed, "confirmed_at = NULL", "signed record is final"),
    "competency_report": (_signed_report, "narrative = 'rewritten'", "signed report is final"),
    "certificate": (_issued_certificate, "holder_name = 'Forged Name'", "issued certificate is final"),
    "stored_document": (_stored_pdf, "reason = 'rewritten'", "stored bytes are final"),
    "reflection": (_accepted_reflection, "vignette_slug = 'elsewhere'", "decided reflection"),
    "reflection_feedback": (_feedback, "overall_comment = 'rewritten'", "decided reflection"),
    "accreditation_application": (
        _decided_application,
        "decision_reasons = 'rewritten'",
        "decided application",
    ),
    "accreditation_panel_review": (_panel_review, "reasons = 'rewritten'", "decided application"),
}

OPERATIONS = ("update", "delete", "replace")


def _statement(dialect: str, table: str, operation: str, change: str) -> str:
    if operation == "update":
        return f"UPDATE {table} SET {change} WHERE id = :id"  # noqa: S608 - constants
    if operation == "delete":
        return f"DELETE FROM {table} WHERE id = :id"  # noqa: S608
    if dialect == "sqlite":
        return f"INSERT OR REPLACE INTO {table} SELECT * FROM {table} WHERE id = :id"  # noqa: S608
    return (
        f"INSERT INTO {table} SELECT * FROM {table} WHERE id = :id "  # noqa: S608
        f"ON CONFLICT (id) DO UPDATE SET {change}"
    )


def _snapshot(table: str, row_id: int):
    return db.session.execute(sa.text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id}).one()  # noqa: S608


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("table", list(GUARDED))
def test_each_guard_refuses_each_way_to_change_a_final_row(world, table, operation):
    make, change, message = GUARDED[table]
    row_id = make(world)
    before = _snapshot(table, row_id)
    statement = _statement(db.engine.dialect.name, table, operation, change)
    with pytest.raises(sa.exc.IntegrityError, match=message):
        db.session.execute(sa.text(statement), {"id": row_id})
    db.session.rollback()
    assert _snapshot(table, row_id) == before


def test_every_app_connection_to_sqlite_fires_delete_guards_on_replace(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("a pragma of SQLite")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA recursive_triggers").scalar() == 1


def test_replace_is_refused_even_on_a_connection_we_did_not_configure(world, migrated_url):
    """The ``sqlite3`` shell has no pragma of ours: the BEFORE INSERT guards still hold."""
    if not migrated_url.startswith("sqlite"):
        pytest.skip("REPLACE is SQLite's")
    record_id = _signed_record(world)
    report_id = _signed_report(world)
    db.session.remove()
    connection = sqlite3.connect(sa.make_url(migrated_url).database)
    try:
        assert connection.execute("PRAGMA recursive_triggers").fetchone() == (0,)
        for table, row_id in (
            ("logbook_record", record_id),
            ("logbook_session", record_id),
            ("competency_report", report_id),
        ):
            replace = f"INSERT OR REPLACE INTO {table} SELECT * FROM {table} WHERE id = ?"  # noqa: S608
            with pytest.raises(sqlite3.IntegrityError, match="is final"):
                connection.execute(replace, (row_id,))
            connection.rollback()
    finally:
        connection.close()


def _triggers(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            else:
                query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            return set(connection.exec_driver_sql(query).scalars())
    finally:
        engine.dispose()


def test_migrations_and_create_all_install_the_same_guards(migrated_url, database_url):
    migrated = _triggers(migrated_url)
    assert migrated == _triggers(database_url)
    for table in GUARDED:
        assert any(name.startswith(table) for name in migrated), table


# -- the portfolio's hash: NULL while the job renders the PDF, then set once --------------


def _refused(statement: str, params: dict) -> None:
    with pytest.raises(sa.exc.IntegrityError, match="decided application"), db.session.begin_nested():
        db.session.execute(sa.text(statement), params)


def test_the_portfolio_hash_goes_from_null_to_a_value_once_and_is_final_after(world):
    """An application waits for its portfolio with a NULL hash (flushed, not committed: the job
    that stores the PDF is queued only on commit). The guard lets the hash be set once, and
    refuses a decision without it, a second value, clearing it, and the frozen columns as before."""
    from app.applications import services
    from tests.logbook.fixtures import signed as signed_record

    signed_record(world)
    application = services.apply(world.trainee, world.association.id, world.enrolment.id)
    db.session.flush()
    row = {"id": application.id, "admin": world.admin.id}
    update = "UPDATE accreditation_application SET {} WHERE id = :id"
    assert (
        db.session.scalar(
            sa.text("SELECT portfolio_sha256 FROM accreditation_application WHERE id = :id"), row
        )
        is None
    )
    decided_without_portfolio = (
        "status = 'declined', decision = 'decline', decision_reasons = 'Too early.', "
        "decided_at = CURRENT_TIMESTAMP, decided_by_id = :admin, signature_sha256 = 'signed'"
    )
    _refused(update.format(decided_without_portfolio), row)
    _refused(update.format("snapshot_json = '{}'"), row)

    with db.session.begin_nested():  # the job's one change: NULL -> the stored PDF's hash
        db.session.execute(sa.text(update.format("portfolio_sha256 = :hash")), {**row, "hash": "a" * 64})

    for change in ("portfolio_sha256 = :hash", "portfolio_sha256 = NULL"):
        _refused(update.format(change), {**row, "hash": "b" * 64})
    assert (
        db.session.scalar(
            sa.text("SELECT portfolio_sha256 FROM accreditation_application WHERE id = :id"), row
        )
        == "a" * 64
    )
    db.session.rollback()


@pytest.mark.parametrize("change", ["portfolio_sha256 = NULL", "portfolio_sha256 = 'forged'"])
def test_a_decided_application_keeps_its_portfolio_hash(world, change):
    application_id = _decided_application(world)
    before = _snapshot("accreditation_application", application_id)
    assert before.portfolio_sha256 is not None
    _refused(f"UPDATE accreditation_application SET {change} WHERE id = :id", {"id": application_id})  # noqa: S608
    db.session.rollback()
    assert _snapshot("accreditation_application", application_id) == before

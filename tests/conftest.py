"""Test fixtures: the app on SQLite and on PostgreSQL, real forms with CSRF, a live server.

Every database test runs twice, once per backend (the ``[sqlite]`` and ``[postgresql]``
ids), except these, which run once, on PostgreSQL, the database production runs on:
the tests through the HTTP ``client`` (about pages and forms, whose services have tests
of their own on both; the authorization matrix still renders every page for every role
on both, and a test whose page does differ by database is marked ``both_databases``),
the browser tests, the API fuzz test and the few tests marked ``production_database``
whose subject no database changes (the route table, rendering in two processes).
``--backend sqlite`` still runs them all on SQLite. The schema is built once per backend, and the app once per
process and settings; after each test every table is emptied and the settings are put
back, so tests never see each other's rows. When PostgreSQL cannot be reached the
PostgreSQL half is skipped with the reason, and the summary says so plainly; under
CI (``CI=true``) an unreachable PostgreSQL is an error instead.
"""

from __future__ import annotations

import gc
import os
import smtplib
import sqlite3
from collections import OrderedDict

import pytest
import sqlalchemy as sa
from flask import Flask

from app import create_app
from app.extensions import db, limiter
from app.jobs import queue as jobs_queue
from tests.fixtures import routing_cache, template_cache
from tests.fixtures.browser import browser, live_server, page  # noqa: F401
from tests.fixtures.world import make_user, world  # noqa: F401
from tests.helpers import FormClient

routing_cache.install()
template_cache.install()

# The garbage collector's default (a collection every 700 new container objects) runs
# thousands of times a test here: every ORM row, query and template context is a few
# such objects. Collecting every 50,000, with the objects alive at the start (the app's
# modules, metadata and templates) moved out of its reach by ``gc.freeze``, took a fifth
# off the logbook tests' time in one process (107 s to 87 s). Objects without cycles are
# still freed at once; only cyclic garbage waits a little longer.
gc.set_threshold(50_000, 20, 20)


def pytest_sessionstart(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


#: The tests that take tens of seconds each: the browser's, the two servers', the
#: authorization matrix and the API fuzz test.
_LONG_FILES = ("tests/authz/test_matrix.py", "tests/api/test_fuzz.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The long tests first (a stable sort keeps the rest in their order). Two workers
    share the tests; one of them starting a 70-second page sweep near the end would keep
    the other idle for that long. (Measured: no change beyond the runs' noise.)"""
    items.sort(key=lambda item: (not _is_long(item), _backend(item)))


def _backend(item: pytest.Item) -> str:
    """Within each part the tests stay grouped by database, as pytest ordered them: each
    change of backend in a worker drops and builds that database's schema again."""
    callspec = getattr(item, "callspec", None)
    return str(callspec.params.get("backend", "")) if callspec else ""


def _is_long(item: pytest.Item) -> bool:
    marked = item.get_closest_marker("browser") or item.get_closest_marker("multiserver")
    return bool(marked) or item.nodeid.startswith(_LONG_FILES)


# One database per test process (by process id), created and dropped by the run, so that
# two runs on one machine, and the xdist workers of one run, never empty each other's tables.
DEFAULT_POSTGRES_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/stillpoint_test_{os.getpid()}"
_postgres_problem: list[str] = []
_measurements: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL database for the PostgreSQL half of the suite (created if missing).",
    )
    parser.addoption(
        "--backend",
        choices=["both", "sqlite", "postgresql"],
        default=os.environ.get("TEST_BACKEND", "both"),
        help="Run the database tests on one backend only (default: both).",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("--backend")
        backends = ["sqlite", "postgresql"] if chosen == "both" else [chosen]
        marked = metafunc.definition.get_closest_marker
        once = marked("production_database") or marked("browser")
        # A test through the HTTP client is about the page: it runs on PostgreSQL, where
        # production runs. The services it calls are tested on both databases, and the
        # authorization matrix renders every page for every role on both.
        once = once or ("client" in metafunc.fixturenames and not marked("both_databases"))
        if chosen == "both" and once:
            backends = ["postgresql"]
        metafunc.parametrize("backend", backends, scope="session")


def _on_postgres_server(url: str, statement: str) -> None:
    """Run a statement on the server's own database (to create or drop a test database)."""
    admin = sa.create_engine(sa.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(statement))
    finally:
        admin.dispose()


def _ensure_postgres_database(url: str) -> None:
    """A fresh, empty test database: dropped first if a crashed run left it behind.

    Its commits do not wait for the write-ahead log to reach the disk: a scratch database
    need not survive a crash, and the suite commits thousands of times.
    """
    name = sa.make_url(url).database
    _on_postgres_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _on_postgres_server(url, f'CREATE DATABASE "{name}"')
    _on_postgres_server(url, f'ALTER DATABASE "{name}" SET synchronous_commit = off')


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, connection_record) -> None:
    """The SQLite half's scratch files are not synced to disk on each commit (see above)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.close()


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory, request):
    """A database with the full schema, built once per backend for the whole session."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        url = _per_worker(request.config.getoption("--postgres-url"))
        try:
            _ensure_postgres_database(url)
        except sa.exc.OperationalError as error:
            reason = f"PostgreSQL not reachable at {sa.make_url(url).render_as_string()}: {error.orig}"
            if os.environ.get("CI"):
                pytest.fail(f"{reason} (CI must run the PostgreSQL half)")
            pytest.skip(f"{reason}; PostgreSQL run skipped")
    app = create_app(_test_config(url))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield url
    _forget_apps(url)
    if backend == "postgresql" and (url == DEFAULT_POSTGRES_URL or _xdist_worker()):
        _on_postgres_server(url, f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)')


def _xdist_worker() -> str:
    """``gw0``, ``gw1``... in a pytest-xdist worker (``bin/test`` runs two); empty otherwise."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def _per_worker(url: str) -> str:
    """A database of this worker's own: a named ``TEST_POSTGRES_URL`` gains the worker's id.

    (The default name already carries the process id, which differs per worker.)
    """
    worker = _xdist_worker()
    if not worker or url == DEFAULT_POSTGRES_URL:
        return url
    parsed = sa.make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


def _test_config(url: str) -> dict[str, object]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-1234567890",
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PASSWORD_HASH_PROFILE": "minimum",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        "BASE_URL": "http://localhost",
        # Jobs run inside the caller, for tests about the caller; tests of the queue
        # itself (tests/jobs/) run real workers on SQLite and Redis queues instead.
        "JOB_QUEUE_IMMEDIATE": True,
    }


@pytest.fixture
def app_config(database_url: str) -> dict[str, object]:
    """Override in a test module (or update in a test before ``app``) to change settings.

    The app writes no files of its own (uploads, signing keys and logos are in the
    database), so the settings need no folder per test.
    """
    return _test_config(database_url)


@pytest.fixture(scope="session")
def old_upload_folder(tmp_path_factory: pytest.TempPathFactory):
    """Where uploads went before migration 0046: a test names it in the settings and
    checks that nothing is written there (one folder per run, so the app is reused)."""
    return tmp_path_factory.mktemp("old-uploads")


# Apps already built in this process, by their settings (most recently used last).
_apps: OrderedDict[str, Flask] = OrderedDict()
_KEPT_APPS = 4


@pytest.fixture
def app(app_config: dict[str, object], request: pytest.FixtureRequest):
    """The app for these settings, built once per process and reused by every test with
    the same settings (building one is most of a small test's cost). A test that
    changes the app itself (adds a route) is marked ``fresh_app`` and gets its own.

    What a test may change on it is put back afterwards: the settings it edits, the
    throttle's counts, the shared job queue (which another app may have pointed
    elsewhere), and every row it wrote.
    """
    fresh = request.node.get_closest_marker("fresh_app") is not None
    app = _new_app(app_config) if fresh else _app_for(app_config)
    settings = dict(app.config)
    jobs_queue.init_app(app)
    with app.app_context():
        limiter.reset()
        try:
            yield app
        finally:
            db.session.remove()
            _empty_all_tables()
            app.config.clear()
            app.config.update(settings)
            if fresh:
                db.engine.dispose()


def _new_app(config: dict[str, object]) -> Flask:
    app = create_app(config)
    app.test_client_class = FormClient
    return app


def _forget_apps(url: str) -> None:
    """Close the kept apps' connections to ``url`` (its database is about to be dropped)."""
    for key, app in list(_apps.items()):
        if app.config["SQLALCHEMY_DATABASE_URI"] == url:
            with app.app_context():
                db.engine.dispose()
            del _apps[key]


def _app_for(config: dict[str, object]) -> Flask:
    key = repr(sorted(config.items()))
    if key in _apps:
        _apps.move_to_end(key)
        return _apps[key]
    app = _apps[key] = _new_app(config)
    if len(_apps) > _KEPT_APPS:
        _, oldest = _apps.popitem(last=False)
        with oldest.app_context():
            db.engine.dispose()
    return app


def _empty_all_tables() -> None:
    """Delete every row and restart the ids; the guards against changing signed records
    are lifted for the delete only.

    Only the tables that hold rows are touched (one query finds them): most tests write
    to a handful of the schema's tables, and on SQLite the guards are lifted (dropped and
    created again) only when one of those tables has any.
    """
    from app.triggers import all_suspended

    with db.engine.begin() as connection:
        tables = _tables_with_rows(connection)
        if connection.dialect.name == "postgresql":
            # Replica mode skips every trigger (the finality guards and foreign keys) for
            # this transaction; DELETE on near-empty tables is ten times quicker than TRUNCATE.
            connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
            for table in tables:
                connection.execute(table.delete())
            connection.execute(
                sa.text(
                    "SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) "
                    "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
                )
            )
            return
        guarded = {
            name
            for (name,) in connection.execute(
                sa.text("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger'")
            )
        }
        if not guarded & {table.name for table in tables}:
            for table in tables:
                connection.execute(table.delete())
            return
        with all_suspended(connection):
            for table in tables:
                connection.execute(table.delete())


def _tables_with_rows(connection) -> list[sa.Table]:
    """The schema's tables that hold at least one row, children before their parents."""
    tables = list(reversed(db.metadata.sorted_tables))
    probe = " UNION ALL ".join(
        f"SELECT '{table.name}' AS name WHERE EXISTS (SELECT 1 FROM \"{table.name}\")"  # noqa: S608 (schema names)
        for table in tables
    )
    filled = {name for (name,) in connection.execute(sa.text(probe))}
    return [table for table in tables if table.name in filled]


@pytest.fixture
def client(app) -> FormClient:
    return app.test_client()


@pytest.fixture(autouse=True)
def _no_real_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that reaches a real mail server is a bug: fail it loudly."""

    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to open a real SMTP connection")

    monkeypatch.setattr(smtplib.SMTP, "connect", refuse)


@pytest.fixture
def measurements(request: pytest.FixtureRequest):
    """Lines a test wants in the run's summary (figures such as precision and recall).

    They travel on the test's report (``user_properties``), so under pytest-xdist they
    reach the summary printed by the controlling process too.
    """
    lines: list[str] = []
    yield lines
    request.node.user_properties.extend(("measurement", line) for line in lines)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect measurements and the PostgreSQL skip reason, in the process that prints the summary."""
    if report.when == "teardown":
        _measurements.extend(value for name, value in report.user_properties if name == "measurement")
    if report.skipped and isinstance(report.longrepr, tuple) and not _postgres_problem:
        message = str(report.longrepr[2]).removeprefix("Skipped: ")
        if message.endswith("; PostgreSQL run skipped"):
            _postgres_problem.append(message.removesuffix("; PostgreSQL run skipped"))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _measurements:
        terminalreporter.write_sep("-", "measurements")
        for line in _measurements:
            terminalreporter.write_line(line)
    if _postgres_problem:
        terminalreporter.write_sep("!", "PostgreSQL run skipped", yellow=True)
        terminalreporter.write_line(_postgres_problem[0])
        terminalreporter.write_line(
            "Only the SQLite half ran. Start PostgreSQL or set TEST_POSTGRES_URL to run both."
        )

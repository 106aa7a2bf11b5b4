"""The Alembic migrations build, from an empty database, exactly the schema of the models."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.conftest import _on_postgres_server


@pytest.fixture
def empty_database_url(backend, tmp_path, request):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    base = request.getfixturevalue("database_url")
    url = sa.make_url(base).set(database=f"stillpoint_migrations_{os.getpid()}")
    rendered = url.render_as_string(hide_password=False)
    _on_postgres_server(rendered, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    _on_postgres_server(rendered, f'CREATE DATABASE "{url.database}"')
    yield rendered
    _on_postgres_server(rendered, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


# SQLite cannot reflect an index on an expression, so Alembic says it skips comparing
# ix_user_name_lower there (a PostgreSQL-only index); the PostgreSQL run compares it.
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index 'ix_user_name_lower':UserWarning"
)
def test_upgrade_from_empty_gives_the_schema_of_the_models(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == [], f"models and migrations differ: {differences}"


def test_the_demo_loads_on_a_database_built_by_the_migrations(empty_database_url):
    """``bin/demo`` and a fresh server load the demo onto a migrated database, whose
    finality guards are the migrations' own (a demo that dated decided rows by plain
    UPDATE passed on ``create_all`` and failed here)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()

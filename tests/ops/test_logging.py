"""Every request has an id: taken from a well-formed X-Request-Id, echoed, and in each log line."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from app import create_app
from app.ops.logging import configure_for, configure_logging

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_log():
    """The root logger writing JSON lines into a buffer for one test, then as it was."""
    root = logging.getLogger()
    level = root.level
    buffer = io.StringIO()
    handler = configure_logging("json", "INFO", stream=buffer)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_well_formed_incoming_request_id_is_kept_and_echoed(client):
    response = client.get("/healthz", headers={"X-Request-Id": "proxy-7f3a9c21:00042"})
    assert response.headers["X-Request-Id"] == "proxy-7f3a9c21:00042"


@pytest.mark.parametrize(
    "incoming",
    [
        None,
        "",
        "short",
        "with space 1234",
        "x" * 200,
        "semi;colon-12345",
        "évidemment-1234",
        '"quoted-12345"',
    ],
)
def test_a_missing_or_malformed_request_id_is_replaced_by_a_fresh_one(client, incoming):
    headers = {} if incoming is None else {"X-Request-Id": incoming}
    response = client.get("/healthz", headers=headers)
    assert GENERATED.fullmatch(response.headers["X-Request-Id"])


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz").headers["X-Request-Id"]
    second = client.get("/healthz").headers["X-Request-Id"]
    assert first != second


@pytest.mark.fresh_app  # it adds a route
def test_log_lines_are_json_and_carry_the_request_id(app, client, json_log):
    @app.get("/_test/log")
    def log_something():
        app.logger.warning("something worth a line")
        return "ok"

    client.get("/_test/log", headers={"X-Request-Id": "req-1234567890"})
    client.get("/healthz")
    lines = json_log()
    mine = [line for line in lines if line["request_id"] == "req-1234567890"]
    assert [line["message"] for line in mine] == ["something worth a line", "GET /_test/log 200"]
    assert mine[0]["level"] == "WARNING" and mine[0]["logger"] == app.logger.name
    access = mine[1]
    assert access["logger"] == "stillpoint.access"
    assert (access["method"], access["path"], access["status"]) == ("GET", "/_test/log", 200)
    assert access["duration_ms"] >= 0
    other = [line for line in lines if line.get("path") == "/healthz"]
    assert len(other) == 1 and GENERATED.fullmatch(other[0]["request_id"])


def test_lines_outside_a_request_say_so(json_log):
    logging.getLogger("stillpoint.test").warning("from a worker")
    (line,) = [line for line in json_log() if line["message"] == "from a worker"]
    assert line["request_id"] == "-"


@pytest.mark.parametrize(
    ("settings", "formatter"),
    [
        (
            {"ENV_NAME": "production", "BASE_URL": "https://stillpoint.example", "SEAL_KEY_SECRET": "s" * 48},
            "JsonFormatter",
        ),
        ({}, "Formatter"),
    ],
)
def test_the_entry_point_logs_json_in_production_and_text_elsewhere(settings, formatter):
    app = create_app({"SECRET_KEY": "x" * 48, "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
    root = logging.getLogger()
    level = root.level
    configure_for(app)
    try:
        (ours,) = [handler for handler in root.handlers if getattr(handler, "is_stillpoint", False)]
        assert type(ours.formatter).__name__ == formatter
    finally:
        root.removeHandler(ours)
        root.setLevel(level)


def test_secret_tokens_in_a_path_never_reach_the_log(client, json_log):
    """Reset and invitation links carry their token in the path: the access line names the
    route's pattern instead, so whoever reads the logs cannot use the link."""
    token = "s3cret-token-that-opens-an-account"
    client.get(f"/password/reset/{token}")
    client.get(f"/invitations/{token}")
    lines = json_log()
    assert all(token not in json.dumps(line) for line in lines)
    paths = {line.get("path") for line in lines}
    assert {"/password/reset/<token>", "/invitations/<token>"} <= paths


def test_running_the_migrations_in_process_leaves_the_app_logging(tmp_path):
    """Alembic's env.py configures logging from alembic.ini; it must not switch off the
    loggers already made (the access log was silent after an in-process upgrade)."""
    import flask_migrate

    app = create_app({"SECRET_KEY": "x" * 48, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}"})
    with app.app_context():
        flask_migrate.upgrade()
    assert not logging.getLogger("stillpoint.access").disabled
    assert not logging.getLogger("app").disabled

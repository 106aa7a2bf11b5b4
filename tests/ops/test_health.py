"""/healthz answers without the database; /readyz names each dependency that fails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.jobs import queue
from tests.ops.conftest import redis_or_skip


def test_healthz_answers_without_touching_the_database(ops_app, tmp_path):
    app = ops_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'no.sqlite3'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_when_database_and_worker_answer(app, world):
    # The suite runs jobs in the request (no worker to wait for): only the database counts.
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok"}, "failed": []}


def test_readyz_fails_with_503_naming_an_unreachable_database(ops_app, tmp_path):
    app = ops_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'missing' / 'no.sqlite3'}")
    with app.app_context():
        queue.beat()
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["database"]
    assert body["checks"]["worker"] == "ok"
    assert body["checks"]["database"].startswith("unreachable")
    assert "sqlite" not in body["checks"]["database"]  # says what, not where


def test_readyz_fails_until_a_worker_has_beaten_recently(ops_app):
    app = ops_app()
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["worker"]
    assert response.get_json()["checks"]["worker"] == "no worker has reported"

    with app.app_context():
        queue.beat()
    assert client.get("/readyz").status_code == 200

    stale = datetime.now(UTC) - timedelta(seconds=app.config["WORKER_HEARTBEAT_MAX_AGE"] + 30)
    with app.app_context():
        queue.huey.storage.put_data(queue.HEARTBEAT_KEY, stale.isoformat().encode())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["worker"].startswith("last heartbeat")


def test_readyz_checks_each_configured_redis(ops_app):
    url = redis_or_skip()
    app = ops_app(JOB_QUEUE_URL=url, RATELIMIT_STORAGE_URI=url)
    with app.app_context():
        queue.beat()
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"] == {
        "database": "ok",
        "redis_jobs": "ok",
        "redis_ratelimit": "ok",
        "worker": "ok",
    }


def test_readyz_names_an_unreachable_redis(ops_app, unused_port):
    app = ops_app(JOB_QUEUE_URL=f"redis://127.0.0.1:{unused_port}/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failed"] == ["redis_jobs", "worker"]
    assert body["checks"]["redis_jobs"].startswith("unreachable")
    assert body["checks"]["database"] == "ok"

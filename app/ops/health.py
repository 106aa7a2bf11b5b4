"""``/healthz`` (the process answers) and ``/readyz`` (it can do its work).

A load balancer or orchestrator sends traffic only to a ready instance: the database
answers, every configured Redis answers, and a job worker has beaten recently. Both are
public and carry no personal data; ``/readyz`` names what failed, never how (no URLs,
hosts or error texts that would tell an outsider about the deployment).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import redis
import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from app.extensions import db
from app.jobs import worker_heartbeat_at

bp = Blueprint("ops", __name__)

#: The answer of a check that passed; any other string says why it failed.
OK = "ok"


@bp.get("/healthz")
def healthz():
    """Alive: the process serves requests. Touches nothing else (no database)."""
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz():
    """Ready: 200 when every check passes, else 503 naming the failed checks."""
    checks = {name: _run(check) for name, check in readiness_checks().items()}
    failed = sorted(name for name, result in checks.items() if result != OK)
    body = {"status": "unavailable" if failed else "ready", "checks": checks, "failed": failed}
    return _no_store(jsonify(body)), 503 if failed else 200


def readiness_checks() -> dict[str, Callable[[], str]]:
    """The checks this deployment needs: Redis ones only where Redis is configured."""
    config = current_app.config
    checks: dict[str, Callable[[], str]] = {"database": check_database}
    for name, key in (("redis_jobs", "JOB_QUEUE_URL"), ("redis_ratelimit", "RATELIMIT_STORAGE_URI")):
        url = config.get(key) or ""
        if url.startswith(("redis://", "rediss://", "unix://")):
            checks[name] = lambda url=url: check_redis(url)
    if not config.get("JOB_QUEUE_IMMEDIATE"):
        checks["worker"] = check_worker
    return checks


def check_database() -> str:
    db.session.execute(sa.text("SELECT 1"))
    db.session.rollback()
    return OK


def check_redis(url: str) -> str:
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return OK


def check_worker() -> str:
    """A worker beats every 15 s; ``WORKER_HEARTBEAT_MAX_AGE`` seconds of silence is a failure."""
    beat_at = worker_heartbeat_at()
    if beat_at is None:
        return "no worker has reported"
    age = (datetime.now(UTC) - beat_at).total_seconds()
    if age > current_app.config["WORKER_HEARTBEAT_MAX_AGE"]:
        return f"last heartbeat {int(age)} s ago"
    return OK


def _run(check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as error:  # noqa: BLE001 - a failing dependency is an answer, not a crash
        current_app.logger.warning("readiness check failed: %s", error)
        return f"unreachable ({type(error).__name__})"


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response

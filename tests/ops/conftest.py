"""Apps for the operations tests that need settings of their own (queue, database)."""

from __future__ import annotations

import contextlib
import os
import uuid

import pytest
import redis

from app import create_app
from app.jobs import huey

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET = "test-secret-key-that-is-long-enough-1234567890"


def redis_or_skip() -> str:
    """The test Redis URL; skipped when unreachable (an error under CI=true)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis not reachable at {REDIS_URL}: {error} (CI must run this test)")
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {error}")
    return REDIS_URL


@pytest.fixture
def ops_app(tmp_path):
    """``ops_app(**settings)``: an app on a scratch SQLite file with a real (SQLite) queue.

    The readiness checks need no schema. The queue's storage is flushed afterwards.
    """
    made = []

    def make(**settings):
        config = {
            "TESTING": True,
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'ops.sqlite3'}",
            "RATELIMIT_STORAGE_URI": "memory://",
            "JOB_QUEUE_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
            "JOB_QUEUE_NAME": f"stillpoint-ops-{os.getpid()}-{uuid.uuid4().hex[:8]}",
            **settings,
        }
        app = create_app(config)
        made.append(app)
        return app

    yield make
    if made:  # the shared queue points at the last app's storage
        with contextlib.suppress(Exception):  # an unreachable queue has nothing to flush
            huey.storage.flush_all()


@pytest.fixture
def unused_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

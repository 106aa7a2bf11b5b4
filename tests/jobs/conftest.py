"""Real queues for the queue's own tests: a Huey SQLite file, or Redis at 127.0.0.1:6379.

Each test gets its own queue name (the key prefix in Redis, a fresh file for SQLite),
so parallel runs and other engineers' runs never see each other's tasks. A worker
runs Huey's consumer in threads of the test process.
"""

from __future__ import annotations

import os
import time
import uuid

import pytest
import redis

from app.extensions import db
from app.jobs import huey
from app.jobs.queue import EmbeddedWorker

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(params=["sqlite-queue", "redis-queue"])
def queue_backend(request) -> str:
    if request.param == "redis-queue":
        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.exceptions.ConnectionError as error:
            if os.environ.get("CI"):
                pytest.fail(f"Redis not reachable at {REDIS_URL}: {error}")
            pytest.skip(f"Redis not reachable at {REDIS_URL}: {error}")
    return request.param


@pytest.fixture
def app_config(app_config, queue_backend, tmp_path):
    name = f"stillpoint-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    url = REDIS_URL if queue_backend == "redis-queue" else f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    return {
        **app_config,
        "JOB_QUEUE_IMMEDIATE": False,
        "JOB_QUEUE_URL": url,
        "JOB_QUEUE_NAME": name,
        "MAIL_RETRIES": 2,
        "MAIL_RETRY_DELAY_SECONDS": 1,
        "MAIL_RETRY_BACKOFF": 1,
    }


@pytest.fixture
def queue(app):
    """The configured queue, emptied (and its Redis keys deleted) before and after the test.

    Before: the fixtures' own commits (enrolling the world's trainee) queue progress
    snapshot recomputations (``requirements.staleness``), which are not what a test of
    the queue counts."""
    huey.storage.flush_all()
    yield huey
    huey.storage.flush_all()


@pytest.fixture
def worker(app, queue):
    """A real consumer (one worker thread and the scheduler) for the length of one test."""
    running = EmbeddedWorker(workers=1, periodic=False, heartbeat_seconds=1).start()
    yield running
    running.stop()


def wait_for(check, *, seconds: float = 30.0):
    """Poll ``check`` (reading committed rows afresh each time) until it is truthy."""
    deadline = time.monotonic() + seconds
    while True:
        db.session.rollback()
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds} s waiting for {check.__doc__ or check}")
        time.sleep(0.1)

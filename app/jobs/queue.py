"""The job queue: one Huey instance, configured from the app's settings.

Huey keeps its queue in a SQLite file under ``instance/`` by default (no server to
run) and in Redis when ``JOB_QUEUE_URL`` is a ``redis://`` URL (production). Tasks are
declared at import time on the module-level ``huey``; ``init_app`` points that one
instance at the configured storage, so web processes and workers built by
``create_app`` agree on where the queue lives.

Work is enqueued only after the database transaction that asked for it commits
(``enqueue_after_commit``): a worker never picks up a job whose row it cannot see
yet, and a rolled-back request leaves nothing behind in the queue.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey
from huey.constants import EmptyData
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.config import ConfigurationError
from app.extensions import db

huey = Huey("stillpoint", storage_class=MemoryStorage)

HEARTBEAT_KEY = "stillpoint:worker-heartbeat"
logger = logging.getLogger(__name__)
_state: dict[str, object] = {}


def init_app(app: Flask) -> None:
    """Point the shared Huey instance at the storage the settings name."""
    name = app.config["JOB_QUEUE_NAME"]
    url = app.config.get("JOB_QUEUE_URL") or ""
    huey.name = name
    huey._immediate = bool(app.config.get("JOB_QUEUE_IMMEDIATE"))
    if huey.immediate:
        # Tests about the caller (not about the queue) run each job in the request.
        huey.storage = MemoryStorage(name)
    elif url.startswith(("redis://", "rediss://", "unix://")):
        huey.storage_class = RedisHuey.storage_class
        huey.storage = RedisStorage(name, url=url)
    elif not url or url.startswith("sqlite:///"):
        huey.storage_class = SqliteHuey.storage_class
        huey.storage = SqliteStorage(name, filename=_sqlite_path(app, url))
    else:
        raise ConfigurationError(f"JOB_QUEUE_URL must be redis://... or sqlite:///...; got {url!r}")
    _state["app"] = app
    app.extensions["jobs"] = huey


def _sqlite_path(app: Flask, url: str) -> str:
    """``sqlite:///relative`` or ``sqlite:////absolute``, or empty (``<instance>/jobs.sqlite3``)."""
    if url:
        return url[len("sqlite:///") :]
    os.makedirs(app.instance_path, exist_ok=True)
    return os.path.join(app.instance_path, "jobs.sqlite3")


def current_app_for_jobs() -> Flask:
    app = _state.get("app")
    if app is None:
        raise RuntimeError("the job queue is not configured: call create_app() first")
    return app  # type: ignore[return-value]


def app_task(**options: object) -> Callable:
    """A Huey task that runs inside its own app context and commits when it succeeds.

    Its own context means its own database session, also when a test runs the job
    inside a request (immediate mode): the job sees only committed rows, as in a worker.
    Links it writes come from ``BASE_URL``, never from the host of whoever asked.
    """
    return _in_app_context(huey.task, **options)


def app_periodic_task(schedule: Callable, **options: object) -> Callable:
    """A periodic Huey task (``schedule`` is a ``huey.crontab``), run like ``app_task``."""
    return _in_app_context(functools.partial(huey.periodic_task, schedule), **options)


def _in_app_context(register: Callable, **options: object) -> Callable:
    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def run(*args, **kwargs):
            app = current_app_for_jobs()
            # A fresh app context first (so a fresh session), then a request context on
            # the public base URL: templates and links work as in a request by nobody.
            with app.app_context(), app.test_request_context(base_url=app.config["BASE_URL"]):
                try:
                    result = function(*args, **kwargs)
                    db.session.commit()
                    return result
                except BaseException:
                    db.session.rollback()
                    raise
                finally:
                    db.session.remove()

        return register(**options)(run)

    return decorate


def enqueue_after_commit(enqueue: Callable[[], object]) -> None:
    """Run ``enqueue`` (which puts a task on the queue) once the current transaction commits."""
    db.session.info.setdefault("jobs_to_enqueue", []).append(enqueue)


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    for enqueue in session.info.pop("jobs_to_enqueue", []):
        try:
            enqueue()
        except Exception:
            # The change is committed; failing the request now would misreport it. The
            # row stays queued (mail: state "queued") and the log says why.
            logger.exception("could not enqueue a job after commit (is the queue reachable?)")


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop("jobs_to_enqueue", None)


# --- the worker's heartbeat, and queue figures for health checks and metrics -------


def beat() -> None:
    """Record that a worker is alive now (kept in the queue's own storage)."""
    huey.storage.put_data(HEARTBEAT_KEY, datetime.now(UTC).isoformat().encode())


def worker_heartbeat_at() -> datetime | None:
    """When a worker last said it was alive, or None if none ever did."""
    value = huey.storage.peek_data(HEARTBEAT_KEY)
    if value is EmptyData or not isinstance(value, bytes | str):
        return None
    text = value.decode() if isinstance(value, bytes) else value
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


class EmbeddedWorker:
    """Huey's consumer run in threads of this process, without signal handlers.

    For ``bin/demo``'s development server and the tests; production runs
    ``flask --app wsgi jobs worker`` as its own process.
    """

    def __init__(self, *, workers: int = 1, periodic: bool = True, heartbeat_seconds: float = 15):
        self.consumer = huey.create_consumer(
            workers=workers,
            periodic=periodic,
            worker_type="thread",
            check_worker_health=False,
            initial_delay=0.05,
            max_delay=0.5,
        )
        self.heartbeat_seconds = heartbeat_seconds
        self._stopped = threading.Event()
        self._heart = threading.Thread(target=self._beat, name="jobs-heartbeat", daemon=True)

    def _beat(self) -> None:
        while not self._stopped.is_set():
            beat()
            self._stopped.wait(self.heartbeat_seconds)

    def start(self) -> EmbeddedWorker:
        self._heart.start()
        self.consumer.scheduler.start()
        for _, thread in self.consumer.worker_threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self.consumer.stop(graceful=True)
        self._heart.join(timeout=5)

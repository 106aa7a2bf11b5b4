"""A real queue that nothing consumes, for tests of what a page shows before a job has run.

A test module uses ``held_queue_config`` in its ``app_config`` fixture; what the code
under test queues then stays queued until the test runs it with ``run_queued``, as a
worker would (in its own app context and transaction).
"""

from __future__ import annotations

import uuid

from app.extensions import db
from app.jobs import huey


def held_queue_config(app_config: dict, tmp_path) -> dict:
    return {
        **app_config,
        "JOB_QUEUE_IMMEDIATE": False,
        "JOB_QUEUE_URL": f"sqlite:///{tmp_path / 'held-jobs.sqlite3'}",
        "JOB_QUEUE_NAME": f"held-{uuid.uuid4().hex[:8]}",
    }


def run_queued(task_path: str) -> int:
    """Run the queued tasks named ``task_path`` (``module.function``); others are dropped
    (the fixtures' progress recomputations, the mail deliveries). Returns how many ran."""
    ran = 0
    while (task := huey.dequeue()) is not None:
        if f"{type(task).__module__}.{task.name}" == task_path:
            huey.execute(task)
            ran += 1
    db.session.expire_all()
    return ran

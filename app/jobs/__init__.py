"""Background jobs: the queue (Huey), job records with progress, reminders, the worker command.

Other features use three things from here: ``queue.app_task`` to declare work,
``queue.enqueue_after_commit`` to queue it, and ``services.start_job`` for work a
person waits for. Health checks and metrics read ``worker_heartbeat_at()`` and
``queue_stats()``.
"""

from __future__ import annotations

from flask import Flask

from app.jobs.queue import huey, worker_heartbeat_at

__all__ = ["huey", "init_app", "queue_stats", "worker_heartbeat_at"]


def init_app(app: Flask) -> None:
    """Configure the queue and register every task (a worker must know them all)."""
    from app.jobs import queue

    queue.init_app(app)
    from app.applications import portfolio  # noqa: F401
    from app.groups import attendance_documents  # noqa: F401
    from app.jobs import kinds, reminders, tasks  # noqa: F401
    from app.mail import services  # noqa: F401
    from app.personal_data import jobs as personal_data_jobs  # noqa: F401
    from app.requirements import snapshot_jobs  # noqa: F401


def queue_stats() -> dict[str, int]:
    """Queue depth and failures: tasks waiting, retries scheduled, failed jobs, dead letters.

    Reads the queue storage and the database (call it inside an app context).
    """
    from app.jobs.services import failed_job_count
    from app.mail.services import dead_letter_count

    return {
        "pending": huey.pending_count(),
        "scheduled": huey.scheduled_count(),
        "failed": failed_job_count(),
        "dead_letters": dead_letter_count(),
    }

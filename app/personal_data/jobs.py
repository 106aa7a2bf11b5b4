"""Retention as a scheduled job: each night the worker applies every association's setting.

The same function as ``flask retention run`` (``retention.run_everywhere``), so the admin's
dry run on /admin/data-protection and the CLI's preview say exactly what the night will do.
"""

from __future__ import annotations

from huey import crontab

from app.database import utcnow
from app.jobs.queue import app_periodic_task
from app.personal_data import retention


@app_periodic_task(crontab(minute="30", hour="3"))
def nightly_retention() -> None:
    """At 03:30 UTC, when nobody is editing; the task's app context commits."""
    retention.run_everywhere(now=utcnow(), dry_run=False)

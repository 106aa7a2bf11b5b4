"""``flask jobs ...``: run the worker, see the queue, send reminders by hand."""

from __future__ import annotations

import logging
import threading
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from app.jobs import queue, queue_stats, reminders


@click.group("jobs")
def jobs_cli() -> None:
    """Background jobs (the Huey queue)."""


@jobs_cli.command("worker")
@click.option("--threads", type=int, default=None, help="Worker threads (default: JOB_WORKER_THREADS).")
@click.option("--no-periodic", is_flag=True, help="Do not schedule the periodic jobs (reminders).")
@with_appcontext
def worker(threads: int | None, no_periodic: bool) -> None:
    """Run the job worker (Huey's consumer) until Ctrl+C or SIGTERM.

    Run one or more next to the web processes; each refreshes the heartbeat that
    /readyz reads. Periodic jobs are scheduled by every worker that runs without
    --no-periodic: in a deployment with several workers, give it to one only.
    """
    app = current_app._get_current_object()
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    count = threads or app.config["JOB_WORKER_THREADS"]
    consumer = queue.huey.create_consumer(workers=count, worker_type="thread", periodic=not no_periodic)
    stopped = threading.Event()

    def heartbeat() -> None:
        while not stopped.is_set():
            queue.beat()
            stopped.wait(15)

    threading.Thread(target=heartbeat, name="jobs-heartbeat", daemon=True).start()
    storage = type(queue.huey.storage).__name__
    click.echo(f"Job worker: {count} thread(s) on queue {queue.huey.name!r} ({storage}).")
    try:
        consumer.run()
    finally:
        stopped.set()


@jobs_cli.command("status")
@with_appcontext
def status() -> None:
    """Print the queue's figures and the worker's last heartbeat."""
    for name, value in queue_stats().items():
        click.echo(f"{name}: {value}")
    click.echo(f"worker heartbeat: {queue.worker_heartbeat_at() or 'never'}")


@jobs_cli.command("reminders")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="As if today were DAY.")
@with_appcontext
def send_reminders(day) -> None:
    """Send the reminders due today now (each is sent once per period, so repeating is harmless)."""
    from app.extensions import db

    counts = reminders.run_all(day.date() if day else date.today())
    db.session.commit()
    for kind, count in counts.items():
        click.echo(f"{kind}: {count}")

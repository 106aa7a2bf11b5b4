"""Prometheus metrics at ``/metrics``, through the maintained ``prometheus_client``.

- ``stillpoint_http_request_duration_seconds``: a histogram of request latency by
  endpoint, method and status, counted by each web process;
- ``stillpoint_job_queue_*`` and ``stillpoint_jobs_failed``: the job queue's depth,
  failures and dead letters and the worker's heartbeat age, read from ``app.jobs`` at
  scrape time (the queue and database are shared, so any process reads the same).

Access: ``/metrics`` exists only when ``METRICS_TOKEN`` is set, and then answers only
requests carrying ``Authorization: Bearer <METRICS_TOKEN>`` (404 without the setting,
401 with a missing or wrong token). Queue figures and endpoint names are not for the
public, and a reverse proxy rule is easy to forget.

Under gunicorn each worker process counts its own requests: set
``PROMETHEUS_MULTIPROC_DIR`` to an empty folder writable by the workers (``bin/serve``
does) and use ``deploy/gunicorn.conf.py``, whose ``child_exit`` hook tells the client
library when a worker is gone; a scrape then sums every worker's figures.
"""

from __future__ import annotations

import hmac
import os
import time
from datetime import UTC, datetime

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from app.ops.health import bp

REQUEST_DURATION = Histogram(
    "stillpoint_http_request_duration_seconds",
    "Time to answer an HTTP request, by endpoint.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class JobQueueCollector:
    """The job queue's figures, read when scraped (they are shared, not per process)."""

    def collect(self):
        from app.jobs import queue_stats, worker_heartbeat_at

        up = GaugeMetricFamily("stillpoint_job_queue_up", "1 if the job queue could be read.")
        try:
            stats = queue_stats()
            beat_at = worker_heartbeat_at()
        except Exception:  # noqa: BLE001 - an unreachable queue is a figure, not a failed scrape
            current_app.logger.warning("metrics: could not read the job queue", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        figures = (
            ("stillpoint_job_queue_pending", "Tasks waiting for a worker.", stats["pending"]),
            ("stillpoint_job_queue_scheduled", "Tasks scheduled for later (retries).", stats["scheduled"]),
            ("stillpoint_jobs_failed", "Jobs that ended failed (kept in the database).", stats["failed"]),
            ("stillpoint_mail_dead_letters", "Messages given up after every retry.", stats["dead_letters"]),
        )
        for name, documentation, value in figures:
            yield GaugeMetricFamily(name, documentation, value=value)
        if beat_at is not None:
            age = (datetime.now(UTC) - beat_at).total_seconds()
            yield GaugeMetricFamily(
                "stillpoint_job_worker_heartbeat_age_seconds",
                "Seconds since a job worker said it was alive.",
                value=age,
            )


def is_multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


@bp.get("/metrics")
def metrics():
    """The exposition text; 404 unless ``METRICS_TOKEN`` is set, 401 without it."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    if not token:
        abort(404)
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return Response("A bearer token is required.\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'})
    if is_multiprocess():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    queue = CollectorRegistry()
    queue.register(JobQueueCollector())
    body = generate_latest(registry) + generate_latest(queue)
    return Response(body, 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    """Time every request (``/metrics`` is a route of the ``ops`` blueprint)."""

    @app.after_request
    def observe(response):
        started_at = g.get("request_started_at")
        if started_at is not None:
            REQUEST_DURATION.labels(
                endpoint=request.endpoint or "unmatched",
                method=request.method,
                status=str(response.status_code),
            ).observe(time.perf_counter() - started_at)
        return response

"""Operations: health checks, structured logs with a request id, Prometheus metrics.

``init_app`` wires all three into the app (one call from ``create_app``):
``/healthz`` and ``/readyz`` (``health.py``), JSON log lines that carry the request's
id (``logging.py``), and ``/metrics`` when ``METRICS_TOKEN`` is set (``metrics.py``).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from app.ops import health, logging, metrics

    logging.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(health.bp)

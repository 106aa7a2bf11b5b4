"""Structured logs: one JSON object per line, each carrying the request's id.

Every request gets an id: the incoming ``X-Request-Id`` when it is well-formed (so a
reverse proxy's id follows the request through), a fresh one otherwise. It is echoed
in the response's ``X-Request-Id`` header and added to every log line written while
the request runs, so one failing request's lines can be found across processes.
Each request also writes one access line (method, path, endpoint, status, duration).

``LOG_FORMAT`` chooses ``json`` (the default with ``STILLPOINT_ENV=production``) or
``text``; ``LOG_LEVEL`` the level (``INFO``).
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

#: What an incoming id may look like: short, printable, no spaces or separators that
#: could forge a log field or a header.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
REQUEST_ID_HEADER = "X-Request-Id"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

access_logger = logging.getLogger("stillpoint.access")


def current_request_id() -> str | None:
    """The id of the request being served, or None outside a request."""
    if has_request_context():
        return g.get("request_id")
    return None


def request_id_from(header: str | None) -> str:
    """The incoming id if well-formed, else a fresh random one."""
    if header and REQUEST_ID_PATTERN.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        return True


def make_formatter(kind: str) -> logging.Formatter:
    if kind == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "name": "logger"})
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(kind: str, level: str = "INFO", stream=None) -> logging.Handler:
    """Point the root logger at one handler of ours (replacing ours from an earlier app)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "is_stillpoint", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.is_stillpoint = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(make_formatter(kind))
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def configure_for(app: Flask) -> None:
    """The process's logging as the app's settings say: called by the entry point
    (``wsgi.py``: gunicorn and ``flask --app wsgi``), not by ``create_app``, so that
    building an app (as tests do, many times) never rewires a process's logging."""
    kind = app.config.get("LOG_FORMAT") or ("json" if app.config.get("ENV_NAME") == "production" else "text")
    configure_logging(kind, app.config.get("LOG_LEVEL", "INFO"))


def init_app(app: Flask) -> None:
    """A request id for every request, echoed, and one access line per request."""

    def assign_request_id() -> None:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        g.request_started_at = time.perf_counter()

    # First of all hooks, so lines logged by the others (and their early answers,
    # such as a redirect to two-factor enrolment) carry the id too.
    app.before_request_funcs.setdefault(None, []).insert(0, assign_request_id)

    @app.after_request
    def echo_request_id(response):
        request_id = g.get("request_id")
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
            started_at = g.get("request_started_at", time.perf_counter())
            # The route's pattern, not the path: reset and invitation links carry their
            # secret token in the path, and logs travel further than the database.
            path = request.url_rule.rule if request.url_rule else request.path
            access_logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": path,
                    "endpoint": request.endpoint or "",
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started_at) * 1000, 1),
                },
            )
        return response

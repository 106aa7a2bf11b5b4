"""Entry point for gunicorn and ``flask --app wsgi``: the app, and the process's logging."""

from app import create_app
from app.ops.logging import configure_for

app = create_app()
configure_for(app)  # JSON lines in production (STILLPOINT_LOG_FORMAT), with request ids

"""Small queued tasks that are not a person's job: account mail that must leave the request."""

from __future__ import annotations

from app.jobs.queue import app_task


@app_task()
def password_reset_requested(email: str) -> None:
    """Look the address up and mail a reset link, in the worker.

    The request that asked only enqueues this, whatever the address: the answer and
    the work it does are the same for every address (no lookup, no mail server).
    """
    from app.accounts.services import request_password_reset

    request_password_reset(email)


def queue_password_reset(email: str) -> None:
    """Enqueue the reset at once: it depends on no row of the asking request."""
    password_reset_requested(email.strip())

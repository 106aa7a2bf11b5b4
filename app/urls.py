"""Absolute links for e-mails, which are built outside a request as often as inside one."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values: object) -> str:
    """An absolute URL: from the request when there is one, else from ``BASE_URL``."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config["BASE_URL"].rstrip("/")
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)

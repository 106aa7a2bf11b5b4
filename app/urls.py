"""Absolute links (mail, PDFs, QR codes, credentials) on the configured ``BASE_URL``.

Never on the host a request named: the ``Host`` header is the visitor's to choose, and
a reset link on ``attacker.example`` hands the attacker the token.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values: object) -> str:
    """An absolute URL for ``endpoint`` on ``BASE_URL``, inside a request or outside one."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def absolute_link(path: str) -> str:
    """A path of this app (as stored in a notification) made absolute on ``BASE_URL``."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def safe_local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (the caller's default applies).

    Browsers drop tabs and newlines and read backslashes as slashes, so ``/\\t/evil.example``
    is ``//evil.example`` to them; and a newline in a ``Location`` header is a 500. Only a
    single leading slash, no backslash, no whitespace or control character, and nothing
    that parses as a scheme or host passes.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(char.isspace() or not char.isprintable() for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target

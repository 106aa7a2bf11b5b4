"""One rate limit for every public lookup of a certificate, whichever page, format or API.

The verification page and its JSON twin, the credentials and their status, the issuers'
documents, a check by file, and ``GET /api/v1/verify/<serial>`` all draw on one budget
per visitor (``CERTIFICATE_VERIFY_LIMIT``, 60 a minute by default), so serials cannot be
probed faster by switching between them.
"""

from __future__ import annotations

from flask import current_app

from app.extensions import limiter


def _verify_limit() -> str:
    return current_app.config.get("CERTIFICATE_VERIFY_LIMIT", "60 per minute")


def _upload_limit() -> str:
    return current_app.config.get("CERTIFICATE_UPLOAD_LIMIT", "20 per minute")


SCOPE = "certificate-lookup"

#: Decorate every public lookup with this (under any route decorator).
lookup_limit = limiter.shared_limit(_verify_limit, scope=SCOPE)
#: The same budget, for the POST of a check by file only (its GET is the form).
lookup_limit_on_post = limiter.shared_limit(_verify_limit, scope=SCOPE, methods=["POST"])
upload_limit = limiter.limit(_upload_limit, methods=["POST"])

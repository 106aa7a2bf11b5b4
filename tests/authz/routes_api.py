"""API token pages, and every JSON API route as the HTML matrix sees it.

The HTML matrix signs in with a session cookie. The API ignores the session, so every
API operation answers such a request with 401 (the public ones aside). The API's own
authorization matrix, with tokens, is in tests/api/test_authorization.py.
"""

from __future__ import annotations

import re

from tests.authz.cases import RouteCase, expect, neighbours

SIGNED_IN = expect(302, 200, 200, 200, 200)
COOKIE_ONLY = expect(401, 401, 401, 401, 401)


def _url(rule: str) -> str:
    return "/api/v1" + re.sub(
        r"<(?:int:)?\w+>", lambda m: "1" if m.group(0).startswith("<int:") else "x", rule
    )


def cases(world) -> list[RouteCase]:
    from app.api.core import OPERATIONS

    rows = [
        RouteCase("api_tokens.index", "GET", "/account/tokens", SIGNED_IN),
        RouteCase(
            "api_tokens.create",
            "POST",
            "/account/tokens",
            SIGNED_IN,  # the page again, showing the new token once
            data={"name": "matrix", "scope": "read", "expires_in_days": "30"},
        ),
        RouteCase(
            "api_tokens.create_service",
            "POST",
            "/account/tokens/service",
            expect(302, 403, 403, 200, 200),  # other_admin: for their own association
            data={"name": "matrix", "scope": "read", "expires_in_days": "30"},
        ),
        RouteCase(
            "api_tokens.revoke",
            "POST",
            "/account/tokens/999999/revoke",
            expect(302, 404, 404, 404, 404),
            neighbours=neighbours(404, 404, 404),
        ),
        RouteCase("api.openapi_document", "GET", "/api/v1/openapi.json", expect(200, 200, 200, 200, 200)),
        RouteCase("api.docs", "GET", "/api/v1/docs", expect(200, 200, 200, 200, 200)),
    ]
    for op in OPERATIONS:
        url = _url(op.rule)
        if op.is_public:
            rows.append(RouteCase(op.endpoint, op.method, url, expect(404, 404, 404, 404, 404)))
        elif op.method in ("PUT", "DELETE"):
            # The harness sends every write as a form POST; the route only takes PUT or DELETE.
            rows.append(RouteCase(op.endpoint, op.method, url, expect(405, 405, 405, 405, 405)))
        else:
            rows.append(RouteCase(op.endpoint, op.method, url, COOKIE_ONLY))
    return rows

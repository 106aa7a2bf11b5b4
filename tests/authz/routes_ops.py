"""Operations routes in the authorization matrix: public probes, and /metrics off without a token."""

from __future__ import annotations

from tests.authz.cases import RouteCase, expect

EVERYONE = expect(200, 200, 200, 200, 200)


def cases(world) -> list[RouteCase]:
    return [
        RouteCase("ops.healthz", "GET", "/healthz", EVERYONE),
        RouteCase("ops.readyz", "GET", "/readyz", EVERYONE),
        # Without METRICS_TOKEN the endpoint does not exist, for a signed-in admin too
        # (tests/ops/test_metrics.py covers the token).
        RouteCase("ops.metrics", "GET", "/metrics", expect(404, 404, 404, 404, 404)),
    ]

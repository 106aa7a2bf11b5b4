"""notifications routes in the authorization matrix."""

from __future__ import annotations

from tests.authz.cases import RouteCase, expect  # noqa: F401


def cases(world) -> list[RouteCase]:
    return []

"""The route table the authorization matrix walks.

Each feature adds its routes in a module ``tests/authz/routes_<feature>.py`` with a
``cases(world)`` function returning ``RouteCase`` rows, and lists the module in
``FEATURE_MODULES`` below. ``test_every_route_is_in_the_matrix`` fails when a route
has no row, so a new route cannot ship without its authorization test.

Statuses: a login-required page answers anonymous users with 302 (to the login page);
a page for another role answers 403; an object of another association answers 404,
so that its existence is not revealed.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

ROLES = ("anonymous", "trainee", "supervisor", "admin", "other_admin")

FEATURE_MODULES = [
    "tests.authz.routes_foundation",
    "tests.authz.routes_learning",
    "tests.authz.routes_vignettes",
    "tests.authz.routes_logbook",
    "tests.authz.routes_notifications",
    "tests.authz.routes_progress",
    "tests.authz.routes_certificates",
    "tests.authz.routes_api",
    "tests.authz.routes_jobs",
]


@dataclass
class RouteCase:
    endpoint: str
    method: str
    url: str
    expect: dict[str, int]
    data: dict[str, object] = field(default_factory=dict)
    #: Run after the harmless cases, because it changes the world (e.g. disables someone).
    is_destructive: bool = False

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.expect)
        assert not missing, f"{self.endpoint} {self.method}: no expectation for {missing}"


def expect(anonymous: int, trainee: int, supervisor: int, admin: int, other_admin: int) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, trainee, supervisor, admin, other_admin), strict=True))


def all_cases(world) -> list[RouteCase]:
    rows: list[RouteCase] = []
    for name in FEATURE_MODULES:
        rows.extend(importlib.import_module(name).cases(world))
    # Logging out ends the session the remaining cases need, so it always runs last.
    return sorted(rows, key=lambda row: (row.is_destructive, row.endpoint == "accounts.logout"))

"""The route table the authorization matrix walks.

Each feature adds its routes in a module ``tests/authz/routes_<feature>.py`` with a
``cases(world)`` function returning ``RouteCase`` rows, and lists the module in
``FEATURE_MODULES`` below. ``test_every_route_is_in_the_matrix`` fails when a route
has no row, so a new route cannot ship without its authorization test.

Statuses: a login-required page answers anonymous users with 302 (to the login page);
a page for another role answers 403; an object of another association answers 404,
so that its existence is not revealed.

Three more people of the same association try every route too (``NEIGHBOURS``): a
``peer`` trainee with an enrolment of their own, a supervisor ``unassigned`` to the
world's trainee (they supervise the peer), and ``co_leader``, a supervisor the trainee
named as co-leader of a session. By default they get what the trainee (peer) or the
supervisor (the other two) get; a route about one particular object of the world's
trainee must say what each of them gets (``neighbours=``), so that nobody can let "any
supervisor" or "any trainee" through by accident.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

ROLES = ("anonymous", "trainee", "supervisor", "admin", "other_admin")
NEIGHBOURS = ("peer", "unassigned", "co_leader")

FEATURE_MODULES = [
    "tests.authz.routes_foundation",
    "tests.authz.routes_learning",
    "tests.authz.routes_vignettes",
    "tests.authz.routes_logbook",
    "tests.authz.routes_attachments",
    "tests.authz.routes_groups",
    "tests.authz.routes_process_notes",
    "tests.authz.routes_report_rubric",
    "tests.authz.routes_co_leader_feedback",
    "tests.authz.routes_attendance_answers",
    "tests.authz.routes_observation",
    "tests.authz.routes_attendance",
    "tests.authz.routes_notifications",
    "tests.authz.routes_progress",
    "tests.authz.routes_certificates",
    "tests.authz.routes_carry",  # after routes_certificates: it reuses that module's certificate
    "tests.authz.routes_seal",
    "tests.authz.routes_personal_data",
    "tests.authz.routes_api",
    "tests.authz.routes_twofactor",
    "tests.authz.routes_jobs",
    "tests.authz.routes_ops",
    "tests.authz.routes_status",
    "tests.authz.routes_renew",
    "tests.authz.routes_dashboard",
    "tests.authz.routes_maillinks",
    "tests.authz.routes_import",
    "tests.authz.routes_applications",
    "tests.authz.routes_imported",
    "tests.authz.routes_editor",
    "tests.authz.routes_storage",
    "tests.authz.routes_participants",
    "tests.authz.routes_status_levels",
    "tests.authz.routes_profiles",
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
    #: What the three neighbours get, when it is not what the trainee or supervisor get.
    neighbours: dict[str, int] | None = None

    def __post_init__(self) -> None:
        missing = set(ROLES) - set(self.expect)
        assert not missing, f"{self.endpoint} {self.method}: no expectation for {missing}"
        if self.neighbours is not None:
            assert set(self.neighbours) == set(NEIGHBOURS), f"{self.endpoint}: neighbours must name all three"

    def expected_for(self, role: str) -> int:
        if role in self.expect:
            return self.expect[role]
        if self.neighbours is not None:
            return self.neighbours[role]
        return self.expect["trainee" if role == "peer" else "supervisor"]


def expect(anonymous: int, trainee: int, supervisor: int, admin: int, other_admin: int) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, trainee, supervisor, admin, other_admin), strict=True))


def neighbours(peer: int, unassigned: int, co_leader: int) -> dict[str, int]:
    return dict(zip(NEIGHBOURS, (peer, unassigned, co_leader), strict=True))


#: The usual answer of the neighbours on a page about one of the trainee's own objects.
NOT_THEIRS = neighbours(403, 403, 403)


def all_cases(world) -> list[RouteCase]:
    rows: list[RouteCase] = []
    for name in FEATURE_MODULES:
        rows.extend(importlib.import_module(name).cases(world))
    # Logging out ends the session the remaining cases need, so it always runs last.
    return sorted(rows, key=lambda row: (row.is_destructive, row.endpoint == "accounts.logout"))

"""Every route, tried as every role, including an admin of another association."""

from __future__ import annotations

import re

import pytest

from tests.authz.cases import NEIGHBOURS, ROLES, all_cases
from tests.helpers import csrf_token_in

LOGINS = {
    "trainee": "trainee@x.test",
    "supervisor": "sup@x.test",
    "admin": "admin@x.test",
    "other_admin": "admin@other.test",
    "peer": "peer@x.test",
    "unassigned": "sup3@x.test",
    "co_leader": "sup2@x.test",
}


@pytest.fixture
def neighbours(world, make_user):
    """The peer trainee, enrolled and supervised by ``unassigned``; the co-leader is the
    world's second supervisor (named on the logbook rows' session to confirm)."""
    from tests.api.matrix import add_neighbours

    return add_neighbours(world, make_user)


@pytest.mark.parametrize("role", ROLES + NEIGHBOURS)
def test_each_route_answers_each_role_as_expected(app, world, neighbours, role):
    client = app.test_client()
    if role != "anonymous":
        assert client.login(LOGINS[role]).status_code == 302
    token_page = "/home" if role != "anonymous" else "/login"
    token = csrf_token_in(client.get(token_page).get_data(as_text=True))
    wrong = []
    for case in all_cases(world):
        if case.method == "GET":
            response = client.get(case.url)
        else:
            response = client.post(case.url, data={"csrf_token": token, **case.data})
        expected = case.expected_for(role)
        if response.status_code != expected:
            wrong.append(f"{case.method} {case.url}: {response.status_code}, expected {expected}")
        assert response.status_code != 500, f"{case.method} {case.url} crashed"
        response.close()  # static files stream from an open file
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)


@pytest.mark.production_database  # reads the route table, which no database changes: once
def test_every_route_is_in_the_matrix(app, world):
    covered = {(case.endpoint, case.method) for case in all_cases(world)}
    missing = []
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without an authorization test:\n" + "\n".join(sorted(missing))


@pytest.mark.production_database  # reads the route table, which no database changes: once
def test_routes_about_one_object_say_what_the_neighbours_get(app, world, neighbours):
    """A route with an id in its path that the trainee or supervisor may use must name
    the neighbours' answers: the default (same as trainee or supervisor) would let a
    route that serves anyone's object pass unnoticed."""
    silent = [
        f"{case.method} {case.url} ({case.endpoint})"
        for case in all_cases(world)
        if re.search(r"/\d+(/|$)", case.url)
        and case.neighbours is None
        and any(case.expect[role] < 400 for role in ("trainee", "supervisor"))
    ]
    assert not silent, "object routes without neighbour expectations:\n" + "\n".join(silent)

"""Every route, tried as every role, including an admin of another association."""

from __future__ import annotations

import pytest

from tests.authz.cases import ROLES, all_cases
from tests.helpers import csrf_token_in

LOGINS = {
    "trainee": "trainee@x.test",
    "supervisor": "sup@x.test",
    "admin": "admin@x.test",
    "other_admin": "admin@other.test",
}


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_as_expected(app, world, role):
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
        if response.status_code != case.expect[role]:
            wrong.append(f"{case.method} {case.url}: {response.status_code}, expected {case.expect[role]}")
        assert response.status_code != 500, f"{case.method} {case.url} crashed"
        response.close()  # static files stream from an open file
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)


def test_every_route_is_in_the_matrix(app, world):
    covered = {(case.endpoint, case.method) for case in all_cases(world)}
    missing = []
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without an authorization test:\n" + "\n".join(sorted(missing))

"""Behind one trusted proxy, X-Forwarded-For names the client that login throttling counts."""

from __future__ import annotations

import pytest

from tests.accounts.test_login_throttle import ATTACKER, OWNER, fail_five_times, from_address


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TRUSTED_PROXY_COUNT": 1}


def test_x_forwarded_for_is_the_client_behind_one_trusted_proxy(app, world):
    proxy = from_address(app, "10.0.0.2")
    fail_five_times(proxy, headers={"X-Forwarded-For": ATTACKER})
    assert proxy.login("trainee@x.test", headers={"X-Forwarded-For": ATTACKER}).status_code == 429
    assert proxy.login("trainee@x.test", headers={"X-Forwarded-For": OWNER}).status_code == 302

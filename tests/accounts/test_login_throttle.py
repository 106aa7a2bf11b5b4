"""Finding 11 of issue 13: failures slow one account from one address, never the owner elsewhere."""

from __future__ import annotations

from app.accounts import throttle

ATTACKER, OWNER = "198.51.100.7", "203.0.113.20"


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail_five_times(client, email: str = "trainee@x.test", **kwargs) -> None:
    for _ in range(5):
        assert client.login(email, "wrong-password", **kwargs).status_code == 200


def test_an_attackers_failures_do_not_lock_the_owner_out(app, world):
    attacker = from_address(app, ATTACKER)
    fail_five_times(attacker)
    assert attacker.login("trainee@x.test", "wrong-password").status_code == 429
    assert from_address(app, OWNER).login("trainee@x.test").status_code == 302


def test_the_pair_waits_even_with_the_right_password(app, world):
    attacker = from_address(app, ATTACKER)
    fail_five_times(attacker)
    blocked = attacker.login("trainee@x.test")
    assert blocked.status_code == 429
    assert "Too many failed attempts from here" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) > 0
    # Another account from the same address is not slowed by this account's failures.
    assert attacker.login("trainee2@x.test").status_code == 302


def test_the_wait_doubles_after_each_further_failure_up_to_a_cap(app):
    delays = [throttle.delay_after(n) for n in range(1, 12)]
    assert delays == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]


def test_a_successful_sign_in_wipes_the_pairs_slate(app, world):
    client = from_address(app, OWNER)
    for _ in range(4):
        client.login("trainee@x.test", "wrong-password")
    assert client.login("trainee@x.test").status_code == 302
    client.logout()
    client.login("trainee@x.test", "wrong-password")
    assert client.login("trainee@x.test").status_code == 302


def test_x_forwarded_for_is_ignored_without_trusted_proxies(app, world):
    attacker = from_address(app, ATTACKER)
    for number in range(5):
        headers = {"X-Forwarded-For": f"192.0.2.{number}"}
        assert attacker.login("trainee@x.test", "wrong-password", headers=headers).status_code == 200
    assert attacker.login("trainee@x.test", headers={"X-Forwarded-For": "192.0.2.99"}).status_code == 429

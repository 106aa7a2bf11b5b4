"""Logging in and out, server-side sessions, rate limits and passwords."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts import services
from app.audit.models import AuditEvent
from app.extensions import db


def test_login_with_right_password_lands_on_home(client, world):
    response = client.login("trainee@x.test")
    assert response.status_code == 302
    home = client.get("/home")
    assert home.status_code == 200
    assert "Welcome, Tomas Trainee" in home.get_data(as_text=True)


def test_login_with_wrong_password_is_refused_and_audited(client, world):
    response = client.login("trainee@x.test", "wrong-password")
    assert response.status_code == 200
    assert "do not match an active account" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302
    failures = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
    assert [event.details["email"] for event in failures] == ["trainee@x.test"]


def test_unknown_address_gets_the_same_message_as_a_wrong_password(client, world):
    unknown = client.login("nobody@x.test", "whatever-password").get_data(as_text=True)
    assert "do not match an active account" in unknown


def test_cookie_replayed_after_logout_is_rejected(client, world):
    client.login("trainee@x.test")
    saved_cookie = client.get_cookie("session").value
    assert client.get("/home").status_code == 200
    client.logout()
    assert client.get("/home").status_code == 302
    client.set_cookie("session", saved_cookie)
    replay = client.get("/home")
    assert replay.status_code == 302
    assert "/login" in replay.headers["Location"]


def test_changing_password_ends_other_sessions_but_keeps_this_one(app, world):
    laptop, phone = app.test_client(), app.test_client()
    laptop.login("trainee@x.test")
    phone.login("trainee@x.test")
    response = laptop.submit(
        "/account/password",
        {
            "current_password": "stillpoint-demo",
            "new_password": "a-new-long-passphrase",
            "confirm": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/home").status_code == 200
    assert phone.get("/home").status_code == 302
    fresh = app.test_client()
    assert fresh.login("trainee@x.test", "a-new-long-passphrase").status_code == 302


def test_change_password_with_wrong_current_password_shows_error_beside_field(client, world):
    client.login("trainee@x.test")
    response = client.submit(
        "/account/password",
        {
            "current_password": "nope-nope-nope",
            "new_password": "a-new-long-passphrase",
            "confirm": "a-new-long-passphrase",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="current_password-error"' in html
    assert "Not correct." in html


def test_disabling_the_last_membership_ends_their_sessions(app, world):
    trainee = app.test_client()
    trainee.login("trainee2@x.test")
    assert trainee.get("/home").status_code == 200
    admin = app.test_client()
    admin.login("admin@x.test")
    admin.submit(
        f"/admin/members/{world.trainee2.id}",
        {},
        action=f"/admin/members/{world.trainee2.id}/disable",
    )
    assert trainee.get("/home").status_code == 302
    assert app.test_client().login("trainee2@x.test").status_code == 200  # refused: form again


def test_login_is_rate_limited_per_address(app, world):
    client = app.test_client()
    for number in range(20):
        client.login(f"someone{number}@x.test", "wrong-password")
    assert client.login("trainee@x.test").status_code == 429


def test_password_reset_link_sets_a_new_password_once(app, client, world):
    client.submit("/password/forgot", {"email": "trainee@x.test"})
    from app.mail.models import OutboxMessage

    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.recipient == "trainee@x.test"
    link = next(line for line in message.body.splitlines() if "/password/reset/" in line)
    path = link.split("http://localhost", 1)[1]
    response = client.submit(path, {"password": "brand-new-passphrase", "confirm": "brand-new-passphrase"})
    assert response.status_code == 302
    assert client.login("trainee@x.test", "brand-new-passphrase").status_code == 302
    assert app.test_client().get(path).status_code == 404  # spent


def test_password_reset_does_not_reveal_unknown_addresses(client, world):
    known = client.submit("/password/forgot", {"email": "trainee@x.test"}, follow_redirects=True)
    unknown = client.submit("/password/forgot", {"email": "nobody@x.test"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert "If an account uses that address" in unknown.get_data(as_text=True)


def test_expired_reset_link_is_refused(app, client, world):
    from datetime import timedelta

    from app.accounts.models import PasswordReset
    from app.database import utcnow

    services.request_password_reset("trainee@x.test")
    db.session.commit()
    reset = db.session.scalars(select(PasswordReset)).one()
    reset.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    message = db.session.scalars(select(__import__("app.mail.models", fromlist=["x"]).OutboxMessage)).one()
    path = next(line for line in message.body.splitlines() if "/password/reset/" in line).split("localhost")[
        1
    ]
    assert client.get(path).status_code == 404


def test_open_redirect_after_login_is_refused(client, world):
    response = client.submit(
        "/login?next=//evil.example/", {"email": "trainee@x.test", "password": "stillpoint-demo"}
    )
    assert response.headers["Location"] == "/home"


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",  # a tab: browsers drop it and read //evil.example
        "/%0a/x",  # a newline in Location was a 500
        "/%0d/x",
        "/%5c/evil.example",  # a backslash reads as a slash
        "/%20/evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
    ],
)
def test_login_ignores_a_next_that_leaves_the_site(client, world, target):
    response = client.submit(
        f"/login?next={target}", {"email": "trainee@x.test", "password": "stillpoint-demo"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_login_follows_a_next_on_this_site(client, world):
    response = client.submit(
        "/login?next=/logbook/%3Fpage%3D2", {"email": "trainee@x.test", "password": "stillpoint-demo"}
    )
    assert response.headers["Location"] == "/logbook/?page=2"


def test_disabling_a_membership_ends_only_that_associations_access(app, world):
    """Finding 12 of issue 13: admin A cannot sign a person out of association B."""
    from app.accounts.models import Membership, Role

    db.session.add(
        Membership(user_id=world.trainee2.id, association_id=world.other.id, role=Role.TRAINEE.value)
    )
    db.session.commit()
    person = app.test_client()
    person.login("trainee2@x.test")
    person.submit("/home", {}, action=f"/associations/{world.association.id}/switch")
    assert "Balint Society X" in person.get("/home").get_data(as_text=True)
    admin = app.test_client()
    admin.login("admin@x.test")
    admin.submit(
        f"/admin/members/{world.trainee2.id}",
        {},
        action=f"/admin/members/{world.trainee2.id}/disable",
    )
    home = person.get("/home")
    assert home.status_code == 200  # still signed in
    page = home.get_data(as_text=True)
    assert "Other Society" in page and "Balint Society X" not in page
    refused = person.submit("/home", {}, action=f"/associations/{world.association.id}/switch")
    assert "Balint Society X" not in person.get("/home").get_data(as_text=True), refused.status_code

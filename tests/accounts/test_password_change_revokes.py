"""Findings 6 and 10 of issue 13: a new password ends API tokens and every open reset link."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts import services
from app.api import tokens as token_service
from app.api.models import SCOPE_READ
from app.extensions import db
from app.mail.models import OutboxMessage

NEW = {"password": "brand-new-passphrase", "confirm": "brand-new-passphrase"}


def api_token(user) -> dict[str, str]:
    _token, secret = token_service.create_personal_token(user, name="script", scope=SCOPE_READ)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def reset_links(client, email: str = "trainee@x.test", count: int = 1) -> list[str]:
    """Ask for ``count`` reset links through the form; their paths, oldest first."""
    for _ in range(count):
        client.submit("/password/forgot", {"email": email})
    bodies = [m.body for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    return [
        word.split("http://localhost", 1)[1] for body in bodies for word in body.split() if "/reset/" in word
    ]


def test_changing_the_password_revokes_api_tokens(client, world):
    headers = api_token(world.trainee)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    client.login("trainee@x.test")
    page = client.get("/account/password").get_data(as_text=True)
    assert "revokes your API tokens" in page
    response = client.submit(
        "/account/password",
        {"current_password": "stillpoint-demo", "new_password": NEW["password"], "confirm": NEW["confirm"]},
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_resetting_the_password_revokes_api_tokens(app, client, world):
    headers = api_token(world.trainee)
    [link] = reset_links(client)
    assert "revokes your API tokens" in client.get(link).get_data(as_text=True)
    assert client.submit(link, NEW).status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_using_a_newer_reset_link_spends_the_older_one(app, client, world):
    older, newer = reset_links(client, count=2)
    assert client.submit(newer, NEW).status_code == 302
    assert app.test_client().get(older).status_code == 404


def test_using_an_older_reset_link_spends_the_newer_one(app, client, world):
    older, newer = reset_links(client, count=2)
    assert client.submit(older, NEW).status_code == 302
    assert app.test_client().get(newer).status_code == 404


def test_changing_the_password_spends_open_reset_links(app, client, world):
    [link] = reset_links(client)
    services.change_password(world.trainee, "stillpoint-demo", NEW["password"], session_key=None)
    db.session.commit()
    assert client.get(link).status_code == 404


def test_a_new_password_leaves_other_peoples_tokens_and_links_alone(app, client, world):
    headers = api_token(world.trainee2)
    [link] = reset_links(client, email="trainee2@x.test")
    services.change_password(world.trainee, "stillpoint-demo", NEW["password"], session_key=None)
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get(link).status_code == 200

"""Finding 1 of issue 13: absolute links come from BASE_URL, never from the Host header,
and requests naming a host that is not configured are refused."""

from __future__ import annotations

from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.mail.models import OutboxMessage
from app.notifications import services as notifications
from tests.helpers import csrf_token_in

ALTERNATE = "http://127.0.0.1"  # trusted in development, but not the configured BASE_URL


def submit_on(client, base_url: str, path: str, data: dict, *, page: str | None = None):
    """Fill in a form with the whole exchange (page, cookie, post) on one host."""
    form = client.get(page or path, base_url=base_url)
    assert form.status_code == 200
    token = csrf_token_in(form.get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data}, base_url=base_url)


def mail_links() -> list[str]:
    bodies = [message.body for message in db.session.scalars(select(OutboxMessage))]
    return [word for body in bodies for word in body.split() if word.startswith("http")]


def test_password_reset_from_an_unconfigured_host_is_refused(client, world):
    assert client.get("/password/forgot", base_url="http://attacker.example").status_code == 400
    response = client.post(
        "/password/forgot", data={"email": "trainee@x.test"}, base_url="http://attacker.example"
    )
    assert response.status_code == 400
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_reset_link_uses_base_url_when_asked_on_another_trusted_host(app, client, world):
    app.config["BASE_URL"] = "https://stillpoint.example"
    response = submit_on(client, ALTERNATE, "/password/forgot", {"email": "trainee@x.test"})
    assert response.status_code == 302
    [link] = mail_links()
    assert link.startswith("https://stillpoint.example/password/reset/")


def test_invitation_link_uses_base_url(app, client, world):
    app.config["BASE_URL"] = "https://stillpoint.example"
    login = submit_on(client, ALTERNATE, "/login", {"email": "admin@x.test", "password": "stillpoint-demo"})
    assert login.status_code == 302
    response = submit_on(
        client,
        ALTERNATE,
        "/admin/invitations",
        {"invite-email": "new@x.test", "invite-role": "trainee"},
        page="/admin/members",
    )
    assert response.status_code == 302
    [link] = mail_links()
    assert link.startswith("https://stillpoint.example/invitations/")


def test_notification_mail_link_uses_base_url_inside_a_request(app, world):
    app.config["BASE_URL"] = "https://stillpoint.example"
    with app.test_request_context("/", base_url=ALTERNATE):
        notifications.notify(world.trainee.id, world.association.id, "Signed.", "/logbook/records/7")
        db.session.commit()
    assert mail_links() == ["https://stillpoint.example/logbook/records/7"]


def test_trusted_hosts_default_to_the_base_url_host_and_loopback_in_development():
    app = create_app({"BASE_URL": "https://stillpoint.example", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["TRUSTED_HOSTS"] == ["stillpoint.example", "localhost", "127.0.0.1"]
    production = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "x" * 40,
            "SEAL_KEY_SECRET": "s" * 48,
            "BASE_URL": "https://stillpoint.example",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    assert production.config["TRUSTED_HOSTS"] == ["stillpoint.example"]
    assert production.test_client().get("/", headers={"Host": "localhost"}).status_code == 400


def test_port_sets_the_development_base_url(monkeypatch):
    monkeypatch.delenv("STILLPOINT_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "5101")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["BASE_URL"] == "http://127.0.0.1:5101"

"""The association's rule, remembered browsers, and the account page's overview."""

from __future__ import annotations

from sqlalchemy import select

from app.api import tokens
from app.audit.models import AuditEvent
from app.extensions import db
from app.mail.models import OutboxMessage
from app.twofactor import devices
from app.twofactor.models import RememberedDevice
from tests.twofactor.helpers import code_at, enrol, second_step


def _require(client):
    """The admin sets up their own second factor, then turns the rule on."""
    client.login("admin@x.test")
    enrol(client)
    response = client.submit("/association/security", {"requires_two_factor": "y"})
    assert response.status_code == 302
    client.logout()


def test_only_admins_see_the_association_setting(app, world):
    client = app.test_client()
    client.login("sup@x.test")
    assert client.get("/association/security").status_code == 403


def test_an_admin_without_two_factor_cannot_require_it_of_others(client, world):
    client.login("admin@x.test")
    response = client.submit("/association/security", {"requires_two_factor": "y"})
    assert response.status_code == 422
    assert "Set it up for yourself first." in response.get_data(as_text=True)
    assert client.get("/home").status_code == 200


def test_a_supervisor_without_two_factor_is_sent_to_set_it_up_first(app, client, world):
    _require(client)
    events = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.association_id == world.association.id)
    )
    assert "association.two_factor_required" in list(events)
    client.login("sup@x.test")
    for page in ("/home", "/logbook/", "/account"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.headers["Location"].endswith("/account/two-factor")
    assert "asks its admins and supervisors" in client.get("/account/two-factor").get_data(as_text=True)
    enrol(client)
    assert client.get("/home").status_code == 200


def test_trainees_are_not_held_by_the_rule(client, world):
    _require(client)
    client.login("trainee@x.test")
    assert client.get("/home").status_code == 200


def test_api_tokens_still_work_when_the_rule_holds(app, client, world):
    _token, secret = tokens.create_personal_token(world.supervisor, name="sync", scope="read")
    db.session.commit()
    _require(client)
    api = app.test_client()
    response = api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.get_json()["id"] == world.supervisor.id


def test_a_remembered_browser_skips_the_code_until_it_is_forgotten(client, world):
    client.login("trainee@x.test")
    secret, _codes = enrol(client)
    client.logout()
    client.login("trainee@x.test")
    assert second_step(client, code_at(secret, 1), remember=True).status_code == 302
    assert client.get_cookie(devices.COOKIE_NAME) is not None
    client.logout()
    straight_in = client.login("trainee@x.test")
    assert straight_in.headers["Location"].endswith("/home")
    assert client.get("/home").status_code == 200

    device = db.session.scalar(select(RememberedDevice))
    settings = client.get("/account/two-factor").get_data(as_text=True)
    assert f"/account/two-factor/devices/{device.id}/forget" in settings
    assert (
        client.submit(
            "/account/two-factor", {}, action=f"/account/two-factor/devices/{device.id}/forget"
        ).status_code
        == 302
    )
    client.logout()
    assert client.login("trainee@x.test").headers["Location"].endswith("/login/two-factor")
    actions = list(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == world.trainee.id))
    )
    assert {"two_factor.device_remembered", "two_factor.device_forgotten"} <= set(actions)
    subjects = set(
        db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.recipient == "trainee@x.test"))
    )
    assert {"A device was remembered", "A device was forgotten"} <= subjects


def test_a_copied_cookie_does_not_skip_the_code_for_someone_else(app, client, world, make_user):
    client.login("trainee@x.test")
    secret, _codes = enrol(client)
    client.logout()
    client.login("trainee@x.test")
    second_step(client, code_at(secret, 1), remember=True)
    cookie = client.get_cookie(devices.COOKIE_NAME).value
    other = app.test_client()
    other.login("trainee2@x.test")
    enrol(other)
    other.logout()
    other.set_cookie(devices.COOKIE_NAME, cookie)
    assert other.login("trainee2@x.test").headers["Location"].endswith("/login/two-factor")


def test_a_new_password_forgets_remembered_browsers(client, world):
    client.login("trainee@x.test")
    secret, _codes = enrol(client)
    client.logout()
    client.login("trainee@x.test")
    second_step(client, code_at(secret, 1), remember=True)
    assert db.session.scalar(select(RememberedDevice)) is not None
    client.submit(
        "/account/password",
        {
            "current_password": "stillpoint-demo",
            "new_password": "another-long-passphrase",
            "confirm": "another-long-passphrase",
        },
    )
    db.session.expire_all()
    assert db.session.scalar(select(RememberedDevice)) is None


def test_the_account_page_lists_api_tokens_with_their_last_use(app, client, world):
    _token, secret = tokens.create_personal_token(world.trainee, name="laptop-sync", scope="read")
    tokens.create_personal_token(world.trainee, name="never-used", scope="read")
    db.session.commit()
    app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    client.login("trainee@x.test")
    page = client.get("/account").get_data(as_text=True)
    assert "laptop-sync" in page and "never-used" in page
    row = page.split("laptop-sync", 1)[1].split("</tr>", 1)[0]
    assert "Never" not in row
    assert "Never" in page.split("never-used", 1)[1].split("</tr>", 1)[0]

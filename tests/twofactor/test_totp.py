"""Two-factor sign-in with an authenticator app, through the real forms with CSRF."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from app.accounts.models import LoginSession
from app.audit.models import AuditEvent
from app.extensions import db
from app.mail.models import OutboxMessage
from app.twofactor.login_views import PENDING, PENDING_SECONDS
from app.twofactor.models import RecoveryCode, TotpCredential
from tests.helpers import csrf_token_in
from tests.twofactor.helpers import code_at, enrol, second_step


def _actions(user) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "User", AuditEvent.object_id == str(user.id))
            .order_by(AuditEvent.id)
        )
    )


def _subjects(email: str) -> list[str]:
    return list(
        db.session.scalars(
            select(OutboxMessage.subject).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)
        )
    )


def test_enrolment_shows_a_qr_code_and_the_typed_secret(client, world):
    client.login("trainee@x.test")
    page = client.get("/account/two-factor/app").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    assert 'class="tf-secret"' in page


def test_a_wrong_first_code_does_not_turn_it_on(client, world):
    client.login("trainee@x.test")
    client.get("/account/two-factor/app")
    response = client.submit("/account/two-factor/app", {"code": "000000"})
    assert response.status_code == 422
    assert "Not the current code." in response.get_data(as_text=True)
    assert db.session.get(TotpCredential, world.trainee.id).confirmed_at is None


def test_enrolling_stores_hashed_recovery_codes_audits_and_mails(client, world):
    client.login("trainee@x.test")
    secret, codes = enrol(client)
    stored = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10
    assert not any(code.replace("-", "") in value for code in codes for value in stored)
    assert "two_factor.enabled" in _actions(world.trainee)
    assert "Two-factor sign-in is on" in _subjects("trainee@x.test")
    # The recovery codes are shown once: the settings page does not repeat them.
    assert codes[0] not in client.get("/account/two-factor").get_data(as_text=True)


def test_login_asks_for_the_code_after_the_password(client, world):
    client.login("trainee@x.test")
    secret, _codes = enrol(client)
    client.logout()
    response = client.login("trainee@x.test")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login/two-factor")
    assert client.get("/home").status_code == 302  # the password alone signs nobody in
    wrong = second_step(client, "123456" if code_at(secret, 1) != "123456" else "654321")
    assert wrong.status_code == 422
    assert client.get("/home").status_code == 302
    right = second_step(client, code_at(secret, 1))
    assert right.status_code == 302
    assert client.get("/home").status_code == 200
    assert "auth.second_factor_failed" in _actions(world.trainee)


def test_the_same_code_is_refused_a_second_time(client, world):
    client.login("trainee@x.test")
    secret, _codes = enrol(client)
    # The step the enrolment spent, read back: on a slow machine "now" may be the next step already.
    spent = db.session.scalar(
        select(TotpCredential.last_step).where(TotpCredential.user_id == world.trainee.id)
    )
    used_for_enrolment = pyotp.TOTP(secret).generate_otp(spent)
    client.logout()
    client.login("trainee@x.test")
    # The code that confirmed the app is still inside its window, but already spent.
    assert second_step(client, used_for_enrolment).status_code == 422
    next_code = pyotp.TOTP(secret).generate_otp(spent + 1)
    assert second_step(client, next_code).status_code == 302
    client.logout()
    client.login("trainee@x.test")
    assert second_step(client, next_code).status_code == 422


def test_a_recovery_code_works_once(client, world):
    client.login("trainee@x.test")
    _secret, codes = enrol(client)
    client.logout()
    client.login("trainee@x.test")
    assert second_step(client, codes[3].upper()).status_code == 302
    assert client.get("/home").status_code == 200
    client.logout()
    client.login("trainee@x.test")
    assert second_step(client, codes[3]).status_code == 422
    assert "two_factor.recovery_code_used" in _actions(world.trainee)


def test_wrong_codes_are_rate_limited_per_account(app, client, world):
    client.login("trainee@x.test")
    secret, _codes = enrol(client)
    client.logout()
    client.login("trainee@x.test")
    for _attempt in range(5):
        assert (
            second_step(client, "999999" if code_at(secret, 1) != "999999" else "888888").status_code == 422
        )
    # Even the right code is refused now, and so is a fresh attempt from another browser.
    assert second_step(client, code_at(secret, 1)).status_code == 429
    other = app.test_client()
    other.login("trainee@x.test")
    assert second_step(other, code_at(secret, 1)).status_code == 429


def test_new_recovery_codes_replace_the_old_ones(client, world):
    client.login("trainee@x.test")
    secret, old = enrol(client)
    page = client.submit("/account/two-factor/recovery-codes", {"code": code_at(secret, 1)})
    assert page.status_code == 200
    new = [line for line in old if line in page.get_data(as_text=True)]
    assert new == []
    assert "two_factor.recovery_codes_regenerated" in _actions(world.trainee)
    assert "New recovery codes" in _subjects("trainee@x.test")
    client.logout()
    client.login("trainee@x.test")
    assert second_step(client, old[0]).status_code == 422


def test_turning_it_off_needs_the_password_and_a_code(client, world):
    client.login("trainee@x.test")
    secret, codes = enrol(client)
    no_password = client.submit("/account/two-factor/disable", {"password": "wrong-one", "code": codes[0]})
    assert no_password.status_code == 422
    no_code = client.submit("/account/two-factor/disable", {"password": "stillpoint-demo", "code": "000000"})
    assert no_code.status_code == 422
    done = client.submit("/account/two-factor/disable", {"password": "stillpoint-demo", "code": codes[1]})
    assert done.status_code == 302
    assert "two_factor.disabled" in _actions(world.trainee)
    assert "Two-factor sign-in is off" in _subjects("trainee@x.test")
    client.logout()
    assert client.login("trainee@x.test").headers["Location"].endswith("/home")


def test_the_second_step_without_a_password_step_sends_back_to_login(client, world):
    response = client.get("/login/two-factor")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_the_page_asked_for_before_login_opens_after_the_code(client, world):
    client.login("trainee@x.test")
    secret, _codes = enrol(client)
    client.logout()
    page = client.get("/login?next=/account")
    token = csrf_token_in(page.get_data(as_text=True))
    client.post(
        "/login?next=/account",
        data={"csrf_token": token, "email": "trainee@x.test", "password": "stillpoint-demo"},
    )
    response = second_step(client, code_at(secret, 1))
    assert response.headers["Location"].endswith("/account")


def test_a_password_step_left_too_long_must_be_done_again(client, world):
    client.login("trainee@x.test")
    secret, _codes = enrol(client)
    client.logout()
    client.login("trainee@x.test")
    with client.session_transaction() as browser_session:
        pending = dict(browser_session[PENDING])
        pending["at"] -= PENDING_SECONDS + 1
        browser_session[PENDING] = pending
    response = client.get("/login/two-factor")
    assert response.headers["Location"].endswith("/login")
    assert client.get("/home").status_code == 302
    # The session held back for this login is ended on the server too.
    held = db.session.scalars(select(LoginSession).where(LoginSession.user_id == world.trainee.id))
    assert list(held) == []

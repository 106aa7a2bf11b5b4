"""The second step of logging in: after the password, a code (or a passkey).

``accounts.login`` calls :func:`hold_for_second_factor` right after the password
check. The server-side session it opened is kept back, its key parked in the signed
session cookie under ``PENDING``, and only handed to ``auth.sign_in`` once the second
factor is shown. Until then nothing signs the browser in.
"""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import auth
from app.accounts import sessions
from app.accounts.models import User
from app.audit.services import record
from app.errors import ValidationError
from app.extensions import db, limiter
from app.forms_util import apply_errors
from app.twofactor import bp, devices, services
from app.twofactor.forms import ChallengeForm

PENDING = "two_factor_pending"
#: How long the password step stays good while the person finds their phone.
PENDING_SECONDS = 10 * 60


def hold_for_second_factor(user: User, session_key: str, next_url: str | None) -> Response | None:
    """Ask for the second factor if ``user`` has one; None means: sign in now.

    A browser this person asked us to remember skips the question.
    """
    if not services.has_second_factor(user):
        return None
    if devices.is_remembered(user, request.cookies.get(devices.COOKIE_NAME)):
        db.session.commit()
        return None
    session.clear()
    session[PENDING] = {"user_id": user.id, "key": session_key, "next": next_url, "at": int(time.time())}
    return redirect(url_for("twofactor.challenge"))


def _pending() -> tuple[User, dict] | None:
    """The user half-way through logging in, or None (never started, or too long ago)."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        sessions.end_session(pending.get("key"))
        db.session.commit()
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, pending.get("user_id"))
    if user is None or not user.is_enabled:
        return None
    return user, pending


def _pending_user_key() -> str:
    """Rate-limit key: the account being logged into, whichever address tries it."""
    pending = session.get(PENDING)
    return f"2fa:{pending.get('user_id') if isinstance(pending, dict) else 'none'}"


def finish_login(user: User, pending: dict, *, remember: bool = False) -> Response:
    """Hand the held session to the browser (and remember it if asked)."""
    cookie = devices.remember(user, request.user_agent.string) if remember else None
    record("auth.second_factor", user, actor=user)
    db.session.commit()
    auth.sign_in(user, pending["key"])
    response = redirect(pending.get("next") or url_for("home.dashboard"))
    if cookie:
        response.set_cookie(
            devices.COOKIE_NAME,
            cookie,
            max_age=devices.REMEMBER_DAYS * 24 * 3600,
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            samesite="Lax",
        )
    return response


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["TWO_FACTOR_LIMIT"],
    methods=["POST"],
    key_func=_pending_user_key,
    deduct_when=lambda response: response.status_code != 302,
)
def challenge():
    held = _pending()
    if held is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("accounts.login"))
    user, pending = held
    form = ChallengeForm()
    if form.validate_on_submit():
        try:
            services.check_code(user, form.code.data)
        except ValidationError as error:
            record("auth.second_factor_failed", user)
            db.session.commit()
            apply_errors(form, error) or flash(error.message, "error")
        else:
            return finish_login(user, pending, remember=bool(form.remember.data))
    factors = services.status(user)
    return render_template(
        "twofactor/challenge.html", form=form, has_totp=factors.has_totp, has_passkey=bool(factors.passkeys)
    ), (422 if request.method == "POST" else 200)

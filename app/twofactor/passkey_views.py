"""Passkey ceremonies, spoken in JSON by ``static/passkeys.js``.

Each ceremony has two calls: ``.../options`` makes a challenge (kept in the signed
session cookie) and the next call checks the browser's answer against it. Both are
POSTs with the CSRF token in the ``X-CSRFToken`` header, like every form.
"""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import login_required

from app import auth
from app.errors import ValidationError
from app.extensions import db, limiter
from app.twofactor import bp, passkeys, signed_in_user
from app.twofactor.forms import ConfirmForm
from app.twofactor.login_views import _pending, finish_login

REGISTER_CHALLENGE = "passkey_register_challenge"
LOGIN_CHALLENGE = "passkey_login_challenge"


def _options_response(options_json: str, challenge: bytes, key: str):
    session[key] = challenge.hex()
    return current_app.response_class(options_json, mimetype="application/json")


def _take_challenge(key: str) -> bytes:
    """The challenge of this ceremony, usable once."""
    value = session.pop(key, None)
    if not isinstance(value, str):
        raise ValidationError(_("Start again: the passkey request has expired."))
    return bytes.fromhex(value)


def _error(error: ValidationError):
    return jsonify(error={"code": error.code, "message": error.message, "fields": error.fields}), error.status


@bp.post("/account/two-factor/passkeys/options")
@login_required
def passkey_register_options():
    options_json, challenge = passkeys.registration_options(signed_in_user())
    return _options_response(options_json, challenge, REGISTER_CHALLENGE)


@bp.post("/account/two-factor/passkeys")
@login_required
def passkey_register():
    try:
        body = passkeys.parse_credential(request.get_data())
        challenge = _take_challenge(REGISTER_CHALLENGE)
        passkeys.register(signed_in_user(), str(body.get("name", "")), body.get("credential"), challenge)
    except ValidationError as error:
        db.session.rollback()
        return _error(error)
    db.session.commit()
    flash(_("Passkey added."), "success")
    return jsonify(redirect=url_for("twofactor.settings"))


@bp.post("/account/two-factor/passkeys/<int:passkey_id>/remove")
@login_required
def passkey_remove(passkey_id: int):
    if ConfirmForm().validate_on_submit():
        passkeys.remove(signed_in_user(), passkey_id)
        db.session.commit()
        flash(_("Passkey removed."), "success")
    return redirect(url_for("twofactor.settings"))


@bp.post("/login/passkey/options")
@limiter.limit("30 per 10 minutes", key_func=get_remote_address)
def passkey_login_options():
    held = _pending()
    options_json, challenge = passkeys.authentication_options(held[0] if held else None)
    return _options_response(options_json, challenge, LOGIN_CHALLENGE)


@bp.post("/login/passkey")
@limiter.limit("30 per 10 minutes", key_func=get_remote_address)
def passkey_login():
    """A passkey as the second factor (after the password), or instead of the password."""
    held = _pending()
    try:
        credential = passkeys.parse_credential(request.get_data())
        challenge = _take_challenge(LOGIN_CHALLENGE)
        if held is not None:
            user, pending = held
            passkeys.verify(credential, challenge, user=user)
        else:
            user, key = passkeys.sign_in_without_password(
                credential, challenge, user_agent=request.user_agent.string
            )
    except ValidationError as error:
        db.session.rollback()
        return _error(error)
    if held is not None:
        return jsonify(redirect=finish_login(user, pending).location)
    db.session.commit()
    auth.sign_in(user, key)
    return jsonify(redirect=url_for("home.dashboard"))

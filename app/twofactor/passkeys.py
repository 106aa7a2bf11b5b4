"""Passkeys (WebAuthn) through py_webauthn: registering them, and signing in with one.

The relying-party id and the expected origin come from the configured ``BASE_URL``,
never from the request, so a forged ``Host`` header cannot make the server accept a
passkey made for another site. Challenges are made here and kept by the caller (the
signed session cookie) between the two halves of each ceremony.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import webauthn
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from app import policy
from app.accounts import sessions
from app.accounts.models import User
from app.audit.services import record
from app.database import utcnow
from app.errors import NotFound, ValidationError
from app.extensions import db
from app.twofactor.models import Passkey
from app.twofactor.services import notify

RP_NAME = "Stillpoint"


def relying_party() -> tuple[str, str]:
    """The RP id (the host name) and the origin (scheme, host, port) of ``BASE_URL``."""
    parts = urlsplit(current_app.config["BASE_URL"])
    return parts.hostname or "", f"{parts.scheme}://{parts.netloc}"


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(passkey.credential_id))
        for passkey in db.session.scalars(select(Passkey).where(Passkey.user_id == user.id))
    ]


def registration_options(user: User) -> tuple[str, bytes]:
    """Options for ``navigator.credentials.create`` (JSON) and the challenge to keep."""
    rp_id, _origin = relying_party()
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=RP_NAME,
        user_id=f"stillpoint-user-{user.id}".encode(),
        user_name=user.email,
        user_display_name=user.name,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return webauthn.options_to_json(options), options.challenge


def register(user: User, name: str, credential: dict, challenge: bytes) -> Passkey:
    """Check the browser's answer and keep the new passkey."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError(
            _("Give the passkey a name of 1 to 100 characters."), fields={"name": [_("1 to 100 characters.")]}
        )
    rp_id, origin = relying_party()
    try:
        verified = webauthn.verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise ValidationError(_("The passkey could not be checked: %(why)s", why=str(error))) from error
    credential_id = bytes_to_base64url(verified.credential_id)
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == credential_id)):
        raise ValidationError(_("This passkey is already registered."))
    passkey = Passkey(
        user_id=user.id,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=name,
    )
    db.session.add(passkey)
    db.session.flush()
    record("two_factor.passkey_added", passkey, actor=user, name=name)
    added = _("The passkey “%(name)s” can now sign in to your account.", name=name)
    notify(user, _("A passkey was added"), added)
    return passkey


def remove(actor: User, passkey_id: int) -> None:
    """Remove one of the actor's passkeys; others' passkeys read as not found."""
    passkey = db.session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != actor.id:
        raise NotFound(_("No such passkey."))
    db.session.delete(passkey)
    record("two_factor.passkey_removed", actor, actor=actor, passkey_id=passkey_id, name=passkey.name)
    notify(actor, _("A passkey was removed"), _("The passkey “%(name)s” was removed.", name=passkey.name))


def authentication_options(user: User | None) -> tuple[str, bytes]:
    """Options for ``navigator.credentials.get``: any passkey of this site when
    signing in without a password (``user`` None), else only that person's."""
    rp_id, _origin = relying_party()
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=_descriptors(user) if user is not None else None,
        user_verification=UserVerificationRequirement.PREFERRED
        if user is not None
        else UserVerificationRequirement.REQUIRED,
    )
    return webauthn.options_to_json(options), options.challenge


def verify(credential: dict, challenge: bytes, *, user: User | None) -> User:
    """The person a passkey answer proves; ``user`` set means it is their second factor.

    Without a password the passkey must also have verified the person (PIN or
    biometrics), so it counts as both factors on its own.
    """
    failure = ValidationError(_("That passkey was not accepted."))
    if not isinstance(credential, dict) or not isinstance(credential.get("rawId"), str):
        raise failure
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == credential["rawId"]))
    if passkey is None or (user is not None and passkey.user_id != user.id):
        raise failure
    rp_id, origin = relying_party()
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=user is None,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise failure from error
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    owner = db.session.get(User, passkey.user_id)
    if not owner.is_enabled or not policy.roles_by_association(owner):
        raise failure
    return owner


def sign_in_without_password(credential: dict, challenge: bytes, *, user_agent: str = "") -> tuple[User, str]:
    """A passkey alone signs in: returns the person and their new session key."""
    user = verify(credential, challenge, user=None)
    user.last_login_at = utcnow()
    key = sessions.start_session(user, user_agent)
    record("auth.login", user, actor=user, method="passkey")
    return user, key


def parse_credential(raw: str | bytes | None) -> dict:
    """The browser's JSON answer, or a ValidationError (never a 500) for junk."""
    try:
        data = json.loads(raw or "")
    except (ValueError, TypeError, RecursionError) as error:
        raise ValidationError(_("That passkey answer could not be read.")) from error
    if not isinstance(data, dict):
        raise ValidationError(_("That passkey answer could not be read."))
    return data

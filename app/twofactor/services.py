"""The authenticator app (TOTP), recovery codes, and who must use a second factor.

Codes are checked here, never in views: a code is accepted once (the time step of the
last accepted code is stored, so a code seen over someone's shoulder cannot be
replayed within its window), and a recovery code is spent when used.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
from flask_babel import gettext as _
from sqlalchemy import delete, exists, func, select

from app import policy
from app.accounts.models import User
from app.accounts.passwords import hash_password, verify_password
from app.audit.services import record
from app.database import utcnow
from app.errors import InvalidState, ValidationError
from app.extensions import db
from app.mail import send_mail
from app.twofactor.models import (
    AssociationSecurity,
    Passkey,
    RecoveryCode,
    RememberedDevice,
    TotpCredential,
)
from app.urls import external_url

ISSUER = "Stillpoint"
RECOVERY_CODE_COUNT = 10
#: Codes of the step before and after the current one are accepted: clocks drift.
VALID_WINDOW = 1
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


@dataclass(frozen=True)
class Status:
    """What the account page says about a person's second factors."""

    has_totp: bool
    recovery_codes_left: int
    passkeys: list[Passkey]
    devices: list[RememberedDevice]

    @property
    def is_on(self) -> bool:
        return self.has_totp or bool(self.passkeys)


def status(user: User) -> Status:
    credential = db.session.get(TotpCredential, user.id)
    left = db.session.scalar(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    passkeys = db.session.scalars(select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id))
    devices = db.session.scalars(
        select(RememberedDevice)
        .where(RememberedDevice.user_id == user.id, RememberedDevice.expires_at > utcnow())
        .order_by(RememberedDevice.id.desc())
    )
    return Status(
        has_totp=credential is not None and credential.is_confirmed,
        recovery_codes_left=left or 0,
        passkeys=list(passkeys),
        devices=list(devices),
    )


def has_second_factor(user: User) -> bool:
    """True when signing in needs more than the password (an app or a passkey)."""
    has_totp = exists().where(TotpCredential.user_id == user.id, TotpCredential.confirmed_at.is_not(None))
    has_passkey = exists().where(Passkey.user_id == user.id)
    return bool(db.session.scalar(select(has_totp | has_passkey)))


def notify(user: User, subject: str, what: str) -> None:
    """Tell the person by e-mail, so a change they did not make does not go unnoticed."""
    send_mail(
        user.email,
        subject,
        _(
            "%(what)s\n\nYou can review your sign-in settings here:\n%(link)s\n\n"
            "If this was not you, change your password at once and tell your association.",
            what=what,
            link=external_url("twofactor.settings"),
        ),
    )


# --- the authenticator app -------------------------------------------------------------


def start_enrolment(user: User) -> TotpCredential:
    """A new, unconfirmed secret (or the one already waiting for its first code)."""
    credential = db.session.get(TotpCredential, user.id)
    if credential is not None and credential.is_confirmed:
        raise InvalidState(_("An authenticator app is already set up. Turn it off first to change it."))
    if credential is None:
        credential = TotpCredential(user_id=user.id, secret=pyotp.random_base32(), last_step=0)
        db.session.add(credential)
        db.session.flush()
    return credential


def provisioning_uri(user: User, credential: TotpCredential) -> str:
    return pyotp.TOTP(credential.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_data_uri(uri: str) -> str:
    """The enrolment QR code as an SVG data URI (the CSP allows data: images only)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _matching_step(credential: TotpCredential, code: str, now: float) -> int | None:
    """The time step whose code equals ``code`` and is newer than the last one used."""
    totp = pyotp.TOTP(credential.secret)
    current = int(now // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step <= credential.last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _clean(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn the app on with its first code; returns the recovery codes (shown once)."""
    credential = db.session.get(TotpCredential, user.id)
    if credential is None or credential.is_confirmed:
        raise InvalidState(_("Start setting up the authenticator app first."))
    step = _matching_step(credential, _clean(code), time.time())
    if step is None:
        raise ValidationError(
            _("That code does not match. Check the time on your phone and try the newest code."),
            fields={"code": [_("Not the current code.")]},
        )
    credential.last_step = step
    credential.confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    record("two_factor.enabled", user, actor=user, method="totp")
    notify(
        user, _("Two-factor sign-in is on"), _("An authenticator app now protects your Stillpoint account.")
    )
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _index in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _char in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_password(raw)))
    return codes


def check_code(user: User, code: str) -> str:
    """Accept an app code or an unused recovery code; returns which one it was.

    Raises ``ValidationError`` for anything else, including a code already used.
    """
    cleaned = _clean(code)
    credential = db.session.get(TotpCredential, user.id)
    if cleaned.isdigit() and len(cleaned) == 6:
        if credential is not None and credential.is_confirmed:
            step = _matching_step(credential, cleaned, time.time())
            if step is not None:
                credential.last_step = step
                return "totp"
    elif len(cleaned) == 10:
        unused = db.session.scalars(
            select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        for recovery in unused:
            if verify_password(recovery.code_hash, cleaned):
                recovery.used_at = utcnow()
                record("two_factor.recovery_code_used", user, actor=user)
                return "recovery"
    raise ValidationError(
        _("That code is not valid. Use the newest code from your app, or an unused recovery code."),
        fields={"code": [_("Not valid.")]},
    )


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    """A fresh set of recovery codes; the old ones stop working."""
    _require_totp(user)
    check_code(user, code)
    codes = _new_recovery_codes(user)
    record("two_factor.recovery_codes_regenerated", user, actor=user)
    notify(
        user,
        _("New recovery codes"),
        _("New recovery codes were made for your Stillpoint account; the old ones no longer work."),
    )
    return codes


def disable(user: User, password: str, code: str) -> None:
    """Turn the authenticator app off (needs the password and a current code)."""
    _require_totp(user)
    if not verify_password(user.password_hash, password):
        raise ValidationError(_("Your password is not correct."), fields={"password": [_("Not correct.")]})
    check_code(user, code)
    db.session.execute(delete(TotpCredential).where(TotpCredential.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    if not db.session.scalar(select(exists().where(Passkey.user_id == user.id))):
        # Nothing left to skip: remembered devices only make sense with a second factor.
        db.session.execute(delete(RememberedDevice).where(RememberedDevice.user_id == user.id))
    record("two_factor.disabled", user, actor=user, method="totp")
    notify(
        user,
        _("Two-factor sign-in is off"),
        _("The authenticator app was removed from your Stillpoint account."),
    )


def _require_totp(user: User) -> None:
    credential = db.session.get(TotpCredential, user.id)
    if credential is None or not credential.is_confirmed:
        raise InvalidState(_("No authenticator app is set up."))


# --- the association's rule -----------------------------------------------------------


def association_requires(association_id: int) -> bool:
    row = db.session.get(AssociationSecurity, association_id)
    return row is not None and row.requires_two_factor


def set_requirement(actor: User, association_id: int, required: bool) -> None:
    """An admin decides whether the association's admins and supervisors need 2FA.

    The admin turning it on must use a second factor already, so the rule never
    surprises the person who set it.
    """
    policy.require_admin(actor, association_id)
    if required and not has_second_factor(actor):
        raise ValidationError(
            _("Set up two-factor sign-in for yourself first, then require it of others."),
            fields={"requires_two_factor": [_("Set it up for yourself first.")]},
        )
    row = db.session.get(AssociationSecurity, association_id)
    if row is None:
        row = AssociationSecurity(association_id=association_id, requires_two_factor=False)
        db.session.add(row)
    if row.requires_two_factor != required:
        row.requires_two_factor = required
        record(
            "association.two_factor_required" if required else "association.two_factor_optional",
            actor=actor,
            association_id=association_id,
            object_type="Association",
            object_id=association_id,
        )


def must_enrol(user: User) -> bool:
    """An admin or supervisor of an association that requires 2FA, without any factor."""
    staff_of = [
        association_id
        for association_id in policy.roles_by_association(user)
        if policy.is_admin(user, association_id) or policy.is_supervisor(user, association_id)
    ]
    if not staff_of:
        return False
    required = db.session.scalar(
        select(
            exists().where(
                AssociationSecurity.association_id.in_(staff_of),
                AssociationSecurity.requires_two_factor.is_(True),
            )
        )
    )
    return bool(required) and not has_second_factor(user)

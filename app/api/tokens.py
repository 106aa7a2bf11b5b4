"""Creating, listing, revoking and checking API tokens (the secret is shown once)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.accounts.models import User
from app.api.models import SCOPES, ApiToken
from app.audit.services import record
from app.database import utcnow
from app.errors import NotFound, ValidationError
from app.extensions import db
from app.tokens import hash_token

DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 366
#: ``last_used_at`` is written at most this often, so reads do not each cost an UPDATE.
TOUCH_EVERY = timedelta(minutes=1)
PREFIX = "spt_"


def _check(name: str, scope: str, days: int) -> str:
    name = (name or "").strip()
    fields: dict[str, list[str]] = {}
    if not name or len(name) > 100:
        fields["name"] = [_("Give the token a name of 1 to 100 characters.")]
    if scope not in SCOPES:
        fields["scope"] = [_("Choose read, or read and write.")]
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        fields["expires_in_days"] = [_("Choose between 1 and %(n)d days.", n=MAX_LIFETIME_DAYS)]
    if fields:
        raise ValidationError(_("Please correct the marked fields."), fields=fields)
    return name


def _create(user: User, association_id: int | None, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    name = _check(name, scope, days)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        association_id=association_id,
        name=name,
        scope=scope,
        token_hash=hash_token(secret),
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    record("api_token.create", token, actor=user, name=name, scope=scope, service=association_id is not None)
    return token, secret


def create_personal_token(
    actor: User, *, name: str, scope: str, days: int = DEFAULT_LIFETIME_DAYS
) -> tuple[ApiToken, str]:
    """A token acting as ``actor``; returns it and the secret, which is never stored."""
    return _create(actor, None, name, scope, days)


def create_service_token(
    actor: User, association_id: int, *, name: str, scope: str, days: int = DEFAULT_LIFETIME_DAYS
) -> tuple[ApiToken, str]:
    """An admin's token for the association's own systems, limited to that association."""
    policy.require_admin(actor, association_id)
    return _create(actor, association_id, name, scope, days)


def tokens_of(actor: User) -> list[ApiToken]:
    """The actor's tokens, newest first (revoked and expired ones too, for the record)."""
    return list(
        db.session.scalars(select(ApiToken).where(ApiToken.user_id == actor.id).order_by(ApiToken.id.desc()))
    )


def revoke_token(actor: User, token_id: int) -> ApiToken:
    """End a token at once. Only its owner revokes it; others' tokens read as not found."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != actor.id:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record("api_token.revoke", token, actor=actor, name=token.name)
    return token


def revoke_all_tokens(user: User, *, reason: str) -> int:
    """Revoke every usable token of ``user`` (personal and service ones they made).

    Called when their password changes: a token made by whoever knew the old password
    must not outlive it. Returns how many were revoked.
    """
    now = utcnow()
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = now
        record("api_token.revoke", token, actor=user, name=token.name, reason=reason)
    return len(tokens)


def authenticate(secret: str) -> ApiToken | None:
    """The usable token for ``secret`` (None for unknown, revoked, expired or disabled)."""
    if not secret.startswith(PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    now = utcnow()
    if token is None or not token.is_usable(now) or not token.user.is_enabled:
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        token.last_used_at = now
    return token

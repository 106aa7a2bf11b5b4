"""Server-side login sessions.

The browser's signed session cookie holds a random session key; the database holds
its hash. Ending a session deletes the row, so the old cookie no longer signs anyone
in, even when it is replayed byte for byte.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from app.accounts.models import LoginSession, User
from app.database import utcnow
from app.extensions import db
from app.tokens import hash_token, new_token

# Writing last_seen_at on every request would turn every page view into a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


def start_session(user: User, user_agent: str = "") -> str:
    """Open a session for ``user`` and return the key to put in the cookie."""
    key, key_hash = new_token()
    db.session.add(LoginSession(key_hash=key_hash, user_id=user.id, user_agent=user_agent[:200]))
    return key


def user_for_session(key: str | None) -> User | None:
    """The enabled user a session key belongs to, or None when it was ended or expired."""
    if not key:
        return None
    row = db.session.execute(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.key_hash == hash_token(key))
    ).first()
    if row is None:
        return None
    login_session, user = row
    now = utcnow()
    lifetime = timedelta(seconds=current_app.config["PERMANENT_SESSION_LIFETIME"])
    if not user.is_enabled or now - login_session.created_at > lifetime:
        return None
    if now - login_session.last_seen_at > LAST_SEEN_RESOLUTION:
        login_session.last_seen_at = now
        db.session.commit()
    return user


def end_session(key: str | None) -> None:
    if key:
        db.session.execute(delete(LoginSession).where(LoginSession.key_hash == hash_token(key)))


def end_all_sessions(user_id: int, *, keep: str | None = None) -> None:
    """End every session of a user, optionally keeping the one making the request."""
    statement = delete(LoginSession).where(LoginSession.user_id == user_id)
    if keep:
        statement = statement.where(LoginSession.key_hash != hash_token(keep))
    db.session.execute(statement)

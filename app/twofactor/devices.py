"""Remembered devices: a browser that may skip the second factor for 30 days.

The cookie value is signed with the app key and carries the user id and a random
token; the database keeps the token's hash, so a device is forgotten by deleting its
row, and a copied cookie stops working the moment it is forgotten or expires.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.audit.services import record
from app.database import utcnow
from app.errors import NotFound
from app.extensions import db
from app.tokens import hash_token, new_token
from app.twofactor.models import RememberedDevice
from app.twofactor.services import notify

REMEMBER_DAYS = 30
COOKIE_NAME = "stillpoint_device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="twofactor.remembered-device")


def remember(user: User, user_agent: str = "") -> str:
    """Record this device for ``user``; returns the value to put in its cookie."""
    token, token_hash = new_token()
    device = RememberedDevice(
        user_id=user.id,
        token_hash=token_hash,
        user_agent=user_agent[:200],
        expires_at=utcnow() + timedelta(days=REMEMBER_DAYS),
    )
    db.session.add(device)
    db.session.flush()
    record("two_factor.device_remembered", device, actor=user)
    notify(
        user,
        _("A device was remembered"),
        _(
            "A browser (%(agent)s) will not be asked for your second factor for %(days)d days.",
            agent=device.user_agent or _("unknown"),
            days=REMEMBER_DAYS,
        ),
    )
    return _serializer().dumps({"u": user.id, "t": token})


def is_remembered(user: User, cookie_value: str | None) -> bool:
    """True when the cookie belongs to ``user`` and its device is still remembered."""
    if not cookie_value:
        return False
    try:
        data = _serializer().loads(cookie_value, max_age=REMEMBER_DAYS * 24 * 3600)
    except BadSignature:
        return False
    if not isinstance(data, dict) or data.get("u") != user.id or not isinstance(data.get("t"), str):
        return False
    device = db.session.scalar(
        select(RememberedDevice).where(
            RememberedDevice.token_hash == hash_token(data["t"]),
            RememberedDevice.user_id == user.id,
            RememberedDevice.expires_at > utcnow(),
        )
    )
    if device is None:
        return False
    device.last_used_at = utcnow()
    return True


def forget(actor: User, device_id: int) -> None:
    """Forget one of the actor's devices; others' devices read as not found."""
    device = db.session.get(RememberedDevice, device_id)
    if device is None or device.user_id != actor.id:
        raise NotFound(_("No such device."))
    db.session.delete(device)
    record("two_factor.device_forgotten", actor, actor=actor, device_id=device_id)
    notify(
        actor,
        _("A device was forgotten"),
        _("A remembered browser will be asked for your second factor again."),
    )


@event.listens_for(Session, "before_flush")
def _forget_devices_on_new_password(session: Session, flush_context, instances) -> None:
    """A new password (changed or reset) forgets every remembered device of the person.

    Done here rather than in the password services so that every path that sets a
    password is covered without each having to remember it.
    """
    for obj in session.dirty:
        if isinstance(obj, User) and inspect(obj).attrs.password_hash.history.has_changes():
            session.execute(delete(RememberedDevice).where(RememberedDevice.user_id == obj.id))

"""Reading the one-time links out of the outbox, as a verifier reads their e-mail."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage

LINK = re.compile(r"https?://[^/\s]+/m/([A-Za-z0-9_-]+)")


def tokens_mailed_to(email: str) -> list[str]:
    """Every one-time token e-mailed to ``email``, oldest first."""
    bodies = db.session.scalars(
        select(OutboxMessage.body).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)
    )
    return [match for body in bodies for match in LINK.findall(body)]


def last_token(email: str) -> str:
    tokens = tokens_mailed_to(email)
    assert tokens, f"no link mailed to {email}"
    return tokens[-1]

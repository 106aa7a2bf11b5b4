"""The one place that sends e-mail.

With ``MAIL_SERVER`` set, messages go out over SMTP (STARTTLS by default). Without it
they are written to the outbox table, so on a laptop or a demo every message the app
would have sent can be read by the association's admins at ``/admin/outbox``.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.mail.models import OutboxMessage
from app.pagination import Page, paginate
from app.policy import require_admin


def send_mail(to: str, subject: str, body: str, *, association_id: int | None = None) -> None:
    """Send one plain-text message, or keep it in the outbox when SMTP is not configured."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        db.session.add(OutboxMessage(association_id=association_id, recipient=to, subject=subject, body=body))
        current_app.logger.info("mail to %s kept in the outbox: %s", to, subject)
        return
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def list_outbox(actor: User, association_id: int, *, page: int = 1) -> Page:
    """The association's kept messages, newest first, for its admins."""
    require_admin(actor, association_id)
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.association_id == association_id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    return paginate(query, page=page)

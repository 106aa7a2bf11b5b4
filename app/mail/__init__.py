"""Outgoing e-mail: SMTP when configured, otherwise the in-app outbox."""

from app.mail.services import send_mail  # noqa: F401

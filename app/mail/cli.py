"""``flask mail outbox``: read kept messages from the command line."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage


@click.group("mail")
def mail_cli() -> None:
    """Outgoing e-mail."""


@mail_cli.command("outbox")
@click.option("--to", "recipient", default="", help="Only messages to this address.")
@click.option("--limit", default=10, show_default=True)
@with_appcontext
def outbox(recipient: str, limit: int) -> None:
    """Print the newest messages kept in the outbox (when no SMTP server is configured)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if recipient:
        query = query.where(OutboxMessage.recipient == recipient.strip().lower())
    for message in db.session.scalars(query):
        click.echo(f"--- {message.created_at:%Y-%m-%d %H:%M} to {message.recipient}: {message.subject}")
        click.echo(message.body)

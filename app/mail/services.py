"""The one place that sends e-mail: every message goes out through the job queue.

``send_mail`` only records the message and queues its delivery, so no request ever
waits for (or fails because of) a mail server. The worker then delivers it: over SMTP
when ``MAIL_SERVER`` is set, otherwise into the outbox table, where on a laptop or a
demo the association's admins read every message at ``/admin/outbox``. A delivery that
fails is retried with growing delays; after the last retry it becomes a dead letter,
listed for the admins at ``/admin/outbox/dead``.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import func, or_, select

from app.accounts.models import User
from app.database import utcnow
from app.extensions import db
from app.jobs.queue import app_task, enqueue_after_commit, huey
from app.mail.models import MailDelivery, OutboxMessage
from app.pagination import Page, paginate
from app.policy import require_admin

QUEUED, SENT, DEAD = "queued", "sent", "dead"


def send_mail(to: str, subject: str, body: str, *, association_id: int | None = None) -> None:
    """Queue one plain-text message; it leaves when the current transaction commits."""
    delivery = MailDelivery(association_id=association_id, recipient=to, subject=subject, body=body)
    db.session.add(delivery)
    db.session.flush()
    config = current_app.config
    task = deliver_mail.s(
        delivery.id,
        retries=config["MAIL_RETRIES"],
        retry_delay=config["MAIL_RETRY_DELAY_SECONDS"],
        retry_backoff=config["MAIL_RETRY_BACKOFF"],
    )
    enqueue_after_commit(lambda: huey.enqueue(task))


@app_task(context=True)
def deliver_mail(delivery_id: int, task=None) -> None:
    """Deliver one queued message (the worker's side of ``send_mail``)."""
    delivery = db.session.get(MailDelivery, delivery_id)
    if delivery is None or delivery.state != QUEUED:
        return  # already delivered by an earlier attempt, or gone
    delivery.attempts += 1
    try:
        _deliver(delivery)
    except Exception as error:
        delivery.last_error = f"{type(error).__name__}: {error}"[:500]
        if task is None or not task.retries:
            delivery.state = DEAD
            delivery.finished_at = utcnow()
            current_app.logger.error("mail %s is a dead letter: %s", delivery.id, error)
        db.session.commit()
        raise
    delivery.state = SENT
    delivery.finished_at = utcnow()


def _deliver(delivery: MailDelivery) -> None:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        db.session.add(
            OutboxMessage(
                association_id=delivery.association_id,
                recipient=delivery.recipient,
                subject=delivery.subject,
                body=delivery.body,
            )
        )
        current_app.logger.info("mail to %s kept in the outbox: %s", delivery.recipient, delivery.subject)
        return
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = delivery.recipient
    message["Subject"] = delivery.subject
    message.set_content(delivery.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def list_outbox(actor: User, association_id: int, *, page: int = 1, search: str = "") -> Page:
    """The association's kept messages, newest first, for its admins; ``search`` finds
    words in the subject or the recipient's address (case-insensitive)."""
    require_admin(actor, association_id)
    query = select(OutboxMessage).where(OutboxMessage.association_id == association_id)
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(OutboxMessage.subject).like(pattern),
                func.lower(OutboxMessage.recipient).like(pattern),
            )
        )
    query = query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    return paginate(query, page=page)


def shown_body(message: OutboxMessage) -> str:
    """The body as the outbox shows it: without a first line that only repeats the subject
    (shown as the heading already) and the blank lines after it."""
    first, _newline, rest = message.body.partition("\n")
    if first.strip().casefold() == message.subject.strip().casefold():
        return rest.lstrip("\n")
    return message.body


def list_dead_letters(actor: User, association_id: int, *, page: int = 1) -> Page:
    """The association's messages that could not be delivered after every retry, newest first.

    Account mail (password resets) belongs to no association and is not listed to any
    association's admins; the ``jobs`` CLI and the logs report it.
    """
    require_admin(actor, association_id)
    query = (
        select(MailDelivery)
        .where(MailDelivery.association_id == association_id, MailDelivery.state == DEAD)
        .order_by(MailDelivery.finished_at.desc(), MailDelivery.id.desc())
    )
    return paginate(query, page=page)


def dead_letter_count() -> int:
    """Dead letters of every association (for the queue figures of health checks)."""
    return db.session.scalar(select(func.count(MailDelivery.id)).where(MailDelivery.state == DEAD)) or 0

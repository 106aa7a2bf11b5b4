"""Telling people what happened to their records: in the app, and by e-mail through the mail module."""

from __future__ import annotations

from flask import current_app, g, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app import policy
from app.accounts.models import User
from app.database import utcnow
from app.errors import NotFound
from app.extensions import db
from app.mail import send_mail
from app.notifications.models import Notification
from app.pagination import Page, paginate
from app.urls import absolute_link

SUBJECT_LENGTH = 90


def link_to(endpoint: str, **values: object) -> str:
    """The path of a page, inside a request or outside one (CLI, demo data)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return url_for(endpoint, **values)


def will_email(user: User) -> bool:
    """Whether ``notify`` e-mails this person (the batch preview lists who will and won't be)."""
    return bool(user.is_enabled and user.erased_at is None and user.email)


def notify(
    user_id: int,
    association_id: int,
    message: str,
    link: str,
    *,
    email_subject: str | None = None,
    email_link: str | None = None,
) -> Notification:
    """Store a notification for ``user_id`` and send them the same news by e-mail.

    The e-mail carries the message and the link only: details stay behind the login.
    ``email_link`` (an absolute one-time link of ``app.maillinks``) is offered in the
    e-mail beside the ordinary one.
    """
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such person."))
    notification = Notification(user_id=user_id, association_id=association_id, message=message, link=link)
    db.session.add(notification)
    if will_email(user):
        subject = email_subject or message
        if len(subject) > SUBJECT_LENGTH:
            subject = subject[: SUBJECT_LENGTH - 1].rstrip() + "…"
        lines = [message]
        if link:
            lines += ["", _("Open it in Stillpoint: %(url)s", url=absolute_link(link))]
        if email_link:
            lines += [
                "",
                _(
                    "Or act on this one item without logging in (the link works once): %(url)s",
                    url=email_link,
                ),
            ]
        lines += ["", _("You receive this message because you use Stillpoint.")]
        send_mail(user.email, subject, "\n".join(lines), association_id=association_id)
    _forget_count(user_id)
    return notification


def list_notifications(actor: User, association_id: int, *, page: int = 1) -> Page:
    """The actor's notifications in the association, newest first."""
    policy.require_member(actor, association_id)
    query = (
        select(Notification)
        .where(Notification.user_id == actor.id, Notification.association_id == association_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(query, page=page)


def mark_all_read(actor: User, association_id: int) -> int:
    """Mark every unread notification of the actor read; returns how many there were.

    Reading is not audited: it changes nothing but the reader's own inbox.
    """
    policy.require_member(actor, association_id)
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.user_id == actor.id,
            Notification.association_id == association_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    _forget_count(actor.id)
    return result.rowcount


def open_notification(actor: User, association_id: int, notification_id: int) -> str:
    """Mark one notification read and return where it points (a path inside the app)."""
    policy.require_member(actor, association_id)
    notification = db.session.get(Notification, notification_id)
    if (
        notification is None
        or notification.user_id != actor.id
        or notification.association_id != association_id
    ):
        raise NotFound(_("No such notification."))
    if notification.read_at is None:
        notification.read_at = utcnow()
    _forget_count(actor.id)
    link = notification.link or ""
    return link if link.startswith("/") and not link.startswith("//") else ""


def unread_count(user: User, association_id: int) -> int:
    """How many unread notifications the user has here: one indexed COUNT, once per request."""
    key = f"_unread_{user.id}_{association_id}"
    if has_request_context() and key in g:
        return g.get(key)
    count = db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id,
            Notification.association_id == association_id,
            Notification.read_at.is_(None),
        )
    )
    if has_request_context():
        setattr(g, key, count)
    return count


def _forget_count(user_id: int) -> None:
    if has_request_context():
        for key in [key for key in vars(g) if key.startswith(f"_unread_{user_id}_")]:
            g.pop(key, None)

"""One-time e-mailed links: issue, open, act through the ordinary services, revoke.

A link acts for exactly one person (the verifier it was mailed to) on exactly one item,
once, before it expires, and only while the item reads as it did when the link was sent.
The action itself goes through the same service as the logged-in page (``signoff.sign``,
``review.review_reflection`` ...), so every rule is the same; the link only stands in
for the login. Where the association requires two-factor sign-in, the link opens the
login instead and acts on nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import User
from app.audit.services import context as audit_context
from app.audit.services import record as audit
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.maillinks.models import LinkPurpose, MailLink
from app.pagination import Page, paginate
from app.tokens import hash_token, new_token
from app.urls import external_url

VIA = "email-link"

#: What each purpose lets the verifier do (the form's buttons).
ACTIONS: dict[str, tuple[str, ...]] = {
    LinkPurpose.SIGN_RECORD: ("sign", "return"),
    LinkPurpose.REVIEW_REFLECTION: ("accept", "revise"),
    LinkPurpose.CONFIRM_SESSION: ("confirm",),
}


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _stamp(moment: datetime | None) -> int | None:
    """Whole seconds since the epoch: the same whether the value was just set or read back."""
    if moment is None:
        return None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def fingerprint(purpose: str, item) -> str:
    """The item as it stands, hashed: a co-leader vouches for the content only, a verifier
    for the content as submitted (a resubmission is a new item to them)."""
    if purpose == LinkPurpose.CONFIRM_SESSION:
        return _digest(item.compute_hash())
    if purpose == LinkPurpose.REVIEW_REFLECTION:
        return _digest(item.answers, item.version, str(item.status), _stamp(item.submitted_at))
    return _digest(item.compute_hash(), str(item.status), _stamp(item.submitted_at))


def _load_item(purpose: str, association_id: int, object_id: int):
    """The item a link names, only inside the link's own association."""
    if purpose == LinkPurpose.REVIEW_REFLECTION:
        from app.vignettes.models import Reflection

        item = db.session.get(Reflection, object_id)
    else:
        from app.logbook.models import LogbookRecord

        item = db.session.get(LogbookRecord, object_id)
    if item is None or item.association_id != association_id:
        raise NotFound(_("This link does not open anything."))
    return item


# --- issuing ----------------------------------------------------------------------------


def _revoke_open(purpose: str, object_id: int, *, actor: User | None) -> int:
    result = db.session.execute(
        update(MailLink)
        .where(
            MailLink.purpose == purpose,
            MailLink.object_id == object_id,
            MailLink.used_at.is_(None),
            MailLink.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow(), revoked_by_id=actor.id if actor else None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def issue_links(purpose: str, item, user_ids: list[int], *, sender: User) -> dict[int, str]:
    """A fresh link per verifier for ``item``; every older link to the item is revoked.

    Returns the absolute URL per user id, for the caller's e-mail (the token itself is
    never stored). Called where the submission happens, inside its transaction.
    """
    _revoke_open(purpose, item.id, actor=sender)
    now = utcnow()
    days = current_app.config["MAIL_LINK_VALID_DAYS"]
    urls: dict[int, str] = {}
    for user_id in dict.fromkeys(user_ids):
        token, token_hash = new_token()
        db.session.add(
            MailLink(
                association_id=item.association_id,
                user_id=user_id,
                created_by_id=sender.id,
                purpose=purpose,
                object_id=item.id,
                token_hash=token_hash,
                fingerprint=fingerprint(purpose, item),
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
        )
        urls[user_id] = external_url("maillinks.open", token=token)
    db.session.flush()
    return urls


# --- opening and acting -----------------------------------------------------------------


@dataclass(frozen=True)
class OpenedLink:
    link: MailLink
    item: object
    requires_login: bool

    @property
    def actions(self) -> tuple[str, ...]:
        return ACTIONS[self.link.purpose]


def _find(token: str) -> MailLink:
    link = db.session.scalar(select(MailLink).where(MailLink.token_hash == hash_token(token or "")))
    if link is None:
        raise NotFound(_("This link does not open anything. Check that you copied all of it."))
    return link


def open_link(token: str) -> OpenedLink:
    """The link's item, if the link may still act: refused with the reason otherwise."""
    link = _find(token)
    if link.revoked_at is not None:
        raise InvalidState(
            _("This link was withdrawn. A newer e-mail, or the item in Stillpoint, replaces it.")
        )
    if link.used_at is not None:
        raise InvalidState(_("This link has already been used. Each link works once."))
    if link.expires_at <= utcnow():
        raise InvalidState(_("This link has expired. Log in to Stillpoint to find the item in your queue."))
    user = link.user
    if not user.is_enabled or user.erased_at is not None or not policy.is_member(user, link.association_id):
        raise Forbidden(_("This link no longer works for your account."))
    item = _load_item(link.purpose, link.association_id, link.object_id)
    if fingerprint(link.purpose, item) != link.fingerprint:
        raise InvalidState(
            _(
                "This item has changed since the e-mail was sent, so the link no longer works. "
                "Log in to see it."
            )
        )
    from app.twofactor.services import association_requires

    return OpenedLink(link, item, association_requires(link.association_id))


def login_target(link: MailLink) -> tuple[str, dict[str, object]]:
    """Where the logged-in path to the link's item is (endpoint and values)."""
    if link.purpose == LinkPurpose.REVIEW_REFLECTION:
        return "vignettes.review", {"reflection_id": link.object_id}
    if link.purpose == LinkPurpose.CONFIRM_SESSION:
        return "logbook.confirmations", {}
    return "logbook.record", {"record_id": link.object_id}


def act(token: str, action: str, *, comment: str = "", privacy_confirmed: bool = False):
    """Do the one thing the link allows, as its verifier, through the ordinary service.

    The link is spent in the same transaction as the action: if the service refuses
    (a comment missing, the record signed by someone else), nothing is written and the
    caller rolls back, so the link still works for a corrected attempt.
    """
    opened = open_link(token)
    link = opened.link
    if opened.requires_login:
        raise Forbidden(_("Your association asks you to log in for this. Log in to continue."))
    if action not in opened.actions:
        raise ValidationError(_("Choose one of the buttons on the page."))
    spent = db.session.execute(
        update(MailLink)
        .where(MailLink.id == link.id, MailLink.used_at.is_(None), MailLink.revoked_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        raise InvalidState(_("This link has already been used. Each link works once."))
    with audit_context(via=VIA, mail_link_id=link.id):
        result = _dispatch(link, action, comment, privacy_confirmed)
        audit(
            "mail_link.used", link, actor=link.user, done=action, purpose=link.purpose, item_id=link.object_id
        )
    return result


def _dispatch(link: MailLink, action: str, comment: str, privacy_confirmed: bool):
    from app.logbook import signoff
    from app.vignettes import review

    user, association_id, object_id = link.user, link.association_id, link.object_id
    if action == "sign":
        return signoff.sign(user, association_id, object_id)
    if action == "return":
        return signoff.return_record(
            user, association_id, object_id, comment, privacy_confirmed=privacy_confirmed
        )
    if action == "confirm":
        return signoff.confirm(user, association_id, object_id)
    decision = "accepted" if action == "accept" else "revision_requested"
    return review.review_reflection(
        user,
        association_id,
        object_id,
        decision=decision,
        overall_comment=comment,
        exercise_comments={},
        is_confirmed=privacy_confirmed,
    )


# --- revoking ---------------------------------------------------------------------------


def _visible(actor: User, association_id: int):
    query = select(MailLink).where(MailLink.association_id == association_id)
    if not policy.is_admin(actor, association_id):
        query = query.where(MailLink.created_by_id == actor.id)
    return query


def list_open(actor: User, association_id: int, *, page: int = 1) -> Page:
    """Links still open: all of the association's for its admins, one's own for a sender."""
    policy.require_member(actor, association_id)
    query = _visible(actor, association_id).where(
        MailLink.used_at.is_(None), MailLink.revoked_at.is_(None), MailLink.expires_at > utcnow()
    )
    query = query.options(selectinload(MailLink.user))
    return paginate(query.order_by(MailLink.created_at.desc(), MailLink.id.desc()), page=page)


def revoke(actor: User, association_id: int, link_id: int) -> MailLink:
    """Withdraw one link: the sender (whose submission sent it) or an admin."""
    policy.require_member(actor, association_id)
    link = db.session.scalar(_visible(actor, association_id).where(MailLink.id == link_id))
    if link is None:
        raise NotFound(_("No such link."))
    if link.revoked_at is not None or link.used_at is not None:
        raise InvalidState(_("This link is already used or withdrawn."))
    link.revoked_at = utcnow()
    link.revoked_by_id = actor.id
    audit("mail_link.revoked", link, actor=actor, purpose=link.purpose, item_id=link.object_id)
    return link

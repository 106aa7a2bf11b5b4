"""Signing in and out, passwords, invitations and memberships."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from app import policy
from app import search as text_search
from app.accounts import sessions, throttle
from app.accounts.models import Association, Invitation, Membership, PasswordReset, Role, User
from app.accounts.passwords import (
    MIN_PASSWORD_LENGTH,
    burn_verification_time,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.api.tokens import revoke_all_tokens
from app.audit.services import record
from app.database import utcnow
from app.errors import Forbidden, InvalidState, NotFound, TooManyAttempts, ValidationError
from app.extensions import db
from app.mail import send_mail
from app.pagination import Page, paginate
from app.programmes import services as programmes
from app.tokens import hash_token, new_token
from app.urls import external_url


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_strength(password: str, *, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            _("Choose a password of at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            fields={field: [_("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH)]},
        )


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


# --- signing in ------------------------------------------------------------------------


def authenticate(email: str, password: str, *, address: str, user_agent: str = "") -> tuple[User, str]:
    """Check a login from client ``address`` and open a session; returns the user and key.

    The failure message is the same whether the address is unknown, the password is
    wrong or the account is disabled, so the form does not reveal who has an account.
    Failures slow down this account from this address only (``throttle``): a guesser
    cannot lock the owner out.
    """
    wait = throttle.wait_seconds(email, address)
    if wait:
        raise TooManyAttempts(
            _(
                "Too many failed attempts from here. Please wait %(seconds)d seconds and try again.",
                seconds=wait,
            ),
            retry_after=wait,
        )
    user = find_user_by_email(email)
    if user is None:
        burn_verification_time(password)
    ok = user is not None and verify_password(user.password_hash, password)
    has_membership = user is not None and bool(policy.roles_by_association(user))
    if not ok or not user.is_enabled or not has_membership:
        record(
            "auth.login_failed",
            object_type="User",
            object_id=user.id if user else None,
            email=normalise_email(email)[:254],
        )
        throttle.record_failure(email, address)
        raise ValidationError(_("That e-mail address and password do not match an active account."))
    throttle.forget(email, address)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    key = sessions.start_session(user, user_agent)
    record("auth.login", user, actor=user)
    return user, key


def logout(user: User, session_key: str | None) -> None:
    sessions.end_session(session_key)
    record("auth.logout", user, actor=user)


def change_password(user: User, current: str, new: str, *, session_key: str | None) -> None:
    """Change a password; other sessions, API tokens and open reset links end."""
    if not verify_password(user.password_hash, current):
        raise ValidationError(
            _("Your current password is not correct."),
            fields={"current_password": [_("Not correct.")]},
        )
    check_password_strength(new, field="new_password")
    _set_password(user, new, keep_session=session_key)
    record("auth.password_changed", user, actor=user)


def _set_password(user: User, new: str, *, keep_session: str | None = None) -> None:
    """The one place a password changes, and everything a stolen one could have opened ends.

    Whoever knew the old password (or held a reset link) may have made API tokens or
    asked for reset links; a new password must shut them out too: every other session
    ends, every API token of the person is revoked, every open reset link is spent.
    """
    user.password_hash = hash_password(new)
    sessions.end_all_sessions(user.id, keep=keep_session)
    revoke_all_tokens(user, reason="password_changed")
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )


def request_password_reset(email: str) -> None:
    """Mail a one-time reset link if the address belongs to an enabled account.

    Says nothing either way to the caller, so the form cannot be used to find accounts.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_enabled:
        return
    token, token_hash = new_token()
    hours = current_app.config["PASSWORD_RESET_VALID_HOURS"]
    db.session.add(
        PasswordReset(user_id=user.id, token_hash=token_hash, expires_at=utcnow() + timedelta(hours=hours))
    )
    link = external_url("accounts.reset_password", token=token)
    send_mail(
        user.email,
        _("Reset your Stillpoint password"),
        _(
            "Someone asked to reset the password of your Stillpoint account.\n\n"
            "To choose a new password, open this link within %(hours)d hours:\n%(link)s\n\n"
            "If it was not you, ignore this message: your password stays as it is.",
            hours=hours,
            link=link,
        ),
    )
    record("auth.password_reset_requested", user)


def get_password_reset(token: str) -> PasswordReset:
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)))
    if reset is None or reset.used_at is not None or utcnow() >= reset.expires_at:
        raise NotFound(_("This reset link is not valid any more. Please ask for a new one."))
    return reset


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link; every reset link, session and API token ends."""
    reset = get_password_reset(token)
    check_password_strength(new_password)
    _set_password(reset.user, new_password)  # spends this link and every other open one
    record("auth.password_reset", reset.user, actor=reset.user)
    return reset.user


# --- invitations ------------------------------------------------------------------------


def invite(
    actor: User,
    association_id: int,
    email: str,
    role: str,
    *,
    programme_id: int | None = None,
    supervisor_ids: list[int] | tuple[int, ...] = (),
) -> Invitation:
    """Invite a person by e-mail to join the association in one role.

    A trainee's invitation may name a programme and supervisors: accepting it enrols
    the trainee there (invite and enrol in one step).
    """
    policy.require_admin(actor, association_id)
    if role not in {r.value for r in Role}:
        raise ValidationError(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    email = normalise_email(email)
    existing = find_user_by_email(email)
    if existing is not None and role in policy.roles_in(existing, association_id):
        raise ValidationError(
            _("%(email)s is already a %(role)s here.", email=email, role=role),
            fields={"email": [_("Already a member in this role.")]},
        )
    if programme_id and role != Role.TRAINEE:
        raise ValidationError(
            _("Only trainees are enrolled on a programme."),
            fields={"programme_id": [_("Leave empty, or invite as a trainee.")]},
        )
    programme, supervisors = programmes.invitation_enrolment(
        association_id, programme_id, list(supervisor_ids)
    )
    now = utcnow()
    invitation = Invitation(
        association_id=association_id,
        email=email,
        role=role,
        token_hash="",
        invited_by_id=actor.id,
        created_at=now,
        expires_at=now,
        programme_id=programme.id if programme else None,
        supervisors=supervisors,
    )
    db.session.add(invitation)
    token = _send_invitation(actor, invitation, now=now)
    record(
        "invitation.created",
        invitation,
        actor=actor,
        email=email,
        role=role,
        programme=programme.slug if programme else None,
        supervisors=[s.id for s in supervisors],
    )
    invitation.token = token  # type: ignore[attr-defined]  # only for the caller, never stored
    return invitation


def _send_invitation(actor: User, invitation: Invitation, *, now=None) -> str:
    """Give the invitation a fresh token and expiry and mail its link; returns the token."""
    token, token_hash = new_token()
    days = current_app.config["INVITATION_VALID_DAYS"]
    invitation.token_hash = token_hash
    invitation.expires_at = (now or utcnow()) + timedelta(days=days)
    db.session.flush()
    association = db.session.get(Association, invitation.association_id)
    enrolment = ""
    if invitation.programme is not None:
        enrolment = _(" You will be enrolled on %(programme)s.", programme=invitation.programme.title)
    send_mail(
        invitation.email,
        _("You are invited to join %(name)s on Stillpoint", name=association.name),
        _(
            "%(inviter)s invites you to join %(name)s on Stillpoint as a %(role)s.%(enrolment)s\n\n"
            "Open this link within %(days)d days to accept and set your password:\n%(link)s",
            inviter=actor.name,
            name=association.name,
            role=invitation.role,
            enrolment=enrolment,
            days=days,
            link=external_url("accounts.accept_invitation", token=token),
        ),
        association_id=invitation.association_id,
    )
    return token


def _open_invitation(actor: User, association_id: int, invitation_id: int) -> Invitation:
    policy.require_admin(actor, association_id)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.association_id != association_id:
        raise NotFound(_("No such invitation."))
    if invitation.accepted_at is not None:
        raise InvalidState(_("%(email)s has already accepted this invitation.", email=invitation.email))
    if invitation.revoked_at is not None:
        raise InvalidState(_("This invitation was revoked."))
    return invitation


def resend_invitation(actor: User, association_id: int, invitation_id: int) -> Invitation:
    """Mail a pending invitation again with a new link; the old link stops working."""
    invitation = _open_invitation(actor, association_id, invitation_id)
    _send_invitation(actor, invitation)
    record("invitation.resent", invitation, actor=actor, email=invitation.email)
    return invitation


def revoke_invitation(actor: User, association_id: int, invitation_id: int) -> Invitation:
    """Withdraw a pending invitation: its link stops working at once."""
    invitation = _open_invitation(actor, association_id, invitation_id)
    invitation.revoked_at = utcnow()
    record("invitation.revoked", invitation, actor=actor, email=invitation.email)
    return invitation


def get_invitation(token: str) -> Invitation:
    """A usable invitation for ``token``; used and expired ones read as not found."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise InvalidState(_("This invitation has already been used. Please log in instead."))
    if invitation.revoked_at is not None:
        raise InvalidState(_("This invitation was withdrawn. Please ask the association for a new one."))
    if not invitation.is_usable(utcnow()):
        raise InvalidState(_("This invitation has expired. Please ask the association for a new one."))
    return invitation


def accept_invitation(token: str, *, name: str = "", password: str = "", current: User | None = None) -> User:
    """Join the association: a new account, or an existing one signed in as the invitee."""
    invitation = get_invitation(token)
    user = find_user_by_email(invitation.email)
    if user is None:
        if not name.strip():
            raise ValidationError(_("Please enter your name."), fields={"name": [_("Required.")]})
        check_password_strength(password)
        user = User(email=invitation.email, name=name.strip(), password_hash=hash_password(password))
        db.session.add(user)
        db.session.flush()
        record("user.created", user, actor=user, association_id=invitation.association_id)
    elif current is None or current.id != user.id:
        raise Forbidden(
            _(
                "This invitation is for %(email)s. Log in as that account to accept it.",
                email=invitation.email,
            )
        )
    _grant(user, invitation.association_id, invitation.role)
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    record("invitation.accepted", invitation, actor=user, role=invitation.role)
    policy.forget_roles(user)
    if invitation.programme is not None:
        db.session.flush()
        programmes.enrol_invitee(
            user, invitation.programme, list(invitation.supervisors), invitation_id=invitation.id
        )
    return user


def _grant(user: User, association_id: int, role: str) -> Membership:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.association_id == association_id,
            Membership.role == role,
        )
    )
    if membership is None:
        membership = Membership(user_id=user.id, association_id=association_id, role=role)
        db.session.add(membership)
    membership.is_active = True
    return membership


# --- members ---------------------------------------------------------------------------


def members_query(actor: User, association_id: int, *, search: str = "", role: str = "") -> Select:
    """The association's active members (optionally in one role, or matching ``search``),
    unordered: the pages order by name, the API by id."""
    policy.require_admin(actor, association_id)
    member_ids = select(Membership.user_id).where(
        Membership.association_id == association_id, Membership.is_active.is_(True)
    )
    if role:
        member_ids = member_ids.where(Membership.role == role)
    query = select(User).where(User.id.in_(member_ids))
    if search.strip():
        query = query.where(text_search.matches(search, User.name, User.email))
    return query


def roles_of_members(association_id: int, user_ids: list[int]) -> dict[int, list[str]]:
    """Each user's active roles in the association, in one query."""
    roles: dict[int, list[str]] = {user_id: [] for user_id in user_ids}
    for user_id, member_role in db.session.execute(
        select(Membership.user_id, Membership.role)
        .where(
            Membership.association_id == association_id,
            Membership.is_active.is_(True),
            Membership.user_id.in_(roles),
        )
        .order_by(Membership.role)
    ):
        roles[user_id].append(member_role)
    return roles


def list_members(
    actor: User, association_id: int, *, search: str = "", role: str = "", page: int = 1
) -> tuple[Page, dict[int, list[str]]]:
    """A page of the association's members and, per user, their roles: two queries."""
    query = members_query(actor, association_id, search=search, role=role)
    result = paginate(query.order_by(func.lower(User.name), User.id), page=page)
    return result, roles_of_members(association_id, [user.id for user in result.items])


def list_pending_invitations(actor: User, association_id: int) -> list[Invitation]:
    policy.require_admin(actor, association_id)
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.association_id == association_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .options(selectinload(Invitation.supervisors), joinedload(Invitation.programme))
            .order_by(Invitation.created_at.desc())
            .limit(50)
        )
    )


def get_member(actor: User, association_id: int, user_id: int) -> User:
    """A member of the association, for its admins."""
    policy.require_admin(actor, association_id)
    user = db.session.get(User, user_id)
    if user is None or not policy.is_member(user, association_id):
        raise NotFound(_("No such member."))
    return user


def grant_role(actor: User, association_id: int, user_id: int, role: str) -> None:
    user = get_member(actor, association_id, user_id)
    if role not in {r.value for r in Role}:
        raise ValidationError(_("Unknown role."))
    _grant(user, association_id, role)
    policy.forget_roles(user)
    record("membership.role_granted", user, actor=actor, association_id=association_id, role=role)


def revoke_role(actor: User, association_id: int, user_id: int, role: str) -> None:
    user = get_member(actor, association_id, user_id)
    if user.id == actor.id and role == Role.ADMIN:
        raise InvalidState(_("You cannot remove your own admin role."))
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.association_id == association_id,
            Membership.role == role,
            Membership.is_active.is_(True),
        )
    )
    if membership is None:
        raise NotFound(_("This member does not hold that role."))
    membership.is_active = False
    policy.forget_roles(user)
    record("membership.role_revoked", user, actor=actor, association_id=association_id, role=role)


def disable_member(actor: User, association_id: int, user_id: int) -> None:
    """Remove a person from the association: its pages and data close to them at once.

    Roles are read afresh on every request, so their open sessions lose this association
    on the next click. The sessions themselves belong to the person, not to this
    association: they end only when no membership is left anywhere, so an admin of one
    association cannot sign a person out of another.
    """
    user = get_member(actor, association_id, user_id)
    if user.id == actor.id:
        raise InvalidState(_("You cannot disable your own membership."))
    for membership in db.session.scalars(
        select(Membership).where(Membership.user_id == user.id, Membership.association_id == association_id)
    ):
        membership.is_active = False
    db.session.flush()
    policy.forget_roles(user)
    if not policy.roles_by_association(user):
        sessions.end_all_sessions(user.id)
    record("membership.disabled", user, actor=actor, association_id=association_id)


def associations_of(user: User) -> list[tuple[Association, frozenset[Role]]]:
    """The associations a user can switch between, with their roles in each."""
    roles = policy.roles_by_association(user)
    if not roles:
        return []
    # The roles' query loaded the associations too: ``get`` finds them without a statement.
    associations = sorted((db.session.get(Association, key) for key in roles), key=lambda a: a.name)
    return [(association, roles[association.id]) for association in associations]

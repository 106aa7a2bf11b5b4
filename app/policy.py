"""Who may do what: the one module that answers it.

Services call the ``require_*`` functions right after loading an object; templates
call the ``can_*`` predicates to hide what a person may not do. Role strings are
compared here and nowhere else.

Memberships are looked up once per request and cached on ``flask.g``, so a page
that asks many questions still costs one query.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Membership, Role, User
from app.errors import Forbidden
from app.extensions import db


def roles_by_association(user: User | None) -> dict[int, frozenset[Role]]:
    """Every active role of ``user``, keyed by association id."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cache_key = f"_roles_{user.id}"
    if has_request_context() and cache_key in g:
        return g.get(cache_key)
    rows = db.session.execute(
        select(Membership.association_id, Membership.role).where(
            Membership.user_id == user.id, Membership.is_active.is_(True)
        )
    )
    roles: dict[int, set[Role]] = {}
    for association_id, role in rows:
        roles.setdefault(association_id, set()).add(Role(role))
    result = {key: frozenset(value) for key, value in roles.items()}
    if has_request_context():
        setattr(g, cache_key, result)
    return result


def forget_roles(user: User) -> None:
    """Drop the per-request cache after a service changed this user's memberships."""
    if has_request_context():
        g.pop(f"_roles_{user.id}", None)


def roles_in(user: User | None, association_id: int | None) -> frozenset[Role]:
    if association_id is None:
        return frozenset()
    return roles_by_association(user).get(association_id, frozenset())


def is_member(user: User | None, association_id: int | None) -> bool:
    return bool(roles_in(user, association_id))


def is_admin(user: User | None, association_id: int | None) -> bool:
    return Role.ADMIN in roles_in(user, association_id)


def is_supervisor(user: User | None, association_id: int | None) -> bool:
    return Role.SUPERVISOR in roles_in(user, association_id)


def is_trainee(user: User | None, association_id: int | None) -> bool:
    return Role.TRAINEE in roles_in(user, association_id)


def can_view_enrolment(user: User | None, enrolment) -> bool:
    """The trainee, their assigned supervisors and the association's admins."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user, enrolment.association_id):
        return True
    if enrolment.trainee_id == user.id and is_trainee(user, enrolment.association_id):
        return True
    return is_supervisor(user, enrolment.association_id) and any(
        supervisor.id == user.id for supervisor in enrolment.supervisors
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)


def require_member(user: User | None, association_id: int | None) -> None:
    _require(is_member(user, association_id), _("You are not a member of this association."))


def require_admin(user: User | None, association_id: int | None) -> None:
    _require(is_admin(user, association_id), _("Only the association's admins may do this."))


def require_supervisor(user: User | None, association_id: int | None) -> None:
    _require(is_supervisor(user, association_id), _("Only the association's supervisors may do this."))


def require_trainee(user: User | None, association_id: int | None) -> None:
    _require(is_trainee(user, association_id), _("Only the association's trainees may do this."))


def require_view_enrolment(user: User | None, enrolment) -> None:
    _require(can_view_enrolment(user, enrolment), _("You may not see this enrolment."))


# --- learning: the psychoeducation module -------------------------------------------


# --- vignettes: reflections and supervisor feedback ---------------------------------


# --- logbook: records and sign-off ----------------------------------------------------

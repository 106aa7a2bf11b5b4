"""Signing people in for the web pages, and which association a page acts in.

Flask-Login keeps the user id in the signed cookie; we add a server-side session key
(see ``app.accounts.sessions``) and only accept the cookie while its row exists.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, g, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user

from app import policy
from app.accounts import sessions
from app.accounts.models import Association, Role, User
from app.extensions import db

SESSION_KEY = "sid"
ASSOCIATION_KEY = "association_id"


def configure(login_manager: LoginManager) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = sessions.user_for_session(session.get(SESSION_KEY))
        if user is None or str(user.id) != user_id:
            return None
        return user


def sign_in(user: User, key: str) -> None:
    """Put a freshly authenticated user into the browser session."""
    session.clear()
    session[SESSION_KEY] = key
    session.permanent = True
    login_user(user)
    first = next(iter(policy.roles_by_association(user)), None)
    session[ASSOCIATION_KEY] = first


def sign_out() -> str | None:
    """Forget the user in this browser; returns the session key to end server-side."""
    key = session.get(SESSION_KEY)
    logout_user()
    session.clear()
    return key


def current_session_key() -> str | None:
    return session.get(SESSION_KEY)


def current_association() -> Association | None:
    """The association this browser acts in: the chosen one, else the first membership."""
    if "current_association" in g:
        return g.current_association
    association = None
    if current_user.is_authenticated:
        roles = policy.roles_by_association(current_user)
        chosen = session.get(ASSOCIATION_KEY)
        association_id = chosen if chosen in roles else next(iter(sorted(roles)), None)
        if association_id is not None:
            association = db.session.get(Association, association_id)  # loaded with the roles
    g.current_association = association
    return association


def switch_association(association_id: int) -> bool:
    if not policy.is_member(current_user, association_id):
        return False
    session[ASSOCIATION_KEY] = association_id
    g.pop("current_association", None)
    return True


def role_required(*roles: Role):
    """Gate a view on the user holding one of ``roles`` in the current association."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from app.extensions import login_manager

                return login_manager.unauthorized()
            association = current_association()
            if association is None:
                abort(403)
            held = policy.roles_in(current_user, association.id)
            if not held.intersection(roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def member_required(view):
    return role_required(*Role)(view)

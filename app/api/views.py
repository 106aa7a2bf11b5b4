"""The JSON API blueprint (its operations live in ``resources*``) and the token pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import auth, policy
from app.api import (  # noqa: F401  (importing registers the operations)
    resources,
    resources_assessment,
    resources_members,
    resources_work,
    tokens,
)
from app.api.core import bp
from app.api.forms import RevokeTokenForm, TokenForm
from app.database import utcnow
from app.errors import ValidationError
from app.extensions import db
from app.forms_util import apply_errors

__all__ = ["bp", "tokens_bp"]

tokens_bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens", template_folder="templates")


def _page(form: TokenForm, *, secret: str | None = None, status: int = 200):
    association = auth.current_association()
    return (
        render_template(
            "api/tokens.html",
            form=form,
            revoke_form=RevokeTokenForm(),
            tokens=tokens.tokens_of(current_user),
            secret=secret,
            now=utcnow(),
            can_make_service=association is not None and policy.is_admin(current_user, association.id),
            association=association,
        ),
        status,
    )


@tokens_bp.get("")
@login_required
def index():
    return _page(TokenForm())


@tokens_bp.post("")
@login_required
def create():
    """A personal token, shown once on the page that answers this request."""
    return _create(service=False)


@tokens_bp.post("/service")
@auth.role_required(auth.Role.ADMIN)
def create_service():
    """A service token for the current association (admins)."""
    return _create(service=True)


def _create(*, service: bool):
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    try:
        if service:
            _token, secret = tokens.create_service_token(
                current_user,
                auth.current_association().id,
                name=form.name.data,
                scope=form.scope.data,
                days=form.expires_in_days.data,
            )
        else:
            _token, secret = tokens.create_personal_token(
                current_user, name=form.name.data, scope=form.scope.data, days=form.expires_in_days.data
            )
    except ValidationError as error:
        apply_errors(form, error)
        return _page(form, status=422)
    db.session.commit()
    flash(_("Token created. Copy it now: it will not be shown again."), "success")
    return _page(TokenForm(formdata=None), secret=secret)


@tokens_bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    if RevokeTokenForm().validate_on_submit():
        token = tokens.revoke_token(current_user, token_id)
        db.session.commit()
        flash(_("Token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("api_tokens.index"))

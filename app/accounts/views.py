"""Log in and out, passwords, invitations and switching association."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from app import auth
from app.accounts import services, sessions
from app.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    JoinWithExistingAccountForm,
    LoginForm,
    ResetPasswordForm,
    SwitchAssociationForm,
)
from app.errors import ValidationError
from app.extensions import db, limiter
from app.forms_util import apply_errors
from app.jobs.tasks import queue_password_reset
from app.twofactor.login_views import hold_for_second_factor
from app.urls import safe_local_path

bp = Blueprint("accounts", __name__, template_folder="templates")


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    key_func=get_remote_address,
    deduct_when=_failed,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user, key = services.authenticate(
                form.email.data,
                form.password.data,
                address=get_remote_address(),
                user_agent=request.user_agent.string,
            )
        except ValidationError as error:
            db.session.commit()  # keep the audit event of the failed attempt
            flash(error.message, "error")
        else:
            db.session.commit()
            held = hold_for_second_factor(user, key, _safe_next())
            if held is not None:
                return held
            auth.sign_in(user, key)
            return redirect(_safe_next() or url_for("home.dashboard"))
    return render_template("accounts/login.html", form=form)


def _safe_next() -> str | None:
    """Only same-site paths, so the login form cannot send anyone elsewhere."""
    return safe_local_path(request.args.get("next"))


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    key = auth.sign_out()
    services.logout(user, key)
    db.session.commit()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                session_key=auth.current_session_key(),
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        queue_password_reset(form.email.data)
        db.session.commit()
        flash(
            _("If an account uses that address, we have sent it a link to set a new password."),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    services.get_password_reset(token)  # a spent or unknown link reads as 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your new password is set. Please log in."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = services.get_invitation(token)
    existing = services.find_user_by_email(invitation.email)
    form = JoinWithExistingAccountForm() if existing else AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            if existing:
                user = services.accept_invitation(token, current=_current_or_none())
            else:
                user = services.accept_invitation(token, name=form.name.data, password=form.password.data)
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            if existing:
                db.session.commit()
                auth.switch_association(invitation.association_id)
            else:
                key = sessions.start_session(user, request.user_agent.string)
                db.session.commit()
                auth.sign_in(user, key)
                auth.switch_association(invitation.association_id)
            flash(_("Welcome to %(name)s.", name=invitation.association.name), "success")
            return redirect(url_for("home.index"))
    return render_template(
        "accounts/accept_invitation.html", form=form, invitation=invitation, existing=existing
    )


def _current_or_none():
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.post("/associations/<int:association_id>/switch")
@login_required
def switch_association(association_id: int):
    if not SwitchAssociationForm().validate_on_submit() or not auth.switch_association(association_id):
        flash(_("You are not a member of that association."), "error")
    return redirect(url_for("home.index"))


@bp.get("/account")
@login_required
def account():
    return render_template("accounts/account.html", associations=services.associations_of(current_user))

"""Pages to set up, use and turn off second factors, and the association's rule.

Every page here is the person's own (login required; services act on
``current_user`` only), except the association's setting, which is for its admins.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import auth
from app.accounts.models import Role
from app.api import tokens as api_tokens
from app.auth import role_required
from app.database import utcnow
from app.errors import ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.twofactor import bp, devices, services, signed_in_user
from app.twofactor.forms import (
    ConfirmAppForm,
    ConfirmForm,
    DisableForm,
    PasskeyNameForm,
    RegenerateCodesForm,
    RequirementForm,
)

#: Pages a person who must set up a second factor can still reach.
_OPEN_WHILE_ENROLLING = {"static", "accounts.logout"}


@bp.before_app_request
def send_to_enrolment():
    """Admins and supervisors of an association that requires 2FA set it up first.

    API requests are left alone: tokens are unaffected by two-factor sign-in.
    """
    endpoint = request.endpoint or ""
    if (
        not current_user.is_authenticated
        or endpoint in _OPEN_WHILE_ENROLLING
        or request.blueprint in ("twofactor", "api", "ops")
    ):
        return None
    if services.must_enrol(signed_in_user()):
        flash(_("Your association asks you to set up two-factor sign-in before you continue."), "info")
        return redirect(url_for("twofactor.settings"))
    return None


@bp.get("/account/two-factor")
@login_required
def settings():
    return render_template(
        "twofactor/settings.html",
        status=services.status(signed_in_user()),
        must_enrol=services.must_enrol(signed_in_user()),
        confirm_form=ConfirmForm(),
        passkey_form=PasskeyNameForm(),
    )


@bp.route("/account/two-factor/app", methods=["GET", "POST"])
@login_required
def setup():
    """Show the QR code and the typed secret; the first code turns the app on."""
    if services.status(signed_in_user()).has_totp:
        flash(_("An authenticator app is already set up. Turn it off first to change it."), "info")
        return redirect(url_for("twofactor.settings"))
    credential = services.start_enrolment(signed_in_user())
    form = ConfirmAppForm()
    if form.validate_on_submit():
        try:
            codes = services.confirm_enrolment(signed_in_user(), form.code.data)
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Two-factor sign-in is on."), "success")
            return render_template("twofactor/recovery_codes.html", codes=codes)
    db.session.commit()  # keep the secret the QR code shows, so the next code matches it
    uri = services.provisioning_uri(signed_in_user(), credential)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "twofactor/setup.html",
        form=form,
        secret=credential.secret,
        qr_code=services.qr_code_data_uri(uri),
    ), status


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@login_required
def regenerate_codes():
    form = RegenerateCodesForm()
    if form.validate_on_submit():
        try:
            codes = services.regenerate_recovery_codes(signed_in_user(), form.code.data)
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("New recovery codes are ready; the old ones no longer work."), "success")
            return render_template("twofactor/recovery_codes.html", codes=codes)
    status = 422 if request.method == "POST" else 200
    return render_template("twofactor/regenerate.html", form=form), status


@bp.route("/account/two-factor/disable", methods=["GET", "POST"])
@login_required
def disable():
    form = DisableForm()
    if form.validate_on_submit():
        try:
            services.disable(signed_in_user(), form.password.data, form.code.data)
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The authenticator app is turned off."), "success")
            return redirect(url_for("twofactor.settings"))
    status = 422 if request.method == "POST" else 200
    return render_template("twofactor/disable.html", form=form), status


@bp.post("/account/two-factor/devices/<int:device_id>/forget")
@login_required
def forget_device(device_id: int):
    if ConfirmForm().validate_on_submit():
        devices.forget(signed_in_user(), device_id)
        db.session.commit()
        flash(_("That browser will be asked for the second factor again."), "success")
    return redirect(url_for("twofactor.settings"))


@bp.route("/association/security", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def association_settings():
    association = auth.current_association()
    form = RequirementForm()
    if request.method == "GET":
        form.requires_two_factor.data = services.association_requires(association.id)
    if form.validate_on_submit():
        try:
            services.set_requirement(signed_in_user(), association.id, bool(form.requires_two_factor.data))
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Sign-in settings saved."), "success")
            return redirect(url_for("twofactor.association_settings"))
    status = 422 if request.method == "POST" else 200
    return render_template("twofactor/association.html", form=form, association=association), status


@bp.app_context_processor
def account_helpers() -> dict:
    """Lazy helpers for the account page: computed only when its template calls them."""

    def two_factor_status():
        return services.status(signed_in_user())

    def api_tokens_of_current_user():
        return api_tokens.tokens_of(current_user)

    return {
        "two_factor_status": two_factor_status,
        "api_tokens_of_current_user": api_tokens_of_current_user,
        "now_utc": utcnow,
    }


from app.twofactor import login_views, passkey_views  # noqa: E402,F401  (register their routes)

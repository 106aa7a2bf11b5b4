"""Data-protection pages: a person's own data and erasure request; the admins' decisions
and retention setting. Each view parses, calls one service, commits."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.models import Role
from app.accounts.passwords import verify_password
from app.auth import current_association, role_required
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.forms_util import apply_errors
from app.personal_data import erasure, export, retention
from app.personal_data.forms import DecisionForm, ErasureRequestForm, RetentionForm

bp = Blueprint("personal_data", __name__, template_folder="templates")


@bp.get("/account/data")
@login_required
def account():
    return render_template(
        "personal_data/account.html", form=ErasureRequestForm(), pending=erasure.pending_of(current_user)
    )


@bp.get("/account/data/export")
@login_required
def download():
    name, data = export.archive(current_user._get_current_object(), generated_at=utcnow())
    db.session.commit()
    return Response(
        data, mimetype="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.post("/account/data/erasure")
@login_required
def request_erasure():
    form = ErasureRequestForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.password.data or ""):
            form.password.errors.append(_("This is not your password."))
        else:
            try:
                made = erasure.request_erasure(current_user, form.reason.data or "")
            except DomainError as error:
                db.session.rollback()
                if not apply_errors(form, error):
                    flash(error.message, "error")
            else:
                db.session.commit()
                flash(
                    _("Your request went to the admins of %(n)d association(s).", n=len(made))
                    if made
                    else _("Your request is already with the admins."),
                    "success",
                )
                return redirect(url_for("personal_data.account"))
    return render_template(
        "personal_data/account.html", form=form, pending=erasure.pending_of(current_user)
    ), 422


def _association_id() -> int:
    return current_association().id


def _admin_page(decision_form=None, retention_form=None, status: int = 200):
    association = current_association()
    form = retention_form or RetentionForm(years=association.retention_years)
    return render_template(
        "personal_data/admin.html",
        requests=erasure.requests_for(current_user, association.id),
        decision_form=decision_form or DecisionForm(),
        retention_form=form,
        preview=retention.preview(current_user, association.id, now=utcnow()),
        association=association,
    ), status


@bp.get("/admin/data-protection")
@role_required(Role.ADMIN)
def admin():
    return _admin_page()


@bp.post("/admin/data-protection/requests/<int:request_id>")
@role_required(Role.ADMIN)
def decide(request_id: int):
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if form.approve.data:
                erasure.approve(current_user, _association_id(), request_id, form.note.data or "")
                message = _("The person's data was erased from this association.")
            else:
                erasure.decline(current_user, _association_id(), request_id, form.note.data or "")
                message = _("The request was declined and the person told why.")
        except DomainError as error:
            db.session.rollback()
            if error.status in (403, 404):
                raise
            apply_errors(form, error)
            flash(error.message, "error")
            return _admin_page(decision_form=form, status=error.status)
        db.session.commit()
        flash(message, "success")
        return redirect(url_for("personal_data.admin"))
    return _admin_page(decision_form=form, status=422)


@bp.post("/admin/data-protection/retention")
@role_required(Role.ADMIN)
def save_retention():
    form = RetentionForm()
    if form.validate_on_submit():
        try:
            retention.set_retention(current_user, _association_id(), form.years.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("Retention setting saved."), "success")
            return redirect(url_for("personal_data.admin"))
    return _admin_page(retention_form=form, status=422)

"""The status levels page, on the admin blueprint: the association's levels, which levels
each permission asks for, and who holds which level when (granted and ended here)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.admin.views import bp
from app.auth import current_association
from app.errors import ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.statuslevels import services
from app.statuslevels.forms import (
    AccreditationLevelForm,
    DefineLevelForm,
    EndLevelForm,
    GrantLevelForm,
    PermissionForm,
)
from app.statuslevels.models import Permission


@bp.record_once
def _configure(state) -> None:
    state.app.jinja_env.globals["status_levels_of"] = services.levels_of
    state.app.jinja_env.globals["status_level_label"] = services.label_of


def _page(*, grant_form=None, define_form=None, status: int = 200):
    association_id = current_association().id
    overview = services.overview(current_user, association_id)
    grant_form = grant_form or GrantLevelForm(formdata=None)
    grant_form.user_id.choices = [SelectChoice(user.id, user.name) for user in overview.members]
    grant_form.level.choices = [SelectChoice(d.slug, d.label) for d in overview.definitions]
    permission_forms = {}
    for permission in Permission:
        form = PermissionForm(
            formdata=None, prefix=permission.value, levels=overview.permissions[permission.value]
        )
        form.levels.choices = [SelectChoice(d.slug, d.label) for d in overview.definitions]
        permission_forms[permission.value] = form
    accreditation_form = AccreditationLevelForm(
        formdata=None, level=services.accreditation_level(association_id)
    )
    accreditation_form.level.choices = [SelectChoice(d.slug, d.label) for d in overview.definitions]
    return render_template(
        "admin/status_levels.html",
        accreditation_form=accreditation_form,
        overview=overview,
        labels={d.slug: d.label for d in overview.definitions},
        grant_form=grant_form,
        define_form=define_form or DefineLevelForm(formdata=None),
        end_form=EndLevelForm(formdata=None),
        permission_forms=permission_forms,
        permission_labels=services.PERMISSION_LABELS,
        earlier_rules=services.EARLIER_RULES,
    ), status


@bp.get("/status-levels")
def status_levels():
    return _page()


@bp.post("/status-levels/grant")
def status_level_grant():
    """Grant a person a level from a day (until a day, or until ended)."""
    form = GrantLevelForm()
    if form.validate_on_submit():
        try:
            services.grant(
                current_user,
                current_association().id,
                form.user_id.data or 0,
                form.level.data or "",
                form.since.data,
                form.until.data,
            )
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error) or flash(error.message, "error")
            return _page(grant_form=form, status=422)
        db.session.commit()
        flash(_("The level is granted."), "success")
        return redirect(url_for("admin.status_levels"))
    return _page(grant_form=form, status=422)


@bp.post("/status-levels/<int:holding_id>/end")
def status_level_end(holding_id: int):
    """End a held level on a day; records dated before keep it."""
    form = EndLevelForm()
    if form.validate_on_submit():
        try:
            services.end(current_user, current_association().id, holding_id, form.until.data)
        except ValidationError as error:
            db.session.rollback()
            flash(" ".join([error.message, *(m for ms in error.fields.values() for m in ms)]), "error")
        else:
            db.session.commit()
            flash(_("The level is ended."), "success")
    else:
        flash(_("Enter the last day the level is held."), "error")
    return redirect(url_for("admin.status_levels"))


@bp.post("/status-levels/define")
def status_level_define():
    """Declare a new level of the association."""
    form = DefineLevelForm()
    if form.validate_on_submit():
        try:
            services.define_level(current_user, current_association().id, form.slug.data, form.label.data)
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error) or flash(error.message, "error")
            return _page(define_form=form, status=422)
        db.session.commit()
        flash(_("The level is declared."), "success")
        return redirect(url_for("admin.status_levels"))
    return _page(define_form=form, status=422)


@bp.post("/status-levels/permissions/<permission>")
def status_level_permission(permission: str):
    """Which levels allow one permission (none: the earlier rule applies)."""
    form = PermissionForm(prefix=permission)
    form.levels.choices = []
    if form.validate_on_submit():
        try:
            services.set_permission(
                current_user, current_association().id, permission, form.levels.data or []
            )
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return redirect(url_for("admin.status_levels"))


@bp.post("/status-levels/accreditation")
def status_level_accreditation():
    """Which level the panel's accreditation grants by default."""
    form = AccreditationLevelForm()
    if form.validate_on_submit():
        try:
            services.set_accreditation_level(current_user, current_association().id, form.level.data or "")
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
    return redirect(url_for("admin.status_levels"))

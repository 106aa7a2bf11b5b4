"""The import pages, on the admin blueprint: upload, preview with per-row errors, confirm."""

from __future__ import annotations

import base64
import binascii

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.admin.views import bp
from app.auth import current_association
from app.errors import ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.imports import services
from app.imports.forms import ConfirmImportForm, UploadForm
from app.imports.reading import MAX_BYTES, MAX_ROWS


def _page(form: UploadForm, *, plan=None, confirm_form=None, status: int = 200):
    return render_template(
        "admin/import.html",
        form=form,
        plan=plan,
        confirm_form=confirm_form,
        columns=services.COLUMNS,
        max_rows=MAX_ROWS,
        max_kb=MAX_BYTES // 1024,
    ), status


@bp.get("/import")
def import_upload():
    return _page(UploadForm())


@bp.post("/import")
def import_preview():
    """Check the uploaded file and show what importing it would do; nothing is written."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    upload = form.file.data
    data = upload.read(MAX_BYTES + 1)
    try:
        plan = services.preview(current_user, current_association().id, upload.filename or "", data)
    except ValidationError as error:
        apply_errors(form, error) or flash(error.message, "error")
        return _page(form, status=422)
    confirm_form = ConfirmImportForm(
        formdata=None, file_name=upload.filename or "import.csv", file_data=base64.b64encode(data).decode()
    )
    return _page(
        UploadForm(formdata=None), plan=plan, confirm_form=confirm_form, status=200 if plan.is_valid else 422
    )


@bp.post("/import/confirm")
def import_confirm():
    """Import the previewed file: all of it in one transaction, or nothing if a row has an error."""
    confirm_form = ConfirmImportForm()
    try:
        data = base64.b64decode(confirm_form.file_data.data or "", validate=True)
    except (binascii.Error, ValueError):
        data = b""
    if not confirm_form.validate_on_submit() or not data:
        flash(_("The file did not come back with the form. Please upload it again."), "error")
        return redirect(url_for("admin.import_upload"))
    try:
        result = services.apply(current_user, current_association().id, confirm_form.file_name.data, data)
    except ValidationError as error:
        db.session.rollback()
        flash(_("Nothing was imported: the file has errors. Fix them and upload the file again."), "error")
        try:
            plan = services.preview(current_user, current_association().id, confirm_form.file_name.data, data)
        except ValidationError:  # not even readable: back to the upload form with the reason
            flash(error.message, "error")
            return redirect(url_for("admin.import_upload"))
        return _page(UploadForm(formdata=None), plan=plan, confirm_form=confirm_form, status=422)
    db.session.commit()
    if result.accounts_created or result.roles_granted or result.enrolments_created:
        flash(
            _(
                "Imported: %(accounts)s, %(roles)s, %(enrolments)s.",
                accounts=ngettext("%(num)d new account", "%(num)d new accounts", result.accounts_created),
                roles=ngettext("%(num)d role granted", "%(num)d roles granted", result.roles_granted),
                enrolments=ngettext("%(num)d enrolment", "%(num)d enrolments", result.enrolments_created),
            ),
            "success",
        )
    else:
        flash(_("Nothing to change: everyone in the file is already here as the file says."), "success")
    return redirect(url_for("admin.members"))


@bp.get("/import/template.csv")
def import_template():
    return Response(
        services.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=stillpoint-import-template.csv"},
    )

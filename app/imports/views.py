"""The import pages, on the admin blueprint: upload, preview with per-row errors, confirm."""

from __future__ import annotations

import base64
import binascii
import io

from flask import Response, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.admin.views import bp
from app.attachments.views import bp as attachments_bp
from app.auth import current_association, member_required
from app.errors import ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.imports import services, training
from app.imports.forms import ConfirmImportForm, ConfirmTrainingForm, TrainingUploadForm, UploadForm
from app.imports.reading import MAX_BYTES, MAX_ROWS
from app.logbook import uploads


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
        association_id = current_association().id
        result = services.commit_even_if_raced(
            lambda: services.apply(current_user, association_id, confirm_form.file_name.data, data)
        )
    except ValidationError as error:
        db.session.rollback()
        flash(_("Nothing was imported: the file has errors. Fix them and upload the file again."), "error")
        try:
            plan = services.preview(current_user, current_association().id, confirm_form.file_name.data, data)
        except ValidationError:  # not even readable: back to the upload form with the reason
            flash(error.message, "error")
            return redirect(url_for("admin.import_upload"))
        return _page(UploadForm(formdata=None), plan=plan, confirm_form=confirm_form, status=422)
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


# -- earlier training -----------------------------------------------------------------


def _training_page(form: TrainingUploadForm, *, plan=None, confirm_form=None, status: int = 200):
    return render_template(
        "admin/import_training.html",
        form=form,
        plan=plan,
        confirm_form=confirm_form,
        columns=training.COLUMNS,
        required_by_kind=training.REQUIRED_BY_KIND,
        max_rows=MAX_ROWS,
        max_kb=MAX_BYTES // 1024,
        max_document=uploads.megabytes(uploads.max_bytes()),
    ), status


def _decoded(confirm_form: ConfirmTrainingForm) -> bytes:
    try:
        return base64.b64decode(confirm_form.file_data.data or "", validate=True)
    except (binascii.Error, ValueError):
        return b""


@bp.get("/import/training")
def import_training_upload():
    return _training_page(TrainingUploadForm())


@bp.post("/import/training")
def import_training_preview():
    """Check a file of earlier training and show what importing it would add; nothing is written."""
    form = TrainingUploadForm()
    if not form.validate_on_submit():
        return _training_page(form, status=422)
    upload = form.file.data
    data = upload.read(MAX_BYTES + 1)
    try:
        plan = training.preview(current_user, current_association().id, upload.filename or "", data)
    except ValidationError as error:
        apply_errors(form, error) or flash(error.message, "error")
        return _training_page(form, status=422)
    confirm_form = ConfirmTrainingForm(
        formdata=None, file_name=upload.filename or "training.csv", file_data=base64.b64encode(data).decode()
    )
    return _training_page(
        TrainingUploadForm(formdata=None),
        plan=plan,
        confirm_form=confirm_form,
        status=200 if plan.is_valid else 422,
    )


@bp.post("/import/training/confirm")
def import_training_confirm():
    """Import the previewed records with their attesting document, all in one transaction."""
    confirm_form = ConfirmTrainingForm()
    data = _decoded(confirm_form)
    if not data or not confirm_form.file_name.data or not confirm_form.file_data.data:
        flash(_("The file did not come back with the form. Please upload it again."), "error")
        return redirect(url_for("admin.import_training_upload"))
    association_id, name = current_association().id, confirm_form.file_name.data
    storage = confirm_form.document.data
    document = (
        uploads.Upload(filename=storage.filename, data=storage.read(uploads.max_bytes() + 1))
        if confirm_form.validate_on_submit() and storage and storage.filename
        else None
    )
    try:
        if document is None and not confirm_form.errors.get("csrf_token"):
            plan = training.preview(current_user, association_id, name, data)
            if plan.change_count:  # a document is needed: say so beside its field
                return _training_page(
                    TrainingUploadForm(formdata=None), plan=plan, confirm_form=confirm_form, status=422
                )
        elif document is None:
            flash(_("The form has expired. Please upload the file again."), "error")
            return redirect(url_for("admin.import_training_upload"))
        result = services.commit_even_if_raced(
            lambda: training.apply(current_user, association_id, name, data, document)
        )
    except ValidationError as error:
        db.session.rollback()
        if error.fields.get(training.FIELD):
            confirm_form.document.errors = list(error.fields[training.FIELD])
        else:
            flash(error.message, "error")
        try:
            plan = training.preview(current_user, association_id, name, data)
        except ValidationError:
            return redirect(url_for("admin.import_training_upload"))
        return _training_page(
            TrainingUploadForm(formdata=None), plan=plan, confirm_form=confirm_form, status=422
        )
    if result.records_created:
        flash(
            ngettext(
                "Imported %(num)d earlier record, attested by you.",
                "Imported %(num)d earlier records, attested by you.",
                result.records_created,
            ),
            "success",
        )
    else:
        flash(_("Nothing to change: every record in the file is already imported."), "success")
    return redirect(url_for("admin.import_training_upload"))


@bp.get("/import/training/template.csv")
def import_training_template():
    return Response(
        training.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=stillpoint-earlier-training-template.csv"},
    )


@attachments_bp.get("/records/<int:record_id>/attestation")
@member_required
def attestation(record_id: int):
    """The document attesting an imported record, for whoever may see the record."""
    document, data = training.attestation_of(current_user, current_association().id, record_id)
    response = send_file(
        io.BytesIO(data),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

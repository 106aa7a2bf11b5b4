"""Evidence files: add to a draft record or reflection, download, remove from a draft."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.attachments import services
from app.attachments.forms import AttachForm, RemoveForm
from app.auth import current_association, member_required
from app.errors import InvalidState, ValidationError
from app.extensions import db
from app.logbook import uploads

bp = Blueprint("attachments", __name__, url_prefix="/attachments", template_folder="templates")


def _association_id() -> int:
    return current_association().id


def _upload(form: AttachForm) -> uploads.Upload | None:
    storage = form.file.data
    if not storage or not getattr(storage, "filename", ""):
        return None
    return uploads.Upload(filename=storage.filename, data=storage.read(uploads.max_bytes() + 1))


def _owner_url(record_id: int | None = None, reflection_id: int | None = None) -> str:
    if record_id is not None:
        return url_for("logbook.record", record_id=record_id) + "#evidence"
    return url_for("vignettes.reflection", reflection_id=reflection_id) + "#evidence"


def _add(adder, owner_id: int, back: str):
    form = AttachForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please choose the file again."), "error")
        return redirect(back)
    try:
        attachment = adder(current_user, _association_id(), owner_id, _upload(form))
    except (ValidationError, InvalidState) as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s is attached.", name=attachment.name), "success")
    return redirect(back)


@bp.post("/records/<int:record_id>")
@member_required
def add_to_record(record_id: int):
    return _add(services.add_to_record, record_id, _owner_url(record_id=record_id))


@bp.post("/reflections/<int:reflection_id>")
@member_required
def add_to_reflection(reflection_id: int):
    return _add(services.add_to_reflection, reflection_id, _owner_url(reflection_id=reflection_id))


@bp.get("/<int:attachment_id>")
@member_required
def download(attachment_id: int):
    attachment, data = services.file_of(current_user, _association_id(), attachment_id)
    response = send_file(
        io.BytesIO(data),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/<int:attachment_id>/delete")
@member_required
def remove(attachment_id: int):
    form = RemoveForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("home.index"))
    try:
        attachment = services.remove(current_user, _association_id(), attachment_id)
    except InvalidState as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("home.index"))
    db.session.commit()
    flash(_("%(name)s is removed.", name=attachment.name), "success")
    return redirect(_owner_url(attachment.record_id, attachment.reflection_id))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    """A body over the limit cannot be read: go back to the page with the reason."""
    args = request.view_args or {}
    flash(uploads.too_large_message(), "error")
    if current_user.is_authenticated and ("record_id" in args or "reflection_id" in args):
        return redirect(_owner_url(args.get("record_id"), args.get("reflection_id")))
    return redirect(url_for("home.index"))


@bp.app_context_processor
def evidence_helpers() -> dict:
    """Lazy helpers for record and reflection pages: one statement when a page asks."""

    def filesize(size: int) -> str:
        if size >= 1024 * 1024:
            return uploads.megabytes(size)
        return _("%(n)s KB", n=max(1, round(size / 1024)))

    return {
        "record_evidence": services.of_record,
        "reflection_evidence": services.of_reflection,
        "attach_form": AttachForm,
        "filesize": filesize,
    }

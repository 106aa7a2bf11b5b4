"""Admins' pages for undoing a batch issued in error and downloading a period's certificates.

Registered on the certificates blueprint (``views.bp``); the rules are in ``batches``
and ``archives``.
"""

from __future__ import annotations

from flask import flash, redirect, request, send_file, url_for
from flask_babel import ngettext
from flask_login import current_user

from app.accounts.models import Role
from app.auth import current_association, role_required
from app.certificates import archives, batches
from app.certificates.forms import PeriodForm, UndoBatchForm
from app.certificates.views import batch_page, bp
from app.errors import DomainError, ValidationError
from app.extensions import db


@bp.post("/certificates/batches/<int:batch_id>/undo")
@role_required(Role.ADMIN)
def undo_batch(batch_id: int):
    form = UndoBatchForm()
    if not form.validate_on_submit():
        return batch_page(batch_id, undo_form=form, status=422)
    try:
        revoked = batches.undo_batch(current_user, batch_id)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return batch_page(batch_id, undo_form=form, status=error.status)
    db.session.commit()
    flash(
        ngettext(
            "The batch is undone: %(num)d certificate revoked as issued in error.",
            "The batch is undone: %(num)d certificates revoked as issued in error.",
            len(revoked),
        ),
        "success",
    )
    return redirect(url_for("certificates.batch", batch_id=batch_id))


def _period_file(kind: str):
    form = PeriodForm(request.args)
    form.validate()
    try:
        writer = archives.period_zip if kind == "zip" else archives.period_pdf
        name, data = writer(current_user, current_association().id, form.start.data, form.end.data)
    except ValidationError as error:
        flash(error.message, "error")
        return redirect(url_for("certificates.index", **request.args))
    db.session.commit()  # certificates from before stored documents have their PDF stored now
    mimetype = "application/zip" if kind == "zip" else "application/pdf"
    return send_file(data, mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/certificates/period.zip")
@role_required(Role.ADMIN)
def period_zip():
    return _period_file("zip")


@bp.get("/certificates/period.pdf")
@role_required(Role.ADMIN)
def period_pdf():
    return _period_file("pdf")

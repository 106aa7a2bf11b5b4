"""API operations of the certificates package, on the API blueprint of ``app.api.core``:
undoing a batch issued in error, and downloading a period's certificates. Their models are
in ``app.certificates.api_schemas``. (Issuing, reading and revoking one certificate are in
``app.api.resources_work``.)

Each operation calls the service the HTML pages call, so the window, the audit trail and
the stored bytes are the same whichever way an admin asks.
"""

from __future__ import annotations

from flask import send_file

from app.api.core import current_association_id, current_user, in_acting_association, operation
from app.certificates import api_schemas as s
from app.certificates import archives, batches


@operation(
    "/certificates/batches/<int:batch_id>/undo",
    "POST",
    summary="Undo a batch issued in error (admins, within the undo window)",
    tag="certificates",
    response=s.BatchUndoOut,
    errors=(404, 409),
)
def undo_certificate_batch(batch_id: int):
    """Revokes every certificate of the batch still valid with the reason "Issued in error";
    each holder is told. 409 once the batch was undone, or after the window
    (`CERTIFICATE_BATCH_UNDO_HOURS`, 24 by default)."""
    batch = batches.managed_batch(current_user(), batch_id)
    in_acting_association(batch.association_id)
    revoked = batches.undo_batch(current_user(), batch.id)
    return {"batch_id": batch.id, "undone_at": batch.undone_at, "revoked": [c.serial for c in revoked]}


@operation(
    "/certificates/archive",
    "GET",
    summary="All certificates issued in a period, as one ZIP or one PDF (admins)",
    tag="certificates",
    query=s.PeriodQuery,
    media_type="application/zip",
    errors=(422,),
)
def certificate_archive(query: s.PeriodQuery):
    """The PDFs stored at issue, whatever each certificate's status now; 422 when none was
    issued in the period, or (for `format=pdf`) when too many for one PDF."""
    writer = archives.period_pdf if query.format == "pdf" else archives.period_zip
    name, data = writer(current_user(), current_association_id(), query.start, query.end)
    mimetype = "application/pdf" if query.format == "pdf" else "application/zip"
    return send_file(data, mimetype=mimetype, as_attachment=True, download_name=name)

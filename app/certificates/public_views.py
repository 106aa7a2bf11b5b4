"""Public certificate pages: /verify (by serial, PDF or fingerprint), the credentials, the issuers'
keys, status lists and seal certificates.

No login. Lookups share one rate-limit budget per visitor, and every unknown or
malformed serial gets the same 404, so serials cannot be enumerated.
"""

from __future__ import annotations

import hashlib
import json

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.certificates import credential, documents, seal_keys, sealing, serials, status_list, verification
from app.certificates.forms import SerialForm, VerifyForm
from app.certificates.limits import _upload_limit, lookup_limit, lookup_limit_on_post, upload_limit
from app.certificates.verification import STATUS_LABELS
from app.certificates.views import bp
from app.errors import NotFound, ValidationError
from app.extensions import csrf, db, limiter
from app.forms_util import apply_errors

# Every lookup shares one budget per visitor, whichever page, format or API it uses (limits.py).


# -- public verification ----------------------------------------------------------------------


def _public_json(body: dict, status: int = 200) -> Response:
    """JSON anyone may fetch from anywhere (no cookies are involved), never cached stale."""
    response = jsonify(body)
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _not_found_json(error: NotFound) -> Response:
    return _public_json({"error": {"code": error.code, "message": error.message}}, 404)


@bp.route("/verify", methods=["GET", "POST"])
@upload_limit
@lookup_limit_on_post
def verify():
    serial_form = SerialForm(request.args)
    if request.method == "GET" and request.args.get("serial") and serial_form.validate():
        serial = serials.normalise(serial_form.serial.data)
        return redirect(url_for("certificates.verify_serial", serial=serial))
    form, check = VerifyForm(), None
    if form.validate_on_submit():
        try:
            if form.pdf.data:
                check = verification.check_pdf(form.pdf.data.read(verification.MAX_UPLOAD_BYTES + 1))
            elif form.sha256.data:
                check = verification.check_sha256(form.sha256.data)
            else:
                raise ValidationError(
                    _("Choose the PDF or paste its fingerprint."), fields={"pdf": [_("Choose a PDF file.")]}
                )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
    status = 422 if request.method == "POST" and check is None else 200
    return render_template(
        "certificates/verify.html", form=form, serial_form=serial_form, check=check, statuses=STATUS_LABELS
    ), status


@bp.get("/verify/<serial>")
@lookup_limit
def verify_serial(serial: str):
    certificate = verification.find_by_serial(serial)
    return render_template(
        "certificates/verify_serial.html",
        record=verification.public_record(certificate),
        seal=sealing.seal_of(certificate),
        statuses=STATUS_LABELS,
    )


@bp.get("/verify/<serial>.json")
@lookup_limit
def verify_serial_json(serial: str):
    try:
        return _public_json(verification.lookup(serial).as_json())
    except NotFound as error:
        return _not_found_json(error)


@bp.get("/credentials/<serial>.json")
@lookup_limit
def credential_document(serial: str):
    try:
        certificate = verification.find_by_serial(serial)
        if certificate.holder.erased_at is not None:
            # The credential names its holder; after erasure only the status is public.
            message = _(
                "The holder's personal data was erased; the certificate's status is at %(url)s.",
                url=verification.verify_url(serial),
            )
            return _public_json({"error": {"code": "gone", "message": message}}, 410)
        stored = documents.credential_of(certificate)  # the bytes signed at issue
        db.session.commit()  # stored now if the certificate predates stored documents
        response = Response(stored.content, mimetype=stored.media_type)
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Cache-Control"] = "no-cache"
        return response
    except NotFound as error:
        return _not_found_json(error)


@bp.get("/credentials/<serial>/status.json")
@lookup_limit
def credential_status(serial: str):
    try:
        return _public_json(credential.status_document(verification.find_by_serial(serial)))
    except NotFound as error:
        return _not_found_json(error)


@bp.post("/credentials/verify")
@csrf.exempt  # a pure check that changes nothing, called by other programs
@limiter.limit(_upload_limit)
@lookup_limit
def credential_verify():
    document = request.get_json(silent=True)
    if document is None:
        return _public_json({"error": {"code": "invalid", "message": _("Send the credential as JSON.")}}, 400)
    return _public_json(credential.verify_credential(document).as_json())


@bp.get("/issuers/<slug>.json")
@lookup_limit
def issuer(slug: str):
    try:
        return _public_json(credential.issuer_profile(verification.find_issuer(slug)))
    except NotFound as error:
        return _not_found_json(error)


@bp.get("/issuers/<slug>/key.json")
@lookup_limit
def issuer_key(slug: str):
    try:
        return _public_json(credential.key_document(verification.find_issuer(slug)))
    except NotFound as error:
        return _not_found_json(error)


@bp.get("/issuers/<slug>/status/<purpose>")
@lookup_limit
def status_list_credential(slug: str, purpose: str):
    """The association's revocation or suspension list (W3C Bitstring Status List).

    Cached briefly (the list's ``ttl``), with an ETag: a verifier that polls gets 304
    until a bit changes, and sees a change within minutes.
    """
    try:
        if purpose not in status_list.PURPOSES:
            raise NotFound(_("No such status list."))
        document = status_list.signed_list(verification.find_issuer(slug), purpose)
    except NotFound as error:
        return _not_found_json(error)
    body = json.dumps(document, sort_keys=True, ensure_ascii=False).encode("utf-8")
    response = Response(body, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={status_list.TTL_SECONDS}"
    response.set_etag(hashlib.sha256(body).hexdigest())
    response = response.make_conditional(request)
    del response.headers["Date"]  # make_conditional adds one; the server sends its own
    return response


def _pem(key: seal_keys.SealKey) -> Response:
    """A seal certificate as PEM: public, cacheable, and named by its fingerprint."""
    response = Response(key.certificate_pem, mimetype=seal_keys.PEM_MEDIA_TYPE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Content-Disposition"] = f'inline; filename="seal-{key.fingerprint[:16]}.pem"'
    response.headers["X-Seal-Fingerprint-SHA256"] = key.fingerprint
    return response


@bp.get("/issuers/<slug>/seal.pem")
@lookup_limit
def issuer_seal(slug: str):
    """The certificate of the key that seals the issuer's new PDFs."""
    try:
        return _pem(seal_keys.published_current(slug))
    except NotFound as error:
        return _not_found_json(error)


@bp.get("/issuers/<slug>/seal/<fingerprint>.pem")
@lookup_limit
def issuer_seal_by_fingerprint(slug: str, fingerprint: str):
    """Any seal certificate the issuer has used, current or retired, by its SHA-256 fingerprint."""
    try:
        return _pem(seal_keys.published(slug, fingerprint))
    except NotFound as error:
        return _not_found_json(error)

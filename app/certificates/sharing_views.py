"""The credential as a wallet imports it: the stored signed bytes, public, CORS open for GET.

Why a URL of its own beside ``/credentials/<serial>.json`` (the credential's id, served
as plain JSON so a browser shows it): wallets are told by the media type that this is a
verifiable credential (``application/vc+ld+json``); the bytes are the same. See
``sharing`` for the choice of import method.
"""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from app.certificates import documents, verification
from app.certificates.limits import lookup_limit
from app.certificates.sharing import WALLET_MEDIA_TYPE
from app.certificates.views import bp
from app.errors import NotFound
from app.extensions import db


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _error(code: str, message: str, status: int) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return _cors(response)


@bp.get("/credentials/<serial>/vc.json")
@lookup_limit
def credential_for_wallet(serial: str):
    try:
        certificate = verification.find_by_serial(serial)
    except NotFound as error:
        return _error(error.code, error.message, 404)
    if certificate.holder.erased_at is not None:
        message = _(
            "The holder's personal data was erased; the certificate's status is at %(url)s.",
            url=verification.verify_url(serial),
        )
        return _error("gone", message, 410)
    stored = documents.credential_of(certificate)  # the bytes signed at issue
    db.session.commit()  # stored now if the certificate predates stored documents
    response = Response(stored.content, mimetype=WALLET_MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'inline; filename="{certificate.serial}.json"'
    return _cors(response)

"""Checking a credential's status from its status lists, failing closed.

``check_document`` reads a credential's ``credentialStatus`` entries and looks each up
where it points: a ``BitstringStatusListEntry`` in the status list credential it names,
a ``1EdTechRevocationList`` entry (credentials signed before the lists) in the live status
document. Only our own lists and documents are looked up, in-process from the database:
we fetch nothing from the network, so a URL we do not serve cannot be checked.

Whatever cannot be read (an unknown URL or entry type, a list that does not decode, is
too short or of another purpose, an index that is not the certificate's or that it does
not have) makes the answer "could not check", which ``verdict`` turns into
``CertificateStatus.COULD_NOT_CHECK``: never "valid" on a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app.accounts.models import Association
from app.certificates import status_list
from app.certificates.models import Certificate, CertificateStatus
from app.certificates.verification import credential_url, public_url

LEGACY_TYPE = "1EdTechRevocationList"
#: Known for good: nothing a status list says could make these certificates valid again.
FINAL = (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED)


@dataclass(frozen=True)
class StatusOutcome:
    """What the status lists say about one credential."""

    is_checked: bool
    is_revoked: bool = False
    is_suspended: bool = False
    problem: str = ""


def _unchecked(problem: str) -> StatusOutcome:
    return StatusOutcome(False, problem=problem)


def our_route(url: object) -> tuple[str, dict] | None:
    """(endpoint, values) when ``url`` is exactly one of our public URLs, else None."""
    if not isinstance(url, str):
        return None
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    parts, prefix = urlsplit(url), base.path.rstrip("/")
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query or parts.fragment:
        return None
    try:
        endpoint, values = adapter.match(parts.path.removeprefix(prefix) if prefix else parts.path)
    except HTTPException:  # not one of our routes
        return None
    if public_url(endpoint, **values) != url:
        return None
    return endpoint, values


def _list_document(url: object, certificate: Certificate) -> dict | None:
    """The status list credential at ``url``, when it is the certificate's association's."""
    route = our_route(url)
    if route is None or route[0] != "certificates.status_list_credential":
        return None
    association: Association = certificate.association
    endpoint_values = route[1]
    if endpoint_values["slug"] != association.slug or endpoint_values["purpose"] not in status_list.PURPOSES:
        return None
    return status_list.list_credential(association, endpoint_values["purpose"])


def _bit(entry: dict, certificate: Certificate, index_of_certificate: int | None) -> bool | str:
    """The entry's bit, or the reason it cannot be read."""
    purpose, index = entry.get("statusPurpose"), entry.get("statusListIndex")
    if purpose not in status_list.PURPOSES:
        return _("The credential names a status of a kind we do not publish.")
    if not isinstance(index, str) or not index.isdigit():
        return _("The credential's place in the status list is not a number.")
    if index_of_certificate is None or int(index) != index_of_certificate:
        return _("The certificate has no place of its own in the status lists.")
    document = _list_document(entry.get("statusListCredential"), certificate)
    if document is None:
        return _("The status list the credential names is not one we publish.")
    subject = document.get("credentialSubject") or {}
    if subject.get("type") != status_list.LIST_TYPE or subject.get("statusPurpose") != purpose:
        return _("The status list is not of the purpose the credential names.")
    try:
        bits = status_list.decode(subject.get("encodedList"))
    except ValueError:
        return _("The status list could not be decoded.")
    if len(bits) * 8 < status_list.MIN_BITS or int(index) >= len(bits) * 8:
        return _("The status list is shorter than the credential's place in it.")
    return status_list.is_set(bits, int(index))


def _legacy(entry: dict, certificate: Certificate) -> StatusOutcome:
    """A credential from before the lists: its live status document, if it is ours."""
    from app.certificates.credential import status_document  # credential imports this module

    route = our_route(entry.get("id"))
    if route is None or route != ("certificates.credential_status", {"serial": certificate.serial}):
        return _unchecked(_("The status document the credential names is not one we publish."))
    listed = [
        item
        for item in status_document(certificate).get("revokedCredentials", [])
        if item.get("id") == credential_url(certificate.serial) and item.get("revoked") is True
    ]
    return StatusOutcome(
        True,
        is_revoked=any(not item.get("suspended") for item in listed),
        is_suspended=any(item.get("suspended") for item in listed),
    )


def check_document(credential_status: object, certificate: Certificate) -> StatusOutcome:
    """What the credential's own ``credentialStatus`` entries say about ``certificate``."""
    entries = credential_status if isinstance(credential_status, list) else [credential_status]
    if not entries or not all(isinstance(entry, dict) for entry in entries):
        return _unchecked(_("The credential names no status we can check."))
    entry = status_list.entry_of(certificate)
    index = entry.list_index if entry is not None else None
    revoked = suspended = False
    purposes = set()
    for item in entries:
        if item.get("type") == LEGACY_TYPE and len(entries) == 1:
            return _legacy(item, certificate)
        if item.get("type") != status_list.ENTRY_TYPE:
            return _unchecked(_("The credential names a status of a kind we do not publish."))
        bit = _bit(item, certificate, index)
        if isinstance(bit, str):
            return _unchecked(bit)
        purposes.add(item["statusPurpose"])
        revoked |= bit and item["statusPurpose"] == status_list.REVOCATION
        suspended |= bit and item["statusPurpose"] == status_list.SUSPENSION
    if purposes != set(status_list.PURPOSES):
        return _unchecked(_("The credential does not name both of its status lists."))
    return StatusOutcome(True, is_revoked=revoked, is_suspended=suspended)


def check_certificate(certificate: Certificate) -> StatusOutcome:
    """What the published lists say about a certificate, read at its own index."""
    entry = status_list.entry_of(certificate)
    if entry is None:
        return _unchecked(_("The certificate has no place of its own in the status lists."))
    return check_document(status_list.credential_status(certificate, entry), certificate)


def verdict(status: CertificateStatus, outcome: StatusOutcome) -> CertificateStatus:
    """The status to tell a verifier: the record's, unless the lists say worse or cannot say."""
    if status in FINAL:
        return status
    if outcome.is_revoked:
        return CertificateStatus.REVOKED
    if not outcome.is_checked:
        return CertificateStatus.COULD_NOT_CHECK
    if outcome.is_suspended:
        return CertificateStatus.SUSPENDED
    return status

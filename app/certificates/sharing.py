"""One step to where holders show their certificate: a LinkedIn profile, a credential wallet.

**LinkedIn.** LinkedIn's "Add licence or certification" form opens pre-filled from
``https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME`` with ``name``,
``organizationId`` (the association's LinkedIn page, when its admins set one in the
certificate settings) or else ``organizationName``, ``issueYear``/``issueMonth``,
``expirationYear``/``expirationMonth`` (only when the certificate expires), ``certUrl``
(the public verification page, on ``BASE_URL``) and ``certId`` (the serial). Values are
percent-encoded (``quote``, so a space is ``%20`` and ``&`` or ``é`` cannot break the
query), and the link carries what the certificate printed, not today's settings.

**Wallets.** The signed Open Badges credential stored at issue is served, byte for
byte, at ``/credentials/<serial>/vc.json`` as ``application/vc+ld+json`` with CORS open
for GET, so a web wallet may fetch it from the holder's browser. The holder's page
shows that URL as a link and as a QR code. We chose a plain credential URL because it
is what the wallets accept without an exchange protocol:

- the DCC Learner Credential Wallet imports a credential from a URL, typed into "Add
  from URL" or scanned as a QR code (its issues #167 and #372: "Support URL based VC
  import", "Add VC from URL");
- its ``dccrequest://request?issuer=...&vc_request_url=...&challenge=...`` deep link,
  and LearnCard's ``https://learncard.app/request?vc_request_url=...``, start a VC-API
  exchange in which the wallet authenticates (DIDAuth) and the issuer answers a
  presentation request. We do not run such an exchange (our credentials name the holder,
  not a DID), so those links would fail; they are left out rather than offered broken.

Wallets that check issuers against a registry (the DCC's) show an unknown issuer until
the association is registered there; the credential itself verifies either way.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import segno
from flask_babel import gettext as _

from app.accounts.models import Association
from app.certificates.models import Certificate, CertificateState
from app.certificates.verification import public_url, verify_url
from app.errors import ValidationError
from app.extensions import db

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"
WALLET_MEDIA_TYPE = "application/vc+ld+json"


def linkedin_url(certificate: Certificate) -> str:
    """LinkedIn's add-certification form, pre-filled with what the certificate says."""
    association = db.session.get(Association, certificate.association_id)
    params: list[tuple[str, str | int]] = [
        ("startTask", "CERTIFICATION_NAME"),
        ("name", certificate.programme_title),
    ]
    organization_id = association.linkedin_organization_id if association else None
    if organization_id:
        params.append(("organizationId", organization_id))
    else:
        params.append(("organizationName", certificate.association_name))
    params += [("issueYear", certificate.issued_on.year), ("issueMonth", certificate.issued_on.month)]
    if certificate.expires_on is not None:
        params += [
            ("expirationYear", certificate.expires_on.year),
            ("expirationMonth", certificate.expires_on.month),
        ]
    params += [("certUrl", verify_url(certificate.serial)), ("certId", certificate.serial)]
    return f"{LINKEDIN_ADD_URL}?{urlencode(params, quote_via=quote, safe='')}"


def clean_linkedin_organization_id(value: str | None) -> str | None:
    """The numeric id of a LinkedIn organisation page, or None when left empty."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 20:
        raise ValidationError(
            _("Please check the LinkedIn organisation id."),
            fields={"linkedin_organization_id": [_("Only the digits of the id, e.g. 1234567.")]},
        )
    return value


def wallet_url(certificate: Certificate) -> str:
    """Where a wallet fetches the signed credential (absolute, on ``BASE_URL``)."""
    return public_url("certificates.credential_for_wallet", serial=certificate.serial)


def wallet_qr_svg(certificate: Certificate) -> str:
    """The wallet URL as a QR code, an SVG data URI (no request to any other server)."""
    return segno.make(wallet_url(certificate), error="m", micro=False).svg_data_uri(scale=4, border=2)


def is_shareable(certificate: Certificate) -> bool:
    """Offered for sharing only while it stands: a revoked or replaced one is not advertised."""
    return certificate.state == CertificateState.VALID.value

"""The association's certificate settings: signatory, serial prefix, page size, logo, LinkedIn page.

Settings apply to certificates issued afterwards; issued ones keep what they printed.
A logo is re-encoded as a PNG (which drops anything but the pixels), stored in the
database by its SHA-256 (``app.storage``), and never deleted, so old certificates that name it
can still be rendered byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import warnings

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select

from app import policy
from app.accounts.models import Association, User
from app.audit.services import record
from app.certificates.rendering import (
    PAGE_SIZES,
    CertificateDocument,
    logo_data_uri,
    render_document,
)
from app.certificates.serials import PREFIX_PATTERN
from app.certificates.sharing import clean_linkedin_organization_id
from app.errors import NotFound, ValidationError
from app.extensions import db
from app.storage import services as storage
from app.storage.models import Namespace

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 1200  # longest side after re-encoding; the logo prints about 2 cm tall


def get_association(actor: User, association_id: int) -> Association:
    policy.require_manage_certificates(actor, association_id)
    association = db.session.get(Association, association_id)
    if association is None:  # pragma: no cover - membership implies the association exists
        raise NotFound(_("No such association."))
    return association


def _clean_logo(data: bytes) -> bytes:
    """Decode an uploaded PNG or JPEG and re-encode it as a plain, bounded PNG."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(_("The logo is too large."), fields={"logo": [_("At most 2 MB.")]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ("PNG", "JPEG"):
                raise ValidationError(
                    _("Unsupported logo."), fields={"logo": [_("Upload a PNG or JPEG image.")]}
                )
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise ValidationError(
            _("The logo could not be read."), fields={"logo": [_("Upload a PNG or JPEG image.")]}
        ) from error
    image = image.convert("RGBA")
    image.thumbnail((MAX_LOGO_PIXELS, MAX_LOGO_PIXELS))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def store_logo(data: bytes) -> str:
    """Keep the cleaned logo under its SHA-256 and return the hash (idempotent)."""
    png = _clean_logo(data)
    digest = hashlib.sha256(png).hexdigest()
    storage.put(Namespace.CERTIFICATE_LOGO, digest, png, "image/png")
    return digest


def update_settings(
    actor: User,
    association_id: int,
    *,
    signatory_name: str,
    signatory_role: str,
    serial_prefix: str,
    page_size: str,
    logo: bytes | None = None,
    remove_logo: bool = False,
    linkedin_organization_id: str | None = None,
) -> Association:
    """Change how future certificates look and are numbered (audited)."""
    association = get_association(actor, association_id)
    prefix = (serial_prefix or "").strip().upper()
    if not PREFIX_PATTERN.match(prefix):
        raise ValidationError(
            _("Please check the serial prefix."), fields={"serial_prefix": [_("2 to 8 letters or digits.")]}
        )
    taken = db.session.scalar(
        select(Association.id).where(
            func.upper(Association.serial_prefix) == prefix, Association.id != association.id
        )
    )
    if taken:
        raise ValidationError(
            _("Please choose another serial prefix."),
            fields={"serial_prefix": [_("Another association uses this prefix.")]},
        )
    # None leaves the LinkedIn id as it is; "" clears it.
    linkedin_id = (
        clean_linkedin_organization_id(linkedin_organization_id)
        if linkedin_organization_id is not None
        else association.linkedin_organization_id
    )
    if page_size not in PAGE_SIZES:
        raise ValidationError(_("Please choose a page size."), fields={"page_size": [_("A4 or Letter.")]})
    before = _snapshot(association)
    association.signatory_name = " ".join((signatory_name or "").split())[:200]
    association.signatory_role = " ".join((signatory_role or "").split())[:200]
    association.serial_prefix = prefix
    association.certificate_page_size = page_size
    association.linkedin_organization_id = linkedin_id
    if logo:
        association.certificate_logo_sha256 = store_logo(logo)
    elif remove_logo:
        association.certificate_logo_sha256 = None
    after = _snapshot(association)
    changed = {key: after[key] for key in after if after[key] != before[key]}
    if changed:
        record(
            "certificate.settings_changed", association, actor=actor, association_id=association.id, **changed
        )
    return association


def _snapshot(association: Association) -> dict[str, object]:
    return {
        "signatory_name": association.signatory_name,
        "signatory_role": association.signatory_role,
        "serial_prefix": association.serial_prefix,
        "page_size": association.certificate_page_size,
        "logo_sha256": association.certificate_logo_sha256,
        "linkedin_organization_id": association.linkedin_organization_id,
    }


def sample_pdf(actor: User, association_id: int) -> bytes:
    """A specimen certificate with the current settings, to check the design before issuing."""
    association = get_association(actor, association_id)
    today = dt.date.today()
    serial = f"{association.serial_prefix or 'XX'}-{today.year}-00000-0"
    return render_document(
        CertificateDocument(
            serial=serial,
            holder_name=_("Specimen — not a certificate"),
            programme_title=_("Title of the programme"),
            association_name=association.name,
            achievement=_("24 co-led sessions, 14 hours of supervision, 2 leadership workshops, 2024–2026"),
            issued_on=today,
            expires_on=None,
            signatory_name=association.signatory_name,
            signatory_role=association.signatory_role,
            verify_url="https://example.invalid/verify/" + serial,
            page_size=association.certificate_page_size or "A4",
            logo_data_uri=logo_data_uri(association.certificate_logo_sha256),
        )
    )

"""The hash of a certificate's record, recorded at issue and checked before anyone is told about it.

``record_sha256`` is the SHA-256 of the canonical JSON of every value the certificate
vouches for (what is printed, who holds it, when it was issued). It is written with the
row and the database keeps it (and those values) from changing (``triggers``); public
verification recomputes it and refuses to vouch for a row that no longer matches, so
a row changed behind the guards' backs (with the DDL rights to drop them) is reported,
never confirmed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping

log = logging.getLogger(__name__)

#: The columns the hash covers, in a fixed order (frozen with migration 0017).
COLUMNS = (
    "serial",
    "association_id",
    "enrolment_id",
    "holder_id",
    "programme_id",
    "rule_set_version",
    "holder_name",
    "programme_title",
    "association_name",
    "achievement",
    "issued_on",
    "expires_on",
    "signatory_name",
    "signatory_role",
    "page_size",
    "logo_sha256",
    "locale",
    "verify_url",
    "issued_at",
)


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")  # UTC; aware (ORM) or naive (migration) alike
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def record_digest(values: Mapping[str, object]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``values``' hashed columns."""
    document = {column: _plain(values[column]) for column in COLUMNS}
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def digest_of(certificate) -> str:
    return record_digest({column: getattr(certificate, column) for column in COLUMNS})


def is_intact(certificate) -> bool:
    """The row still holds what was issued (rows without a recorded hash cannot be checked)."""
    if not certificate.record_sha256:
        return True
    intact = digest_of(certificate) == certificate.record_sha256
    if not intact:
        log.error("certificate %s no longer matches the hash recorded at issue", certificate.serial)
    return intact

"""The association's published status lists: W3C Bitstring Status List v1.0 credentials.

Each association publishes two lists, one per purpose, at stable URLs
(``/issuers/<slug>/status/revocation`` and ``/issuers/<slug>/status/suspension``).
Each is a ``BitstringStatusListCredential`` signed with the association's credential
key (``credential.sign``, eddsa-jcs-2022), whose ``encodedList`` is the bitstring,
GZIP-compressed, base64url-encoded without padding and prefixed ``u`` (multibase).
Bit *i* is the *i*-th bit counting from the most significant bit of the first byte.

Every certificate has one index, drawn at random when it is issued
(``CertificateStatusEntry``), and the same index in both lists. A list is at least
131,072 bits (16 KB) and at most half of its indexes are ever drawn (it doubles before
that), so the lists stay sparse: someone who downloads a list twice sees that a bit
changed, but cannot tell from the index whose certificate it is or when it was issued.

The lists are worked out from the database when asked for, never stored: a bit is set
in the revocation list when the certificate is revoked or superseded (no longer the one
in force), and in the suspension list while a suspension is open on a certificate in
force. So the published lists cannot drift from the certificate rows and suspensions,
whichever service changed them.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import gzip
import secrets
import zlib

from sqlalchemy import func, select

from app.accounts.models import Association
from app.certificates.models import (
    Certificate,
    CertificateState,
    CertificateStatusEntry,
    CertificateSuspension,
)
from app.certificates.verification import public_url
from app.extensions import db

REVOCATION = "revocation"
SUSPENSION = "suspension"
PURPOSES = (REVOCATION, SUSPENSION)
#: The specification's minimum: 16 KB of bits, whatever the number of certificates.
MIN_BITS = 131_072
#: How long a verifier may keep a list (milliseconds, the ``ttl`` of the list) and how
#: long HTTP caches may (seconds): short, so that a revocation is seen within minutes.
TTL_SECONDS = 300
#: A decoded list larger than this is refused (a gzip bomb is not a status list).
MAX_BITS = 64 * MIN_BITS
ENTRY_TYPE = "BitstringStatusListEntry"
LIST_TYPE = "BitstringStatusList"
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"


# -- the bitstring ------------------------------------------------------------------------


def encode(bits: bytes) -> str:
    """Multibase base64url (no padding, prefix ``u``) of the GZIP-compressed bitstring."""
    compressed = gzip.compress(bits, mtime=0)  # mtime 0: the same bits give the same string
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: object) -> bytes:
    """The bitstring of an ``encodedList``; ValueError when it is not one."""
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("an encodedList is a multibase base64url string starting with 'u'")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
        bits = decompressor.decompress(compressed, MAX_BITS // 8 + 1)
    except (binascii.Error, zlib.error) as error:
        raise ValueError(f"the encodedList does not decode: {error}") from error
    if len(bits) > MAX_BITS // 8 or not decompressor.eof:
        raise ValueError("the encodedList is larger than any status list")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def bitstring(length: int, indexes: list[int]) -> bytes:
    bits = bytearray(length // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


# -- indexes --------------------------------------------------------------------------------


def _capacity(entries: int) -> int:
    """The range indexes are drawn from: at most half full, so a draw rarely collides."""
    capacity = MIN_BITS
    while entries * 2 >= capacity:
        capacity *= 2
    return capacity


def list_length(association_id: int) -> int:
    """Bits in the association's lists: 131,072, or more once indexes need more."""
    highest = db.session.scalar(
        select(func.max(CertificateStatusEntry.list_index)).where(
            CertificateStatusEntry.association_id == association_id
        )
    )
    length = MIN_BITS
    while highest is not None and highest >= length:
        length *= 2
    return length


def assign_index(certificate: Certificate) -> CertificateStatusEntry:
    """Give a newly issued certificate its random index (never one used before).

    Called in the issuing transaction after the serial is allocated; on PostgreSQL the
    serial counter's row lock already orders concurrent issuers of one association.
    """
    used = db.session.scalar(
        select(func.count())
        .select_from(CertificateStatusEntry)
        .where(CertificateStatusEntry.association_id == certificate.association_id)
    )
    capacity = _capacity(used or 0)
    while True:
        index = secrets.randbelow(capacity)
        taken = db.session.scalar(
            select(CertificateStatusEntry.id).where(
                CertificateStatusEntry.association_id == certificate.association_id,
                CertificateStatusEntry.list_index == index,
            )
        )
        if taken is None:
            break
    entry = CertificateStatusEntry(
        certificate_id=certificate.id, association_id=certificate.association_id, list_index=index
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def entry_of(certificate: Certificate) -> CertificateStatusEntry | None:
    return db.session.scalar(
        select(CertificateStatusEntry).where(CertificateStatusEntry.certificate_id == certificate.id)
    )


# -- the lists -------------------------------------------------------------------------------


def list_url(association: Association, purpose: str) -> str:
    return public_url("certificates.status_list_credential", slug=association.slug, purpose=purpose)


def credential_status(certificate: Certificate, entry: CertificateStatusEntry) -> list[dict]:
    """The two ``BitstringStatusListEntry`` objects a credential carries."""
    association = certificate.association
    return [
        {
            "id": f"{list_url(association, purpose)}#{entry.list_index}",
            "type": ENTRY_TYPE,
            "statusPurpose": purpose,
            "statusListIndex": str(entry.list_index),
            "statusListCredential": list_url(association, purpose),
        }
        for purpose in PURPOSES
    ]


def set_indexes(association_id: int, purpose: str) -> list[int]:
    """The indexes whose bit is set in one of the association's lists (one query)."""
    query = (
        select(CertificateStatusEntry.list_index)
        .join(Certificate, Certificate.id == CertificateStatusEntry.certificate_id)
        .where(CertificateStatusEntry.association_id == association_id)
    )
    if purpose == REVOCATION:
        query = query.where(
            Certificate.state.in_([CertificateState.REVOKED.value, CertificateState.SUPERSEDED.value])
        )
    else:
        query = query.join(
            CertificateSuspension,
            (CertificateSuspension.certificate_id == Certificate.id)
            & CertificateSuspension.lifted_at.is_(None),
        ).where(Certificate.state == CertificateState.VALID.value)
    return list(db.session.scalars(query))


def changed_at(association: Association, purpose: str) -> dt.datetime:
    """When the list last changed (its ``validFrom``), so that an unchanged list is the
    same document, with the same signature and ETag, however often it is asked for."""
    if purpose == REVOCATION:
        moments = [
            select(func.max(Certificate.revoked_at)).where(Certificate.association_id == association.id),
            select(func.max(Certificate.issued_at)).where(
                Certificate.association_id == association.id, Certificate.supersedes_id.is_not(None)
            ),
        ]
    else:
        moments = [
            select(func.max(column)).where(CertificateSuspension.association_id == association.id)
            for column in (CertificateSuspension.suspended_at, CertificateSuspension.lifted_at)
        ]
    found = [moment for moment in (db.session.scalar(q) for q in moments) if moment is not None]
    return max(found, default=association.created_at)


def list_credential(association: Association, purpose: str) -> dict:
    """The unsigned ``BitstringStatusListCredential`` of one purpose, as of now."""
    from app.certificates.credential import VC_CONTEXT, issuer_url  # credential imports this module

    url = list_url(association, purpose)
    bits = bitstring(list_length(association.id), set_indexes(association.id, purpose))
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer_url(association),
        "validFrom": changed_at(association, purpose).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": LIST_TYPE,
            "statusPurpose": purpose,
            "encodedList": encode(bits),
            "ttl": TTL_SECONDS * 1000,
        },
    }


def signed_list(association: Association, purpose: str) -> dict:
    """The list as published; NotFound before the association has signed anything."""
    from app.certificates import credential  # credential imports this module

    credential.public_key(association)  # a list is never the reason a key is generated
    document = list_credential(association, purpose)
    return credential.sign(
        document, credential.signing_key(association), credential.key_url(association), document["validFrom"]
    )

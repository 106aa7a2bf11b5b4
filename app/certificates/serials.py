"""Certificate serial numbers: ``PREFIX-YYYY-NNNNN-C``, e.g. ``BSUK-2026-00042-K``.

* PREFIX is the association's serial prefix (2-8 letters or digits), YYYY the year of
  issue, NNNNN the association's running number for that year (five digits at least).
* C is a check character: ISO/IEC 7064 MOD 37,36 (the hybrid system over the 36
  letters and digits) computed over the characters of PREFIX, YYYY and NNNNN with the
  hyphens left out. It catches every single mistyped character and all but about 0.2%
  of swaps of two neighbouring characters (the few it misses swap neighbours in the
  alphabet, such as 5 and 6), so a serial read off paper is checked before any lookup.

Numbers come from one ``certificate_counter`` row per association and year, bumped by
a single atomic upsert (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``): on
PostgreSQL the row stays locked until the issuing transaction ends, so concurrent
issuers queue for it and never share a number; a unique constraint on the serial is
the last line of defence.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import Association
from app.certificates.models import CertificateCounter
from app.errors import InvalidState
from app.extensions import db

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MODULUS = len(ALPHABET)  # 36
PREFIX_PATTERN = re.compile(r"^[A-Z0-9]{2,8}$")
SERIAL_PATTERN = re.compile(r"^([A-Z0-9]{2,8})-(\d{4})-(\d{5,9})-([0-9A-Z])$")


def check_character(body: str) -> str:
    """ISO/IEC 7064 MOD 37,36 check character of ``body`` (letters and digits only)."""
    product = MODULUS
    for character in body:
        value = ALPHABET.index(character)
        product = (product + value) % MODULUS or MODULUS
        product = (product * 2) % (MODULUS + 1)
    return ALPHABET[(MODULUS + 1 - product) % MODULUS]


def format_serial(prefix: str, year: int, number: int) -> str:
    body = f"{prefix}-{year:04d}-{number:05d}"
    return f"{body}-{check_character(body.replace('-', ''))}"


def normalise(serial: str) -> str:
    """What a person typed, tidied: surrounding spaces gone, letters upper-cased."""
    return (serial or "").strip().upper()


def is_well_formed(serial: str) -> bool:
    """The serial has our shape and its check character is right."""
    match = SERIAL_PATTERN.match(serial)
    if match is None:
        return False
    prefix, year, number, check = match.groups()
    return check_character(prefix + year + number) == check


def valid_prefix(association: Association) -> str:
    prefix = (association.serial_prefix or "").strip().upper()
    if not PREFIX_PATTERN.match(prefix):
        raise InvalidState(
            _("Set a serial prefix of 2 to 8 letters or digits in the certificate settings first.")
        )
    return prefix


def allocate(association: Association, year: int) -> str:
    """The next serial of ``association`` for ``year``; holds the counter row until commit."""
    prefix = valid_prefix(association)
    table = CertificateCounter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(association_id=association.id, year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=[table.c.association_id, table.c.year],
            set_={"last_number": table.c.last_number + 1},
        )
        .returning(table.c.last_number)
    )
    number = db.session.execute(statement).scalar_one()
    return format_serial(prefix, year, number)

"""Certificate serial numbers: ``PREFIX-YYYY-NNNNN-RRRRRRRR-C``, e.g. ``BSUK-2026-00042-7QK2M9XD-P``.

* PREFIX is the association's serial prefix (2-8 letters or digits), YYYY the year of
  issue, NNNNN the association's running number for that year (five digits at least).
* RRRRRRRR is eight random characters of Crockford's base32 (no I, L, O or U), drawn
  with ``secrets`` when the certificate is issued: 40 bits, so knowing one serial tells
  nothing about the next, and guessing one takes about 10^12 tries against a lookup
  budget of 60 a minute per visitor. It is printed on the certificate and is part of
  its verification URL and QR code.
* C is a check character: ISO/IEC 7064 MOD 37,36 (the hybrid system over the 36
  letters and digits) computed over the characters of PREFIX, YYYY, NNNNN and
  RRRRRRRR with the hyphens left out. It catches every single mistyped character and
  all but about 0.2% of swaps of two neighbouring characters (the few it misses swap
  neighbours in the alphabet, such as 5 and 6), so a serial read off paper is checked
  before any lookup.

Certificates issued before the random part existed keep their serial
``PREFIX-YYYY-NNNNN-C`` (printed on paper already); those still resolve, and only in
that form (``LEGACY_PATTERN``): a new serial never has it.

Numbers come from one ``certificate_counter`` row per association and year, bumped by
a single atomic upsert (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``): on
PostgreSQL the row stays locked until the issuing transaction ends, so concurrent
issuers queue for it and never share a number; a unique constraint on the serial is
the last line of defence.
"""

from __future__ import annotations

import re
import secrets

from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from app.accounts.models import Association
from app.certificates.models import CertificateCounter
from app.errors import InvalidState
from app.extensions import db

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MODULUS = len(ALPHABET)  # 36
PREFIX_PATTERN = re.compile(r"^[A-Z0-9]{2,8}$")
RANDOM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
RANDOM_LENGTH = 8
SERIAL_PATTERN = re.compile(r"^([A-Z0-9]{2,8})-(\d{4})-(\d{5,9})-([0-9A-HJKMNP-TV-Z]{8})-([0-9A-Z])$")
#: Serials issued before the random part: resolvable for the rows that have them.
LEGACY_PATTERN = re.compile(r"^([A-Z0-9]{2,8})-(\d{4})-(\d{5,9})-([0-9A-Z])$")


def check_character(body: str) -> str:
    """ISO/IEC 7064 MOD 37,36 check character of ``body`` (letters and digits only)."""
    product = MODULUS
    for character in body:
        value = ALPHABET.index(character)
        product = (product + value) % MODULUS or MODULUS
        product = (product * 2) % (MODULUS + 1)
    return ALPHABET[(MODULUS + 1 - product) % MODULUS]


def random_part() -> str:
    return "".join(secrets.choice(RANDOM_ALPHABET) for _ in range(RANDOM_LENGTH))


def format_serial(prefix: str, year: int, number: int, random: str | None = None) -> str:
    """The serial; ``random=""`` gives the legacy form (for tests of old rows)."""
    random = random_part() if random is None else random
    body = f"{prefix}-{year:04d}-{number:05d}" + (f"-{random}" if random else "")
    return f"{body}-{check_character(body.replace('-', ''))}"


def readable_part(serial: str) -> str:
    """``PREFIX-YYYY-NNNNN``: what orders and counts serials."""
    return "-".join(serial.split("-")[:3])


def normalise(serial: str) -> str:
    """What a person typed, tidied: surrounding spaces gone, letters upper-cased."""
    return (serial or "").strip().upper()


def is_well_formed(serial: str) -> bool:
    """The serial has our shape and its check character is right."""
    match = SERIAL_PATTERN.match(serial) or LEGACY_PATTERN.match(serial)
    if match is None:
        return False
    *body, check = match.groups()
    return check_character("".join(body)) == check


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

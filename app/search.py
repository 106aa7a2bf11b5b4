"""Search that ignores case and accents, the same on SQLite and PostgreSQL: "marta" finds "Márta".

Both sides of a comparison are folded: the typed text in Python (``fold``), the column in
SQL (``folded``). On PostgreSQL the column goes through ``translate(lower(...))`` with the
table below (no extension needed, unlike ``unaccent``); on SQLite through ``sp_fold``, this
module's ``fold`` registered on every connection. Both use one table, so they agree.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import event, literal, or_
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import func
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

# Accented letters (lower and upper case: PostgreSQL's lower() may leave non-ASCII
# capitals alone under the C collation) and the plain letter each folds to.
_PAIRS = {
    "a": "áàâäãåāăąÁÀÂÄÃÅĀĂĄ",
    "c": "çćčĉċÇĆČĈĊ",
    "d": "ďđÐĎĐ",
    "e": "éèêëēĕėęěÉÈÊËĒĔĖĘĚ",
    "g": "ğĝġģĞĜĠĢ",
    "i": "íìîïīĭįıÍÌÎÏĪĬĮİ",
    "l": "łľĺļŁĽĹĻ",
    "n": "ñńňņÑŃŇŅ",
    "o": "óòôöõøōŏőÓÒÔÖÕØŌŎŐ",
    "r": "řŕŗŘŔŖ",
    "s": "śšşŝșŚŠŞŜȘ",
    "t": "ťţțŤŢȚ",
    "u": "úùûüũūŭůűųÚÙÛÜŨŪŬŮŰŲ",
    "y": "ýÿŷÝŸŶ",
    "z": "źżžŹŻŽ",
}
FROM = "".join(chars for plain, chars in _PAIRS.items() if len(plain) == 1)
TO = "".join(plain * len(chars) for plain, chars in _PAIRS.items() if len(plain) == 1)
_TABLE = str.maketrans(FROM, TO)


def fold(text: str | None) -> str | None:
    """Lower case without accents: 'Márta Ölveczky' -> 'marta olveczky'."""
    if text is None:
        return None
    return text.lower().translate(_TABLE)


class folded(FunctionElement):  # noqa: N801  (reads as a function in queries)
    """``column`` folded like ``fold`` does, in the database's own SQL."""

    type = String()
    name = "folded"
    inherit_cache = True


@compiles(folded, "postgresql")
def _folded_postgresql(element, compiler, **kw):
    (column,) = list(element.clauses)
    return compiler.process(func.translate(func.lower(column), literal(FROM), literal(TO)), **kw)


@compiles(folded, "sqlite")
def _folded_sqlite(element, compiler, **kw):
    return compiler.process(func.sp_fold(*element.clauses), **kw)


@compiles(folded)
def _folded_default(element, compiler, **kw):
    return compiler.process(func.lower(*element.clauses), **kw)


@event.listens_for(Engine, "connect")
def _register_sqlite_fold(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("sp_fold", 1, fold, deterministic=True)


def _like_pattern(text: str) -> str:
    escaped = fold(text.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches(text: str, *columns) -> ColumnElement[bool]:
    """True where any of ``columns`` contains ``text``, ignoring case and accents."""
    pattern = _like_pattern(text)
    return or_(*(folded(column).like(pattern, escape="\\") for column in columns))

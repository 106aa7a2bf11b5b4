"""Small numbers several features show on one page, fetched in one statement (issue 14).

A feature describes each of its numbers as a ``Numbers``: a name and a query of
``(key, number)`` rows (counts by status, a sum, a maximum). ``read`` answers it
with its own statement, unless the page ``prefetch``-ed it: the home page sends the
numbers of every block as one ``UNION ALL`` statement and keeps the answers for the
request, so the blocks stay independent and cost nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import Float, Select, String, cast, literal, union_all

from app.extensions import db

_KEPT = "_prefetched_numbers"


@dataclass(frozen=True)
class Numbers:
    """``query`` selects two columns, a key and a number; ``name`` is unique per request."""

    name: str
    query: Select


def read(numbers: Numbers) -> dict:
    """Key -> number: the prefetched answer, or the query's own when nothing prefetched it."""
    kept = g.get(_KEPT, {}) if has_request_context() else {}
    if numbers.name in kept:
        return kept[numbers.name]
    return dict(db.session.execute(numbers.query).all())


def prefetch(wanted: list[Numbers]) -> None:
    """Answer every one of ``wanted`` with one statement and keep the answers for the request.

    Keys come back as text and numbers as floats (one type per column of the union);
    each feature turns them back into what it shows.
    """
    if not wanted or not has_request_context():
        return
    branches = []
    for tag, numbers in enumerate(wanted):
        key, number = numbers.query.selected_columns
        branches.append(
            numbers.query.with_only_columns(
                literal(tag).label("tag"), cast(key, String).label("key"), cast(number, Float).label("number")
            )
        )
    answers: list[dict] = [{} for _ in wanted]
    for tag, key, number in db.session.execute(union_all(*branches)):
        answers[tag][key] = number
    kept = g.setdefault(_KEPT, {})
    for numbers, answer in zip(wanted, answers, strict=True):
        kept[numbers.name] = answer

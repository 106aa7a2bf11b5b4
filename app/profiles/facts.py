"""The profile facts of many enrolments for the engine, in a fixed number of queries.

Memberships and qualifications are the person's in the enrolment's association (they ride
in the statement that reads reports and decisions, see ``sources``); exams
(assessed events) are the enrolment's and become ``Fact`` rows of type ``exams``, always
counted as signed: an admin recorded each from the examiner's result.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import JSON, String, and_, cast, literal, null, select

from app.extensions import db
from app.profiles.models import AssessedEvent, Qualification, SocietyMembership
from app.programmes.models import Enrolment
from app.requirements.facts import DatedQualification, Fact, MembershipPeriod


def dated_queries(enrolment_ids: list[int], among, at_type) -> list:
    """Memberships (tag 2) and qualifications (tag 3) of the enrolments' people, in the
    row shape of ``sources``' reports-and-decisions statement, so that they travel in it
    instead of adding statements: (tag, id, enrolment id, at, a, b, c, ratings), the dates
    as ISO text in a and b."""
    enrolment = Enrolment.__table__
    parts = []
    for tag, table, first, second in (
        (2, SocietyMembership.__table__, "started_on", "ended_on"),
        (3, Qualification.__table__, "kind", "obtained_on"),
    ):
        person = and_(
            enrolment.c.trainee_id == table.c.user_id, enrolment.c.association_id == table.c.association_id
        )
        parts.append(
            select(
                literal(tag).label("tag"),
                table.c.id,
                enrolment.c.id.label("enrolment_id"),
                cast(null(), at_type).label("at"),
                cast(table.c[first], String).label("a"),
                cast(table.c[second], String).label("b"),
                cast(null(), String).label("c"),
                cast(null(), JSON).label("ratings"),
            )
            .select_from(table.join(enrolment, person))
            .where(among(enrolment.c.id, enrolment_ids))
        )
    return parts


def read_dated(tag: int, a: str, b: str | None):
    """A row of ``dated_queries`` as the engine's fact."""
    if tag == 2:
        return MembershipPeriod(dt.date.fromisoformat(a), dt.date.fromisoformat(b) if b else None)
    return DatedQualification(a, dt.date.fromisoformat(b))


def examiner_key(examiner_id: int | None, examiner_name: str) -> str | None:
    """Who examined, as ``distinct`` counts it: a user, or a name (trimmed, lower case)."""
    if examiner_id is not None:
        return f"user:{examiner_id}"
    return examiner_name.strip().lower() or None


def exam_facts(enrolment_ids: list[int]) -> dict[int, list[Fact]]:
    """Enrolment id -> its exams as facts, in date order."""
    from app.requirements.sources import among  # sources imports this module

    found: dict[int, list[Fact]] = defaultdict(list)
    query = (
        select(
            AssessedEvent.id,
            AssessedEvent.enrolment_id,
            AssessedEvent.occurred_on,
            AssessedEvent.kind,
            AssessedEvent.outcome,
            AssessedEvent.examiner_id,
            AssessedEvent.examiner_name,
        )
        .where(among(AssessedEvent.enrolment_id, enrolment_ids))
        .order_by(AssessedEvent.occurred_on, AssessedEvent.id)
    )
    for exam_id, enrolment_id, day, kind, outcome, examiner_id, examiner_name in db.session.execute(query):
        values = {"exam_kind": kind, "outcome": outcome, "examiner": examiner_key(examiner_id, examiner_name)}
        found[enrolment_id].append(Fact(exam_id, "exams", day, "signed", values))
    return found

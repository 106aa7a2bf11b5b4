"""The profile facts of many enrolments for the engine, in a fixed number of queries.

Memberships and qualifications are the person's in the enrolment's association; exams
(assessed events) are the enrolment's and become ``Fact`` rows of type ``exams``, always
counted as signed: an admin recorded each from the examiner's result.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.extensions import db
from app.profiles.models import AssessedEvent, Qualification, SocietyMembership
from app.requirements.facts import DatedQualification, Fact, MembershipPeriod


def _people(enrolments) -> dict[int, list[tuple[int, int]]]:
    """Association id -> (enrolment id, user id) pairs."""
    people: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for enrolment in enrolments:
        people[enrolment.association_id].append((enrolment.id, enrolment.trainee_id))
    return people


def dated_facts(enrolments) -> tuple[dict[int, tuple], dict[int, tuple]]:
    """(enrolment id -> membership periods, enrolment id -> qualifications): one query each
    per association among the enrolments (in practice one)."""
    from app.requirements.sources import among  # sources imports this module

    memberships: dict[int, list] = defaultdict(list)
    qualifications: dict[int, list] = defaultdict(list)
    for association_id, pairs in _people(enrolments).items():
        enrolments_of: dict[int, list[int]] = defaultdict(list)
        for enrolment_id, user_id in pairs:
            enrolments_of[user_id].append(enrolment_id)
        users = sorted(enrolments_of)
        rows = db.session.execute(
            select(SocietyMembership.user_id, SocietyMembership.started_on, SocietyMembership.ended_on).where(
                SocietyMembership.association_id == association_id, among(SocietyMembership.user_id, users)
            )
        )
        for user_id, started_on, ended_on in rows:
            for enrolment_id in enrolments_of[user_id]:
                memberships[enrolment_id].append(MembershipPeriod(started_on, ended_on))
        rows = db.session.execute(
            select(Qualification.user_id, Qualification.kind, Qualification.obtained_on).where(
                Qualification.association_id == association_id, among(Qualification.user_id, users)
            )
        )
        for user_id, kind, obtained_on in rows:
            for enrolment_id in enrolments_of[user_id]:
                qualifications[enrolment_id].append(DatedQualification(kind, obtained_on))
    return (
        {key: tuple(value) for key, value in memberships.items()},
        {key: tuple(value) for key, value in qualifications.items()},
    )


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

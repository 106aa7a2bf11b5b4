"""Saying that an enrolment's stored progress is out of date: ``mark_progress_stale``.

Pages read each enrolment's progress from a stored snapshot (``app.requirements.snapshots``)
instead of evaluating its rule set on every view. A snapshot is only as good as the news
it gets, so **anything that changes an input of the evaluation calls**::

    from app.requirements.staleness import mark_progress_stale
    mark_progress_stale([enrolment.id, ...])      # inside the service, before the commit

(or ``mark_trainees_stale(trainee_ids, association_id)`` for inputs kept per person, such as
membership periods, exams or status levels). It marks the rows stale in the caller's
transaction (a rollback undoes it) and queues their recomputation once it commits. Until
that job has run, a page that reads a stale snapshot evaluates afresh: it is never
shown as current.

Inputs today: logbook records (created, edited, submitted, signed, returned, reopened,
deleted, imported), co-leader confirmations, observation reports, reflections (accepted),
competency reports (signed), waivers and manual decisions, final-test attempts,
applications for accreditation (made, decided), the enrolment itself (rule-set
version, profile, track, start date, status), the dated profile facts (memberships,
qualifications, exams) and status levels (a level marks every enrolment of its
association: it decides whether other people's records count). Rows of those models
written through the ORM are caught by ``_inputs_flushed`` (a flush hook), so services
need not remember them; writes that bypass the unit of work (a Core ``UPDATE`` such as
the sign-off's conditional one) call ``mark_progress_stale`` themselves. A new input is
either a model added to ``INPUT_MODELS`` below or a call in its service: both are tested
by ``tests/requirements/test_snapshots.py`` (a test per trigger).

Time-dependent rules (elapsed time, windows, ``as_of``) need no call: a snapshot is
current for the day it was judged on only, and a job recomputes them after midnight.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from sqlalchemy import event, false, literal, select, true
from sqlalchemy.orm import Session

from app.extensions import db

#: session.info key: enrolment ids marked stale in the current transaction.
MARKED = "progress_marked_stale"


def mark_progress_stale(enrolment_ids: Iterable[int], *, session: Session | None = None) -> None:
    """Mark these enrolments' stored progress stale and queue its recomputation after commit.

    One statement (an upsert, so an enrolment never judged before gets a stale row too,
    and a recomputation that started before this change cannot land as current: see
    ``snapshots.store``). Unknown ids are ignored.
    """
    ids = sorted({int(i) for i in enrolment_ids if i is not None})
    if not ids:
        return
    session = session or db.session()
    connection = session.connection()
    from app.programmes.models import Enrolment
    from app.requirements.models import ProgressSnapshot

    table = ProgressSnapshot.__table__
    rows = select(Enrolment.id, literal(1), true(), false(), literal(0.0)).where(Enrolment.id.in_(ids))
    statement = (
        _insert(connection)(table)
        .from_select(["enrolment_id", "generation", "is_stale", "is_ready", "fraction"], rows)
        .on_conflict_do_update(
            index_elements=["enrolment_id"],
            set_={"is_stale": True, "generation": table.c.generation + 1},
        )
    )
    connection.execute(statement)
    for enrolment_id in ids:  # a snapshot already loaded in this session is out of date too
        loaded = session.identity_map.get(session.identity_key(ProgressSnapshot, (enrolment_id,)))
        if loaded is not None:
            session.expire(loaded)
    marked = session.info.get(MARKED)
    if marked is None:
        marked = session.info[MARKED] = set()
        _queue_after_commit(session, marked)
    marked.update(ids)


def mark_trainees_stale(trainee_ids: Iterable[int], association_id: int, *, session: Session | None = None):
    """``mark_progress_stale`` for every enrolment of these people in the association."""
    from app.programmes.models import Enrolment

    ids = sorted({int(i) for i in trainee_ids if i is not None})
    if not ids:
        return
    session = session or db.session()
    enrolment_ids = session.connection().scalars(
        select(Enrolment.id).where(Enrolment.association_id == association_id, Enrolment.trainee_id.in_(ids))
    )
    mark_progress_stale(list(enrolment_ids), session=session)


def snapshots_refresh_in_background() -> bool:
    """Whether marking or reading a stale snapshot queues its recomputation.

    Not when jobs run inside their caller (``JOB_QUEUE_IMMEDIATE``, the tests of callers):
    there the recomputation would run at every commit and doubled the evaluations of every
    test that writes records. Stale snapshots are never shown (pages judge afresh), so
    those tests still see true progress; the tests of the snapshots run a real queue
    (``tests/requirements/test_snapshots.py``), and pages that sort or filter on snapshots
    bring them up to date themselves (``snapshots.refresh_outdated``).
    """
    from flask import current_app

    return not current_app.config.get("JOB_QUEUE_IMMEDIATE")


def _insert(connection):
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _queue_after_commit(session: Session, marked: set[int]) -> None:
    if not snapshots_refresh_in_background():
        return

    def enqueue() -> None:
        from app.requirements.snapshot_jobs import refresh_snapshots

        refresh_snapshots(sorted(marked))

    session.info.setdefault("jobs_to_enqueue", []).append(enqueue)  # see jobs.queue.enqueue_after_commit


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_marks(session: Session) -> None:
    session.info.pop(MARKED, None)


# -- the models whose rows are inputs ---------------------------------------------------------


def _input_models() -> dict[type, str]:
    """Input model -> how its rows name the enrolment: ``enrolment``, ``record``, ``trainee``,
    ``member`` (a person's facts in an association) or ``association`` (all of its enrolments)."""
    from app.applications.models import AccreditationApplication
    from app.groups.models import ObservationReport
    from app.learning.models import QuizAttempt
    from app.logbook.models import CoLeaderConfirmation, LogbookRecord
    from app.profiles.models import AssessedEvent, Qualification, SocietyMembership
    from app.programmes.models import Enrolment
    from app.requirements.models import CompetencyReport, RequirementDecision
    from app.statuslevels.models import PersonStatusLevel
    from app.vignettes.models import Reflection

    return {
        LogbookRecord: "enrolment",  # and every kind of record (subclasses)
        Reflection: "enrolment",
        CompetencyReport: "enrolment",
        RequirementDecision: "enrolment",
        Enrolment: "self",
        AccreditationApplication: "enrolment",  # made or decided (rules may read its dates)
        CoLeaderConfirmation: "record",
        ObservationReport: "record",
        QuizAttempt: "trainee",
        AssessedEvent: "enrolment",
        SocietyMembership: "member",  # dated profile facts of a person in an association
        Qualification: "member",
        # A level decides whether other people's records count (co-led with, supervised
        # by): every enrolment of the association may change.
        PersonStatusLevel: "association",
    }


INPUT_MODELS: dict[type, str] = {}


@event.listens_for(Session, "after_flush")
def _inputs_flushed(session: Session, _flush_context) -> None:
    """Mark stale the enrolments whose inputs this flush wrote (see the module docstring)."""
    if not INPUT_MODELS:
        INPUT_MODELS.update(_input_models())
    enrolment_ids: set[int] = set()
    record_ids: set[int] = set()
    trainees: set[tuple[int, int]] = set()
    associations: set[int] = set()
    for instance in chain(session.new, session.dirty, session.deleted):
        how = next((how for model, how in INPUT_MODELS.items() if isinstance(instance, model)), None)
        if how is None or (instance in session.dirty and not session.is_modified(instance)):
            continue
        if how == "enrolment":
            enrolment_ids.add(instance.enrolment_id)
        elif how == "self" and instance not in session.deleted:
            enrolment_ids.add(instance.id)
        elif how == "record" and instance.record_id is not None:
            record_ids.add(instance.record_id)
        elif how == "trainee":
            trainees.add((instance.trainee_id, instance.association_id))
        elif how == "member":
            trainees.add((instance.user_id, instance.association_id))
        elif how == "association":
            associations.add(instance.association_id)
    if record_ids:
        from app.logbook.models import LogbookRecord

        record = LogbookRecord.__table__
        enrolment_ids.update(
            session.connection().scalars(select(record.c.enrolment_id).where(record.c.id.in_(record_ids)))
        )
    for trainee_id, association_id in trainees:
        mark_trainees_stale([trainee_id], association_id, session=session)
    if associations:
        from app.programmes.models import Enrolment

        enrolment = Enrolment.__table__
        enrolment_ids.update(
            session.connection().scalars(
                select(enrolment.c.id).where(enrolment.c.association_id.in_(sorted(associations)))
            )
        )
    mark_progress_stale(enrolment_ids, session=session)

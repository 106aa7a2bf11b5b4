"""Stored progress: each enrolment's evaluated outcome, kept in ``progress_snapshot``.

Evaluating a rule set reads every record of the enrolment; a cohort of 10,000 did that on
every view. Here the outcome of ``services.progress_of_many`` (the set-based path) is
stored per enrolment, with when it was computed, the day it was judged on, and a
fingerprint of what it read besides records (rule-set version, profile, day). Pages read
the stored outcome when it is *current*:

* not marked stale since it was computed (``staleness.mark_progress_stale``: every input
  change marks it, in the changing transaction);
* judged today (time-dependent rules move at midnight; a job recomputes then);
* its fingerprint is the enrolment's now (rule set and profile as loaded).

Otherwise the page evaluates afresh (``progress_of_many``) and queues the recomputation, so
a stored result is never shown after its inputs changed; a current one carries its
``computed_at`` for pages to say "progress as of 10:42". Whole-cohort filters and the
ready list first bring every snapshot of the cohort up to date (``refresh_outdated``,
normally nothing to do) and then filter and sort in SQL.

Storing is guarded by the row's ``generation``: ``store`` writes only if the generation
it read before evaluating is still the row's, so a recomputation racing an input
change is dropped instead of landing as current.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterable

from sqlalchemy import bindparam, inspect, or_, select
from sqlalchemy.orm import joinedload

from app.database import utcnow
from app.extensions import db
from app.programmes.models import Enrolment
from app.requirements import services, staleness
from app.requirements.engine import Evaluation, Outcome, Run
from app.requirements.models import ProgressSnapshot
from app.requirements.ruleset import Requirement

CHUNK = 500
_TABLE = ProgressSnapshot.__table__


def fingerprint(enrolment: Enrolment, as_of: dt.date) -> str:
    """What an evaluation reads besides the records: rule-set version, profile and the day."""
    parts = (
        enrolment.rule_set_id,
        enrolment.rule_set.content_hash,
        enrolment.started_on,
        enrolment.qualified_on,
        bool(enrolment.has_psychodynamic_training),
        as_of,
    )
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


# -- outcomes to JSON and back ----------------------------------------------------------------


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def outcome_data(outcome: Outcome) -> dict:
    """An outcome as JSON; its requirement by id (the rule-set version is stored beside it)."""
    run = outcome.run
    return {
        "id": outcome.requirement.id,
        "status": outcome.status,
        "current": outcome.current,
        "required": outcome.required,
        "unit": outcome.unit,
        "missing": outcome.missing,
        "counted": list(outcome.counted),
        "excluded": [list(pair) for pair in outcome.excluded],
        "children": [outcome_data(child) for child in outcome.children],
        "waiver_reason": outcome.waiver_reason,
        "progress": outcome.progress,
        "run": None
        if run is None
        else [run.length, run.first, run.last, _day(run.starts_on), _day(run.ends_on), list(run.breaks)],
        "met_on": _day(outcome.met_on),
    }


class _Mismatch(Exception):
    """The stored outcomes do not fit the rule set (never expected: then evaluate afresh)."""


def _outcome(data: dict, requirement: Requirement) -> Outcome:
    if data["id"] != requirement.id or len(data["children"]) != len(requirement.children):
        raise _Mismatch(requirement.id)
    run = data["run"]
    return Outcome(
        requirement,
        data["status"],
        data["current"],
        data["required"],
        data["unit"],
        data["missing"],
        tuple(data["counted"]),
        tuple((record_id, reason) for record_id, reason in data["excluded"]),
        tuple(_outcome(c, r) for c, r in zip(data["children"], requirement.children, strict=True)),
        data["waiver_reason"],
        data["progress"],
        None
        if run is None
        else Run(
            run[0],
            run[1],
            run[2],
            dt.date.fromisoformat(run[3]),
            dt.date.fromisoformat(run[4]),
            tuple(run[5]),
        ),
        dt.date.fromisoformat(data["met_on"]) if data["met_on"] else None,
    )


def stored_progress(enrolment: Enrolment, snapshot: ProgressSnapshot) -> services.Progress:
    """The Progress a current snapshot holds (raises ``_Mismatch`` if it cannot hold it)."""
    rule_set = services.parsed(enrolment.rule_set)
    if len(snapshot.outcomes) != len(rule_set.requirements):
        raise _Mismatch(enrolment.id)
    outcomes = tuple(_outcome(d, r) for d, r in zip(snapshot.outcomes, rule_set.requirements, strict=True))
    return services.Progress(enrolment, rule_set, Evaluation(outcomes), snapshot.as_of, snapshot.computed_at)


# -- reading ----------------------------------------------------------------------------------


def is_current(snapshot: ProgressSnapshot | None, enrolment: Enrolment, today: dt.date) -> bool:
    return (
        snapshot is not None
        and not snapshot.is_stale
        and snapshot.outcomes is not None
        and snapshot.as_of == today
        and snapshot.fingerprint == fingerprint(enrolment, today)
        and enrolment.id not in db.session.info.get(staleness.MARKED, ())
    )


def _snapshots(enrolments: list[Enrolment]) -> dict[int, ProgressSnapshot]:
    """Each enrolment's snapshot: the one loaded with it, else one query for those not loaded."""
    found, unloaded = {}, []
    for enrolment in enrolments:
        state = inspect(enrolment)
        if "snapshot" in state.dict and "snapshot" not in state.expired_attributes:
            if enrolment.snapshot is not None and not inspect(enrolment.snapshot).expired:
                found[enrolment.id] = enrolment.snapshot
        else:
            unloaded.append(enrolment.id)
    if unloaded:
        found.update(
            (row.enrolment_id, row)
            for row in db.session.scalars(
                select(ProgressSnapshot).where(ProgressSnapshot.enrolment_id.in_(unloaded))
            )
        )
    return found


def progress_of_many(enrolments: list[Enrolment], as_of: dt.date | None = None) -> list[services.Progress]:
    """``services.progress_of_many``, from the stored snapshots where they are current.

    The others are evaluated now (the same set-based queries) and their recomputation is
    queued. Load ``Enrolment.snapshot`` with the enrolments to read the snapshots for free.
    """
    today = dt.date.today()
    if as_of is not None and as_of != today:
        return services.progress_of_many(enrolments, as_of)
    if not enrolments:
        return []
    snapshots = _snapshots(enrolments)
    result: dict[int, services.Progress] = {}
    for enrolment in enrolments:
        snapshot = snapshots.get(enrolment.id)
        if is_current(snapshot, enrolment, today):
            with contextlib.suppress(_Mismatch):
                result[enrolment.id] = stored_progress(enrolment, snapshot)
    outdated = [e for e in enrolments if e.id not in result]
    if outdated:
        result.update((p.enrolment.id, p) for p in services.progress_of_many(outdated, today))
        _queue_refresh([e.id for e in outdated])
    return [result[e.id] for e in enrolments]


def _queue_refresh(enrolment_ids: list[int]) -> None:
    """Recompute in the worker: after this transaction commits if it changed inputs, else now."""
    from app.jobs.queue import enqueue_after_commit
    from app.requirements.snapshot_jobs import refresh_snapshots

    if not staleness.snapshots_refresh_in_background():
        return
    session = db.session()
    if session.info.get(staleness.MARKED) or session.new or session.dirty or session.deleted:
        enqueue_after_commit(lambda: refresh_snapshots(enrolment_ids))
    else:
        try:
            refresh_snapshots(enrolment_ids)
        except Exception:  # the page has its fresh result; the job runs again when next asked
            import logging

            logging.getLogger(__name__).exception("could not queue the progress recomputation")


# -- writing ----------------------------------------------------------------------------------


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def store(enrolment_ids: Iterable[int], as_of: dt.date | None = None) -> int:
    """Evaluate these enrolments and store their snapshots (in the caller's transaction).

    Returns how many were stored. A row marked stale after its generation was read here
    keeps its mark: the result may predate that change, so it is not written.
    """
    as_of = as_of or dt.date.today()
    stored = 0
    for chunk in _chunks(sorted(set(enrolment_ids))):
        generations = {
            key: generation
            for key, generation in db.session.execute(
                select(_TABLE.c.enrolment_id, _TABLE.c.generation).where(_TABLE.c.enrolment_id.in_(chunk))
            )
        }
        enrolments = list(
            db.session.scalars(
                select(Enrolment).where(Enrolment.id.in_(chunk)).options(joinedload(Enrolment.rule_set))
            )
        )
        now = utcnow()
        updates, inserts = [], []
        for progress in services.progress_of_many(enrolments, as_of):
            enrolment = progress.enrolment
            values = {
                "rule_set_id": enrolment.rule_set_id,
                "fingerprint": fingerprint(enrolment, as_of),
                "as_of": as_of,
                "computed_at": now,
                "is_ready": progress.evaluation.is_ready,
                "fraction": progress.fraction,
                "outcomes": [outcome_data(o) for o in progress.evaluation.outcomes],
            }
            if enrolment.id in generations:
                updates.append({"key": enrolment.id, "seen": generations[enrolment.id], **values})
            else:
                inserts.append({"enrolment_id": enrolment.id, "generation": 0, "is_stale": False, **values})
        if updates:
            names = [name for name in updates[0] if name not in ("key", "seen")]
            statement = (
                _TABLE.update()
                .where(_TABLE.c.enrolment_id == bindparam("key"), _TABLE.c.generation == bindparam("seen"))
                .values(is_stale=False, **{n: bindparam(f"v_{n}", type_=_TABLE.c[n].type) for n in names})
            )
            rows = [{"key": u["key"], "seen": u["seen"], **{f"v_{n}": u[n] for n in names}} for u in updates]
            result = db.session.execute(statement, rows)
            stored += (
                result.rowcount if result.rowcount is not None and result.rowcount >= 0 else len(updates)
            )
        if inserts:
            insert = staleness._insert(db.session.connection())
            db.session.execute(
                insert(_TABLE).on_conflict_do_nothing(index_elements=["enrolment_id"]), inserts
            )
            stored += len(inserts)
        db.session.expire_all()
    return stored


def outdated_condition(today: dt.date):
    """SQL: the enrolment's snapshot is missing or not current (for a query joined to
    ``ProgressSnapshot`` with an outer join; the fingerprint is checked again on reading)."""
    return or_(
        ProgressSnapshot.enrolment_id.is_(None),
        ProgressSnapshot.is_stale.is_(True),
        ProgressSnapshot.outcomes.is_(None),
        ProgressSnapshot.as_of.is_(None),
        ProgressSnapshot.as_of != today,
        ProgressSnapshot.rule_set_id != Enrolment.rule_set_id,
    )


def refresh_outdated(enrolment_query) -> int:
    """Bring the snapshots of every enrolment of ``enrolment_query`` up to date, committed.

    One statement finds those not current (usually none); they are evaluated and stored by
    the recomputation job run here, in its own transaction, so the caller's SQL can filter
    and sort on them next.
    """
    today = dt.date.today()
    ids_query = (
        enrolment_query.with_only_columns(Enrolment.id)
        .order_by(None)
        .outerjoin(ProgressSnapshot, ProgressSnapshot.enrolment_id == Enrolment.id)
        .where(outdated_condition(today))
    )
    ids = list(db.session.scalars(ids_query))
    if ids:
        from app.requirements.snapshot_jobs import refresh_snapshots

        refresh_snapshots.call_local(ids)
    return len(ids)

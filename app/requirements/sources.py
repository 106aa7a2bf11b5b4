"""Gathering the engine's facts from the database, for one enrolment or a whole cohort.

The cost is a fixed number of queries whatever the number of enrolments: the
records, one lookup per logbook record type and one for co-leader confirmations,
one each for reflections and module scores, one for reports and decisions. Only the columns
the rules read are fetched, as plain rows. Cohorts load no records at all; their
measurements come from ``aggregates``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import (
    ARRAY,
    JSON,
    Integer,
    String,
    any_,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.types import NullType

from app import summaries
from app.extensions import db
from app.groups.models import ObservationReport
from app.learning.models import QuizAttempt
from app.learning.services import best_final_numbers
from app.logbook.models import (
    CoLeaderConfirmation,
    LogbookRecord,
    Observation,
    SessionRecord,
    SupervisionRecord,
    TrainingEvent,
)
from app.profiles import facts as profile_facts
from app.programmes.models import Enrolment
from app.requirements import anchors, status_filters
from app.requirements.facts import AcceptedReflection, Fact, ManualDecision, SignedReport, TraineeFacts
from app.requirements.models import CompetencyReport, ReportStatus, RequirementDecision
from app.vignettes.models import Reflection, ReflectionStatus

_BASE = LogbookRecord.__table__
_CHUNK = 5_000


def raw_date(column):
    """The date as the driver gives it: SQLAlchemy's per-row string parsing on SQLite is
    slow for many rows, and ``day_of`` does the same job with ``fromisoformat``."""
    return type_coerce(column, String).label(column.name)


def day_of(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def among(column, ids: list[int]):
    """``column IN ids``; on PostgreSQL the ids go as one array literal.

    A cohort passes thousands of ids. As one parameter each, a query took longer to
    render, send and parse than to run (27 ms for 2,000 ids, where the array takes
    4 ms). The literal is sent untyped, so PostgreSQL reads it while planning and
    knows how many ids there are. SQLite keeps the plain IN list, which it answers
    from the index on ``enrolment_id``.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        listed = "{" + ",".join(str(int(value)) for value in ids) + "}"
        return column == any_(cast(bindparam(None, listed, type_=NullType(), unique=True), ARRAY(Integer)))
    return column.in_(ids)


def _records(enrolment_ids: list[int], kinds: list[str] | None = None) -> list:
    """The enrolments' logbook records from the shared table (of ``kinds``, or all), in date
    order, without the records a signed correction replaced (the correction counts instead)."""
    query = (
        select(
            _BASE.c.id,
            _BASE.c.enrolment_id,
            _BASE.c.kind,
            raw_date(_BASE.c.occurred_on),
            _BASE.c.status,
            _BASE.c.supersedes_id,
            _BASE.c.is_imported,
        )
        .where(among(_BASE.c.enrolment_id, enrolment_ids))
        .order_by(_BASE.c.occurred_on, _BASE.c.id)
    )
    if kinds is not None:
        # A correction is of its original's kind, so the superseded ones are among these.
        query = query.where(_BASE.c.kind.in_(kinds))
    rows = db.session.execute(query).all()
    superseded = {row.supersedes_id for row in rows if row.supersedes_id and row.status == "signed"}
    return [row for row in rows if row.id not in superseded]


def _by_id(columns, id_column, record_ids: list[int]) -> dict[int, tuple]:
    """Rows of one kind's table by primary key, in chunks (SQLite caps the parameters).

    Looked up by id rather than joined to the record table: for one trainee's
    thousand records PostgreSQL's planner preferred scanning the whole kind table.
    """
    found = {}
    for start in range(0, len(record_ids), _CHUNK):
        chunk = record_ids[start : start + _CHUNK]
        query = select(id_column, *columns).where(among(id_column, chunk))
        found.update((row[0], row[1:]) for row in db.session.execute(query).all())
    return found


def _confirmed(session_ids: list[int]) -> set[int]:
    """Sessions whose co-leader (a user of the system) confirmed them."""
    record_id = CoLeaderConfirmation.__table__.c.record_id
    confirmed: set[int] = set()
    for start in range(0, len(session_ids), _CHUNK):
        chunk = session_ids[start : start + _CHUNK]
        confirmed.update(db.session.scalars(select(record_id).where(among(record_id, chunk))))
    return confirmed


def _session_values(record_id, row, confirmed: set[int]) -> dict:
    role, mode, group_kind, category, setting, minutes, cases, co_leader_id, co_leader_name, accredited = row
    co_leader = f"user:{co_leader_id}" if co_leader_id else (co_leader_name or "").strip().lower()
    return {
        "role": role,
        "mode": mode,
        "group_kind": group_kind,
        "setting_category": category,
        "setting": (setting or "").strip().lower(),
        "minutes": minutes,
        "cases": cases,
        "co_leader": co_leader or None,
        "co_leader_accredited": accredited,
        "co_leader_confirmed": record_id in confirmed,
    }


def _supervision_values(record_id, row, confirmed) -> dict:
    minutes, mode, channel, supervisor_id, recording = row
    return {
        "minutes": minutes,
        "mode": mode,
        "channel": channel,
        "supervisor": f"user:{supervisor_id}",
        "recording_used": recording,
    }


def _event_values(record_id, row, confirmed) -> dict:
    event_kind, days, minutes, provider = row
    return {
        "event_kind": event_kind,
        "days": days,
        "minutes": minutes,
        "provider": (provider or "").strip().lower(),
    }


def _observation_values(record_id, row, confirmed) -> dict:
    observer_id, outcome, observer_status = row
    return {"observer": f"user:{observer_id}", "outcome": outcome, "observer_status": observer_status}


def observer_status(observation_id):
    """The status on the group observation report that wrote the observation (else NULL)."""
    return (
        select(ObservationReport.observer_status)
        .where(ObservationReport.record_id == observation_id)
        .scalar_subquery()
    )


_SESSION, _SUPERVISION = SessionRecord.__table__.c, SupervisionRecord.__table__.c
_EVENT, _OBSERVATION = TrainingEvent.__table__.c, Observation.__table__.c
# logbook_record.kind -> (the engine's record type, the kind table's id, the columns rules read, values)
_KINDS = {
    "session": (
        "sessions",
        _SESSION.id,
        (
            _SESSION.role,
            _SESSION.mode,
            _SESSION.group_kind,
            _SESSION.setting_category,
            _SESSION.setting,
            _SESSION.minutes,
            _SESSION.cases,
            _SESSION.co_leader_id,
            _SESSION.co_leader_name,
            _SESSION.is_co_leader_accredited,
        ),
        _session_values,
    ),
    "supervision": (
        "supervision",
        _SUPERVISION.id,
        (
            _SUPERVISION.minutes,
            _SUPERVISION.mode,
            _SUPERVISION.channel,
            _SUPERVISION.supervisor_id,
            _SUPERVISION.has_recording,
        ),
        _supervision_values,
    ),
    "event": (
        "events",
        _EVENT.id,
        (_EVENT.event_kind, _EVENT.days, _EVENT.minutes, _EVENT.provider),
        _event_values,
    ),
    "observation": (
        "observations",
        _OBSERVATION.id,
        (_OBSERVATION.observer_id, _OBSERVATION.outcome, observer_status(_OBSERVATION.id)),
        _observation_values,
    ),
}


def _facts(enrolment_ids: list[int], record_types: set[str] | None = None) -> dict[int, list[Fact]]:
    """Every counted-or-not record of the enrolments (of ``record_types``, or all) as a Fact,
    in date order."""
    if not enrolment_ids:
        return {}
    kinds = None if record_types is None else [k for k, spec in _KINDS.items() if spec[0] in record_types]
    records = _records(enrolment_ids, kinds)
    ids_of: dict[str, list[int]] = defaultdict(list)
    for row in records:
        ids_of[row.kind].append(row.id)
    details = {
        kind: _by_id(columns, id_column, ids_of[kind]) for kind, (_, id_column, columns, _) in _KINDS.items()
    }
    confirmed = _confirmed(ids_of["session"])
    found: dict[int, list[Fact]] = defaultdict(list)
    for record_id, enrolment_id, kind, day, status, _, is_imported in records:
        records_type, _, _, values = _KINDS[kind]
        row = details[kind].get(record_id)
        if row is not None:
            fact_values = values(record_id, row, confirmed)
            found[enrolment_id].append(
                Fact(record_id, records_type, day_of(day), status, fact_values, bool(is_imported))
            )
    return found


def _reflections(enrolment_ids: list[int]) -> dict[int, list[AcceptedReflection]]:
    found: dict[int, list[AcceptedReflection]] = defaultdict(list)
    query = (
        select(Reflection.id, Reflection.enrolment_id, Reflection.vignette_slug, Reflection.reviewed_at)
        .where(
            among(Reflection.enrolment_id, enrolment_ids),
            Reflection.status == ReflectionStatus.ACCEPTED.value,
        )
        .order_by(Reflection.reviewed_at, Reflection.id)
    )
    for row in db.session.execute(query):
        accepted_on = row.reviewed_at.date() if row.reviewed_at else dt.date.min
        found[row.enrolment_id].append(AcceptedReflection(row.id, row.vignette_slug, accepted_on))
    return found


def _module_scores(enrolments: list[Enrolment]) -> dict[int, float]:
    """The best final-test score of each enrolment's trainee in its association.

    The best submitted score of a final test, asked per association with the trainee
    ids as one list: (trainee, association) pairs as a row-value IN list cost
    PostgreSQL over 50 ms for 2,000 trainees.
    """
    trainees: dict[int, list[int]] = defaultdict(list)
    for enrolment in enrolments:
        trainees[enrolment.association_id].append(enrolment.trainee_id)
    best: dict[tuple[int, int], float] = {}
    if len(trainees) == 1 and len(set(next(iter(trainees.values())))) == 1:
        # One trainee (their own pages): the number the home page may have fetched with its others.
        association_id, (trainee_id, *_) = next(iter(trainees.items()))
        score = summaries.read(best_final_numbers(trainee_id, association_id)).get("best")
        trainees = {}
        if score is not None:
            best[(trainee_id, association_id)] = float(score)
    for association_id, trainee_ids in trainees.items():
        query = (
            select(QuizAttempt.trainee_id, func.max(QuizAttempt.score_percent))
            .where(
                QuizAttempt.association_id == association_id,
                among(QuizAttempt.trainee_id, trainee_ids),
                QuizAttempt.kind == "final",
                QuizAttempt.score_percent.is_not(None),
            )
            .group_by(QuizAttempt.trainee_id)
        )
        best.update(
            ((trainee_id, association_id), float(score)) for trainee_id, score in db.session.execute(query)
        )
    return {
        e.id: best[(e.trainee_id, e.association_id)]
        for e in enrolments
        if (e.trainee_id, e.association_id) in best
    }


def _reports_query(enrolment_ids: list[int]):
    report = CompetencyReport.__table__.c
    return select(
        literal(0).label("tag"),
        report.id,
        report.enrolment_id,
        report.signed_at.label("at"),
        report.recommendation.label("a"),
        cast(null(), String).label("b"),
        cast(null(), String).label("c"),
        report.ratings.label("ratings"),
    ).where(among(report.enrolment_id, enrolment_ids), report.status == ReportStatus.SIGNED.value)


def _decisions_query(enrolment_ids: list[int]):
    decision = RequirementDecision.__table__.c
    return select(
        literal(1).label("tag"),
        decision.id,
        decision.enrolment_id,
        cast(null(), CompetencyReport.__table__.c.signed_at.type).label("at"),
        decision.requirement_id.label("a"),
        decision.decision.label("b"),
        decision.reason.label("c"),
        cast(null(), JSON).label("ratings"),
    ).where(among(decision.enrolment_id, enrolment_ids))


def _reports_and_decisions(enrolment_ids: list[int], *, with_reports: bool, with_profile: bool = False):
    """Signed reports (by signing time), the association's decisions (in order) and, with
    ``with_profile``, membership periods and qualifications, in one ``UNION ALL``
    statement: the reports' rows first, then the decisions', one shape for all."""
    parts = [_decisions_query(enrolment_ids)]
    if with_reports:
        parts.insert(0, _reports_query(enrolment_ids))
    if with_profile:
        at_type = CompetencyReport.__table__.c.signed_at.type
        parts.extend(profile_facts.dated_queries(enrolment_ids, among, at_type))
    if len(parts) > 1:
        query = union_all(*parts)
        query = query.order_by(*(query.selected_columns[name] for name in ("tag", "at", "id")))
    else:
        query = parts[0].order_by(RequirementDecision.__table__.c.id)
    reports: dict[int, list[SignedReport]] = defaultdict(list)
    waivers: dict[int, dict[str, str]] = defaultdict(dict)
    manual: dict[int, dict[str, ManualDecision]] = defaultdict(dict)
    dated: dict[int, dict[str, list]] = defaultdict(lambda: {"memberships": [], "qualifications": []})
    for tag, row_id, enrolment_id, signed_at, first, decision, reason, ratings in db.session.execute(query):
        if tag == 0:
            reports[enrolment_id].append(SignedReport(row_id, signed_at.date(), first, dict(ratings or {})))
            continue
        if tag in (2, 3):
            key = "memberships" if tag == 2 else "qualifications"
            dated[enrolment_id][key].append(profile_facts.read_dated(tag, first, decision))
            continue
        waivers[enrolment_id].pop(first, None)  # later decisions override earlier ones
        manual[enrolment_id].pop(first, None)
        if decision == "waived":
            waivers[enrolment_id][first] = reason
        elif decision in ("met", "not_met"):
            manual[enrolment_id][first] = ManualDecision(decision == "met", reason)
    return reports, waivers, manual, dated


def gather(
    enrolments: list[Enrolment],
    as_of: dt.date | None = None,
    *,
    measurements: dict[int, dict[str, object]] | None = None,
    kinds: set[str] | None = None,
    records_for: list[int] | None = None,
    record_types: set[str] | None = None,
    with_anchors: bool = False,
    status_fields: frozenset[str] | None = None,
) -> dict[int, TraineeFacts]:
    """TraineeFacts for each enrolment, keyed by enrolment id, in a fixed number of queries.

    By default every record is loaded, so an outcome can list what counted and what
    was left out. A cohort passes ``measurements`` computed in SQL for every
    record-based requirement (``aggregates.measurements``) and loads no records at
    all, and the requirement ``kinds`` its rule sets use, so that reflections,
    reports and scores no rule reads are not loaded either; ``records_for`` names the
    enrolments whose records are loaded all the same, for the requirements only the record
    path judges (``aggregates.needs_records``), of the ``record_types`` they read;
    ``with_anchors`` loads the days of the application and membership anchors
    (``windows.uses_anchor_days``); ``status_fields``: the fields read from dated
    registries that the rules use (``status_filters.fields_used``; None: all).
    """
    as_of = as_of or dt.date.today()
    ids = [e.id for e in enrolments]
    if not ids:
        return {}

    def needed(kind: str) -> bool:
        return kinds is None or kind in kinds

    # A cohort loads the records only of enrolments with record-path requirements.
    facts = _facts(ids) if measurements is None else _facts(records_for or [], record_types)
    if measurements is None:  # exams, recorded by an admin, are not logbook records
        for enrolment_id, exams in profile_facts.exam_facts(ids).items():
            facts[enrolment_id] = sorted([*facts.get(enrolment_id, ()), *exams], key=lambda f: (f.date, f.id))
    days = anchors.anchor_days(ids, as_of) if with_anchors else {}
    status_filters.attach(facts, {e.id: e.association_id for e in enrolments}, status_fields)
    reflections = _reflections(ids) if needed("reflections") else {}
    scores = _module_scores(enrolments) if needed("module") else {}
    reports, waivers, manual, dated = _reports_and_decisions(
        ids, with_reports=needed("report"), with_profile=needed("elapsed")
    )
    return {
        e.id: TraineeFacts(
            enrolment_start=e.started_on,
            as_of=as_of,
            facts=tuple(facts.get(e.id, ())),
            profile={"psychodynamic_training": bool(e.has_psychodynamic_training)},
            qualification_date=e.qualified_on,
            track=e.track,
            memberships=tuple(dated[e.id]["memberships"]),
            qualifications=tuple(dated[e.id]["qualifications"]),
            best_module_score=scores.get(e.id),
            reflections=tuple(reflections.get(e.id, ())),
            reports=tuple(reports.get(e.id, ())),
            manual=dict(manual.get(e.id, {})),
            waivers=dict(waivers.get(e.id, {})),
            measurements=(measurements or {}).get(e.id, {}),
            anchors=days.get(e.id, {}),
        )
        for e in enrolments
    }

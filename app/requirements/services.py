"""Progress against requirements: evaluation, cohorts, waivers, decisions and version moves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app import policy
from app import search as text_search
from app.accounts.models import User
from app.audit.services import record
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.logbook import signoff
from app.pagination import Page, paginate
from app.programmes.models import Enrolment, EnrolmentStatus, RuleSet, enrolment_supervisor
from app.programmes.services import get_enrolment
from app.requirements import aggregates, snapshots, sources, status_filters
from app.requirements.engine import NOT_MET, Evaluation, Outcome, evaluate
from app.requirements.models import RequirementDecision
from app.requirements.ruleset import RuleSet as ParsedRuleSet
from app.requirements.ruleset import parse_rule_set
from app.requirements.windows import uses_anchor_days


@lru_cache(maxsize=256)
def _parse_cached(content_hash: str, source: str) -> ParsedRuleSet:
    return parse_rule_set(source)


def parsed(rule_set: RuleSet) -> ParsedRuleSet:
    """A stored rule-set version, parsed once per process (versions never change)."""
    return _parse_cached(rule_set.content_hash, rule_set.source_yaml)


@dataclass(frozen=True)
class Progress:
    enrolment: Enrolment
    rule_set: ParsedRuleSet
    evaluation: Evaluation
    as_of: dt.date
    #: When a stored snapshot computed it (``snapshots``); None: evaluated for this page.
    computed_at: dt.datetime | None = None

    @property
    def fraction(self) -> float:
        """Share of essential requirements satisfied, weighted by how far each is."""
        essentials = [o for o in self.evaluation.outcomes if o.requirement.level == "essential"]
        return sum(o.fraction for o in essentials) / len(essentials) if essentials else 1.0

    def estimate(self, outcome: Outcome) -> dt.date | None:
        """When a count would be reached at the trainee's pace so far; None if unknown."""
        return _estimate(outcome, self.enrolment.started_on, self.as_of)

    @property
    def estimated_completion(self) -> dt.date | None:
        dates = []
        for outcome in self.evaluation.unmet_essentials:
            estimate = self.estimate(outcome)
            if estimate is None:
                return None
            dates.append(estimate)
        return max(dates) if dates else None


def _estimate(outcome: Outcome, started_on: dt.date, as_of: dt.date) -> dt.date | None:
    if outcome.status != NOT_MET or outcome.requirement.kind not in ("total", "distinct", "reflections"):
        return None
    elapsed_days = (as_of - started_on).days
    if outcome.current <= 0 or elapsed_days < 30:
        return None
    per_day = outcome.current / elapsed_days
    return as_of + dt.timedelta(days=round((outcome.required - outcome.current) / per_day))


def progress_for(enrolment: Enrolment, as_of: dt.date | None = None) -> Progress:
    as_of = as_of or dt.date.today()
    rule_set = parsed(enrolment.rule_set)
    fields = status_filters.fields_used(rule_set)  # who held which level: read only when asked
    facts = sources.gather(
        [enrolment], as_of, with_anchors=uses_anchor_days(rule_set), status_fields=fields
    )[enrolment.id]
    return Progress(enrolment, rule_set, evaluate(rule_set, facts), as_of)


def enrolment_progress(actor: User, enrolment_id: int, as_of: dt.date | None = None) -> Progress:
    """One enrolment's progress, for the trainee, their supervisors and the admins."""
    return progress_for(get_enrolment(actor, enrolment_id), as_of)


def progress_of_many(enrolments: list[Enrolment], as_of: dt.date | None = None) -> list[Progress]:
    """Progress of many enrolments with set-based queries (see ``aggregates``).

    Every record-based requirement is measured in SQL, grouped by enrolment (or by
    enrolment and day for rates and spans); no individual records are loaded.
    Outcomes therefore carry numbers, not record lists: ``progress_for`` gives those
    for one enrolment.
    """
    as_of = as_of or dt.date.today()
    if not enrolments:
        return []
    by_rule_set: dict[int, list[Enrolment]] = {}
    for enrolment in enrolments:
        by_rule_set.setdefault(enrolment.rule_set_id, []).append(enrolment)
    groups = [(parsed(group[0].rule_set), [e.id for e in group]) for group in by_rule_set.values()]
    facts = sources.gather(
        enrolments,
        as_of,
        measurements=aggregates.measurements(groups, as_of),
        kinds={r.kind for rule_set, _ in groups for r in rule_set.walk()},
        records_for=[i for rule_set, ids in groups if aggregates.needs_records(rule_set) for i in ids],
        record_types={t for rule_set, _ in groups for t in aggregates.needs_records(rule_set)},
        with_anchors=any(uses_anchor_days(rule_set) for rule_set, _ in groups),
    )
    return [
        Progress(e, parsed(e.rule_set), evaluate(parsed(e.rule_set), facts[e.id]), as_of) for e in enrolments
    ]


def cohort_enrolments(
    actor: User, association_id: int, *, programme_id: int | None = None, search: str = ""
) -> list[Enrolment]:
    """The association's active enrolments (optionally one programme, or a name or e-mail
    search), by trainee name; for the admin."""
    return list(
        db.session.scalars(cohort_query(actor, association_id, programme_id=programme_id, search=search))
    )


def cohort_query(actor: User, association_id: int, *, programme_id: int | None = None, search: str = ""):
    """``cohort_enrolments`` as a query, for a page of it or for reading it in chunks."""
    policy.require_admin(actor, association_id)
    query = (
        select(Enrolment)
        .join(Enrolment.trainee)
        .where(Enrolment.association_id == association_id, Enrolment.status == EnrolmentStatus.ACTIVE.value)
        .options(
            # The trainee comes with the join the query sorts on, and only what the table
            # shows: thousands of rows, no second round of queries.
            contains_eager(Enrolment.trainee).load_only(User.name, User.email),
            joinedload(Enrolment.rule_set),
            joinedload(Enrolment.programme),
            joinedload(Enrolment.snapshot),  # stored progress (``snapshots``), in the same statement
        )
        .order_by(func.lower(User.name), Enrolment.id)
    )
    if programme_id:
        query = query.where(Enrolment.programme_id == programme_id)
    if search.strip():
        query = query.where(text_search.matches(search, User.name, User.email))
    return query


def cohort(
    actor: User,
    association_id: int,
    *,
    programme_id: int | None = None,
    search: str = "",
    as_of: dt.date | None = None,
) -> list[Progress]:
    """Every active enrolment of the association (optionally one programme) with its progress."""
    enrolments = cohort_enrolments(actor, association_id, programme_id=programme_id, search=search)
    return progress_of_many(enrolments, as_of)


def supervised_progress(
    actor: User, association_id: int, *, page: int = 1
) -> tuple[Page, list[Progress], dict[int, int]]:
    """One page of a supervisor's trainees with progress, and how many records wait for
    sign-off per enrolment on that page (a supervisor may follow a thousand trainees)."""
    policy.require_supervisor(actor, association_id)
    query = (
        select(Enrolment)
        .join(enrolment_supervisor, enrolment_supervisor.c.enrolment_id == Enrolment.id)
        .where(
            Enrolment.association_id == association_id,
            enrolment_supervisor.c.supervisor_id == actor.id,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
        .options(  # many-to-one: joined into the one query, not a query each
            joinedload(Enrolment.trainee),
            joinedload(Enrolment.rule_set),
            joinedload(Enrolment.programme),
            joinedload(Enrolment.snapshot),
        )
        .order_by(Enrolment.started_on, Enrolment.id)
    )
    shown = paginate(query, page=page)
    pending = signoff.queue_counts_by_enrolment(actor, association_id, [e.id for e in shown.items])
    return shown, snapshots.progress_of_many(shown.items), pending


def own_progress(actor: User, association_id: int) -> list[Progress]:
    """The trainee's enrolments here (newest first, supervisors loaded) with progress;
    judged once per request, however many blocks of a page show it."""
    policy.require_trainee(actor, association_id)
    key = f"_own_progress_{actor.id}_{association_id}"
    if has_request_context() and key in g:
        return g.get(key)
    # One statement: a trainee has a handful of enrolments and supervisors, so joining the
    # supervisors in costs less than a second query.
    enrolments = list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.association_id == association_id, Enrolment.trainee_id == actor.id)
            .options(
                joinedload(Enrolment.rule_set),
                joinedload(Enrolment.programme),
                joinedload(Enrolment.supervisors),
                joinedload(Enrolment.snapshot),
            )
            .order_by(Enrolment.started_on.desc())
        ).unique()
    )
    result = snapshots.progress_of_many(enrolments)
    if has_request_context():
        setattr(g, key, result)
    return result


# -- decisions by the association --------------------------------------------------------------


def _admin_enrolment(actor: User, enrolment_id: int) -> Enrolment:
    enrolment = get_enrolment(actor, enrolment_id)
    policy.require_admin(actor, enrolment.association_id)
    return enrolment


def _requirement(enrolment: Enrolment, requirement_id: str):
    for requirement in parsed(enrolment.rule_set).walk():
        if requirement.id == requirement_id:
            return requirement
    raise NotFound(_("This programme version has no requirement %(id)s.", id=requirement_id))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(
            _("Please give a reason."), fields={"reason": [_("A short reason is required.")]}
        )
    return reason


def waive(actor: User, enrolment_id: int, requirement_id: str, reason: str) -> RequirementDecision:
    """Waive one requirement for one trainee, with a reason kept in the audit trail."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    _requirement(enrolment, requirement_id)
    return _decide(actor, enrolment, requirement_id, "waived", _reason(reason))


def decide_manual(actor: User, enrolment_id: int, requirement_id: str, *, is_met: bool, reason: str):
    """Record the association's decision on a manual requirement."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    if _requirement(enrolment, requirement_id).kind != "manual":
        raise InvalidState(_("Only manual requirements are decided by hand; others can be waived."))
    return _decide(actor, enrolment, requirement_id, "met" if is_met else "not_met", _reason(reason))


def withdraw_decision(actor: User, enrolment_id: int, requirement_id: str, reason: str):
    """Take back a waiver or a manual decision; the history stays."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    _requirement(enrolment, requirement_id)
    return _decide(actor, enrolment, requirement_id, "withdrawn", _reason(reason))


def _decide(actor, enrolment, requirement_id, decision, reason) -> RequirementDecision:
    row = RequirementDecision(
        enrolment_id=enrolment.id,
        requirement_id=requirement_id,
        decision=decision,
        reason=reason,
        decided_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    record(f"requirement.{decision}", enrolment, actor=actor, requirement=requirement_id, reason=reason)
    return row


def migrate_enrolment(actor: User, enrolment_id: int, rule_set_id: int) -> Enrolment:
    """Move an enrolment to another version of its programme's rule set (audited)."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    target = db.session.get(RuleSet, rule_set_id)
    if target is None or target.programme_id != enrolment.programme_id:
        raise NotFound(_("No such version of this programme."))
    if target.id == enrolment.rule_set_id:
        raise InvalidState(_("The enrolment is already on this version."))
    before = enrolment.rule_set.version
    enrolment.rule_set = target
    record("enrolment.rule_set_migrated", enrolment, actor=actor, before=before, after=target.version)
    return enrolment


def update_profile(
    actor: User, enrolment_id: int, *, has_psychodynamic_training: bool, qualified_on: dt.date | None
) -> Enrolment:
    """The profile facts rule sets may depend on (audited, since they change outcomes)."""
    enrolment = _admin_enrolment(actor, enrolment_id)
    if qualified_on and qualified_on > dt.date.today():
        raise ValidationError(
            _("The date cannot be in the future."), fields={"qualified_on": [_("In the future.")]}
        )
    enrolment.has_psychodynamic_training = has_psychodynamic_training
    enrolment.qualified_on = qualified_on
    record(
        "enrolment.profile_changed",
        enrolment,
        actor=actor,
        psychodynamic_training=has_psychodynamic_training,
        qualified_on=qualified_on.isoformat() if qualified_on else None,
    )
    return enrolment


def decisions_of(actor: User, enrolment_id: int) -> list[RequirementDecision]:
    enrolment = get_enrolment(actor, enrolment_id)
    return list(
        db.session.scalars(
            select(RequirementDecision)
            .where(RequirementDecision.enrolment_id == enrolment.id)
            .options(selectinload(RequirementDecision.decided_by))
            .order_by(RequirementDecision.id.desc())
        )
    )

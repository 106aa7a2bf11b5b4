"""What publishing a draft would change: every active enrolment of the programme judged
under the rules it is on now and under the draft, and the differences.

Both judgements go through the cohort path (``aggregates.measurements`` and
``sources.gather`` with measurements): records are measured in SQL, a fixed number of
statements for the whole programme, however many trainees it has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from app.accounts.models import User
from app.extensions import db
from app.programmes.models import Enrolment, EnrolmentStatus
from app.requirements import aggregates, sources
from app.requirements.engine import NOT_APPLICABLE, Outcome, evaluate
from app.requirements.ruleset import RuleSet as ParsedRuleSet
from app.requirements.services import parsed

STATUS_WORDS = {"met": "met", "not_met": "not met", "waived": "waived", "not_applicable": "does not apply"}


@dataclass(frozen=True)
class RequirementChange:
    requirement_id: str
    label: str
    before: str | None  # None: the requirement is new in the draft
    after: str | None  # None: the draft removes it
    reason: str

    @property
    def words(self) -> tuple[str, str]:
        return (
            STATUS_WORDS.get(self.before, "—") if self.before else "new",
            STATUS_WORDS.get(self.after, "—") if self.after else "removed",
        )


@dataclass
class EnrolmentChange:
    enrolment: Enrolment
    version: int
    was_ready: bool
    is_ready: bool
    requirements: list[RequirementChange] = field(default_factory=list)

    @property
    def overall_changes(self) -> bool:
        return self.was_ready != self.is_ready


@dataclass
class Preview:
    total: int
    changes: list[EnrolmentChange]

    @property
    def becoming_ready(self) -> int:
        return sum(1 for change in self.changes if change.is_ready and not change.was_ready)

    @property
    def no_longer_ready(self) -> int:
        return sum(1 for change in self.changes if change.was_ready and not change.is_ready)


def _enrolments(programme_id: int) -> list[Enrolment]:
    return list(
        db.session.scalars(
            select(Enrolment)
            .join(Enrolment.trainee)
            .where(Enrolment.programme_id == programme_id, Enrolment.status == EnrolmentStatus.ACTIVE.value)
            .options(
                contains_eager(Enrolment.trainee).load_only(User.name, User.email),
                joinedload(Enrolment.rule_set),
            )
            .order_by(User.name, Enrolment.id)
        )
    )


def preview(programme_id: int, draft: ParsedRuleSet, as_of: dt.date | None = None) -> Preview:
    """Every active enrolment whose readiness or any requirement's state would differ
    under ``draft`` (the caller has checked the actor may see the programme)."""
    as_of = as_of or dt.date.today()
    enrolments = _enrolments(programme_id)
    if not enrolments:
        return Preview(0, [])
    ids = [e.id for e in enrolments]
    by_version: dict[int, list[int]] = {}
    for enrolment in enrolments:
        by_version.setdefault(enrolment.rule_set_id, []).append(enrolment.id)
    current = {e.rule_set_id: parsed(e.rule_set) for e in enrolments}
    now_measured = aggregates.measurements(
        [(current[key], group) for key, group in by_version.items()], as_of
    )
    draft_measured = aggregates.measurements([(draft, ids)], as_of)
    kinds = {r.kind for rule_set in (*current.values(), draft) for r in rule_set.walk()}
    facts = sources.gather(enrolments, as_of, measurements={}, kinds=kinds)
    changes = []
    for enrolment in enrolments:
        before = evaluate(
            current[enrolment.rule_set_id],
            replace(facts[enrolment.id], measurements=now_measured.get(enrolment.id, {})),
        )
        after = evaluate(
            draft, replace(facts[enrolment.id], measurements=draft_measured.get(enrolment.id, {}))
        )
        change = EnrolmentChange(enrolment, enrolment.rule_set.version, before.is_ready, after.is_ready)
        change.requirements = _differences(before.outcomes, after.outcomes)
        if change.overall_changes or change.requirements:
            changes.append(change)
    return Preview(len(enrolments), changes)


def _flat(outcomes) -> dict[str, Outcome]:
    """Every outcome by requirement id, parents before their parts, in rule-set order."""
    found: dict[str, Outcome] = {}
    stack = list(reversed(outcomes))
    while stack:
        outcome = stack.pop()
        found.setdefault(outcome.requirement.id, outcome)
        stack.extend(reversed(outcome.children))
    return found


def _satisfied(outcome: Outcome | None) -> bool | None:
    if outcome is None or outcome.status == NOT_APPLICABLE:
        return None
    return outcome.is_satisfied


def _differences(before_outcomes, after_outcomes) -> list[RequirementChange]:
    """Requirements met under one and not the other (or new/removed and unmet), in the
    draft's order, each with the reason the draft gives."""
    before, after = _flat(before_outcomes), _flat(after_outcomes)
    order = list(after) + [key for key in before if key not in after]
    result = []
    for requirement_id in order:
        old, new = before.get(requirement_id), after.get(requirement_id)
        was, now = _satisfied(old), _satisfied(new)
        if was == now or (old is None and now) or (new is None and was):
            continue  # same state; a new rule already met, or a removed one that was met
        shown = new or old
        result.append(
            RequirementChange(
                requirement_id,
                shown.requirement.label,
                old.status if old else None,
                new.status if new else None,
                _reason(old, new),
            )
        )
    return result


def _reason(old: Outcome | None, new: Outcome | None) -> str:
    if new is None:
        return "The draft removes this requirement."
    if new.status == NOT_APPLICABLE:
        return new.missing or "Does not apply to this trainee under the draft."
    if not new.is_satisfied:
        return new.missing or "Not met under the draft."
    if old is not None and old.missing:
        return f"Met under the draft (now: {old.missing})"
    return "Met under the draft."

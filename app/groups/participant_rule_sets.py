"""Participant rule sets: what a member's attendance must meet, as data, judged by the engine.

A participant rule set is a preset in ``curriculum/programmes/`` whose requirements read
``records: attendance`` (``participant-de.yaml``: the German PSGV rules). Each member
has one chosen (``GroupMember.rule_set``, the German rules by default); an association
offers another by adding such a file. The engine (``app.requirements``) evaluates it on
the member's attendance (``app.requirements.attendance``), and each requirement becomes
a ``RuleResult``: met or not, and the engine's sentence of why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import lru_cache

from flask_babel import gettext as _

from app import policy
from app.accounts.models import User
from app.audit.services import record as audit
from app.errors import NotFound, ValidationError
from app.groups.models import GroupMember
from app.groups.services import get_group
from app.programmes.presets import preset_paths
from app.requirements import attendance as attendance_source
from app.requirements.engine import evaluate as evaluate_rule_set
from app.requirements.ruleset import RuleSet, RuleSetError, parse_rule_set

DEFAULT = "participant-de"
#: Kinds whose progress reads well beside a met rule ("32/30 teaching hours").
_PROGRESS_KINDS = ("total", "span", "distinct")


@dataclass(frozen=True)
class RuleResult:
    key: str
    rule: str
    is_met: bool
    why: str

    def as_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=32)
def _parsed(source: str) -> RuleSet | None:
    try:
        return parse_rule_set(source)
    except RuleSetError:
        return None  # `flask ruleset check` names the problem; a broken file is not offered


def is_participant_rule_set(rule_set: RuleSet) -> bool:
    return any(requirement.records == attendance_source.RECORDS for requirement in rule_set.walk())


def offered() -> dict[str, RuleSet]:
    """Name -> rule set of every participant preset, the default first."""
    found = {}
    for name, path in preset_paths().items():
        rule_set = _parsed(path.read_text(encoding="utf-8"))
        if rule_set is not None and is_participant_rule_set(rule_set):
            found[name] = rule_set
    return dict(sorted(found.items(), key=lambda item: (item[0] != DEFAULT, item[0])))


def choices() -> list[tuple[str, str]]:
    return [(name, rule_set.title) for name, rule_set in offered().items()]


def effective(name: str) -> str:
    """The name itself while it is offered; a withdrawn one reads as the default."""
    return name if name in offered() else DEFAULT


def rule_set_named(name: str) -> RuleSet:
    """The named participant rule set; an unknown (withdrawn) name reads as the default."""
    return offered()[effective(name)]


def title_of(name: str) -> str:
    return rule_set_named(name).title


def title_as_issued(name: str) -> str:
    """The title to show on an issued confirmation: its rule set's while it is offered, else
    the name it was issued under. Never the default's: a confirmation checked against a set
    since withdrawn was not checked against the German rules."""
    found = offered().get(name)
    return found.title if found is not None else name


def evaluate(name: str, attended: list[attendance_source.Attended], as_of: dt.date) -> list[RuleResult]:
    """Each requirement of the member's rule set, met or not, with the engine's reason."""
    rule_set = rule_set_named(name)
    evaluation = evaluate_rule_set(rule_set, attendance_source.member_facts(attended, as_of))
    results = []
    for outcome in evaluation.outcomes:
        requirement = outcome.requirement
        progress = (
            _(
                "%(current)s of %(required)s %(unit)s.",
                current=_plain(outcome.current),
                required=_plain(outcome.required),
                unit=outcome.unit,
            )
            if requirement.kind in _PROGRESS_KINDS
            else ""
        )
        why = progress if outcome.is_satisfied else " ".join(filter(None, (progress, outcome.missing)))
        results.append(RuleResult(requirement.id, requirement.label, outcome.is_satisfied, why))
    return results


def _plain(number: float) -> str:
    return f"{number:g}" if number == int(number) else f"{number:.2f}".rstrip("0")


def hours(minutes: int) -> str:
    """Minutes as clock hours with at most two decimals (``90`` → ``1.5``)."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def choose(actor: User, association_id: int, group_id: int, member_id: int, name: str) -> GroupMember:
    """Record the participant rule set a member chose; a leader of the group records it."""
    group = get_group(actor, association_id, group_id)
    member = next((m for m in group.members if m.id == member_id), None)
    if member is None:
        raise NotFound(_("No such member."))
    policy.require_run_group(actor, group)
    if name not in offered():
        message = _("Choose one of the participant rule sets offered.")
        raise ValidationError(message, fields={"rule_set": [message]})
    if member.rule_set != name:
        member.rule_set = name
        audit("group.member_rule_set_chosen", group, actor=actor, member_id=member.id, rule_set=name)
    return member

"""Checking a rule-set YAML document before a programme stores it as a new version."""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _

from app.errors import ValidationError
from app.programmes import renewal_rules
from app.requirements import status_filters
from app.requirements.ruleset import Requirement, RuleSet, RuleSetError, RuleSetProblem, parse_rule_set
from app.statuslevels import services as status_levels


def parse_rule_set_source(source: str, association_id: int | None = None) -> RuleSet:
    """The parsed rule set, or a ValidationError listing every problem with its line
    (a named renewal rule set must exist and be valid too; with ``association_id``, every
    status level a filter names must be one the association declares)."""
    try:
        rule_set = parse_rule_set(source)
        problems = renewal_rules.check_named(rule_set)
        if association_id is not None:
            problems = problems + _undeclared_levels(rule_set, association_id)
        if problems:
            raise RuleSetError(problems)
        return rule_set
    except RuleSetError as error:
        messages = [_("Line %(line)d: %(message)s", line=p.line, message=p.message) for p in error.problems]
        raise ValidationError(
            _("The rule set has %(n)d problem(s): %(list)s", n=len(messages), list="; ".join(messages)),
            fields={"rule_set": messages},
        ) from None


def _undeclared_levels(rule_set: RuleSet, association_id: int) -> list[RuleSetProblem]:
    declared = set(status_levels.slugs(association_id))
    return [
        RuleSetProblem(
            line,
            f"status level {level!r} is not one of the association's levels "
            f"({', '.join(sorted(declared))}); an admin declares it on the status levels page first",
        )
        for line, level in status_filters.unknown_levels(rule_set, declared)
    ]


def requirement_rows(source: str) -> list[tuple[int, Requirement]]:
    """The rule set's requirements, depth first, each with its depth (0 for the top level),
    for listing them with the published line each encodes. Empty when the source does not
    parse (a stored version always does)."""
    try:
        rule_set = parse_rule_set(source)
    except RuleSetError:
        return []
    rows: list[tuple[int, Requirement]] = []

    def visit(requirements, depth):
        for requirement in requirements:
            rows.append((depth, requirement))
            visit(requirement.children, depth + 1)

    visit(rule_set.requirements, 0)
    return rows


def content_hash(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()

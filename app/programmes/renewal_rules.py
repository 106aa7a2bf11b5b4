"""Renewal rule sets: what a certificate holder does within a validity period to have it renewed.

A renewal rule set is an ordinary rule-set document (same format, same engine) kept as a
file in ``RENEWAL_RULE_SETS_DIR`` (``curriculum/programmes/renewal/``), and a programme
names it with the ``renewal`` key of its rule set. It is read from the file when used, so
a changed continuing-development policy applies to every renewal decided after the change;
the renewal's audit event records the hash of the rules it was decided by.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app

from app.programmes.models import Programme
from app.requirements.ruleset import RuleSet, RuleSetError, RuleSetProblem, parse_rule_set


@dataclass(frozen=True)
class RenewalRules:
    name: str
    rule_set: RuleSet
    content_hash: str


def renewal_path(name: str, folder: Path | None = None) -> Path:
    folder = folder if folder is not None else Path(current_app.config["RENEWAL_RULE_SETS_DIR"])
    return folder / f"{name}.yaml"


def load(name: str, folder: Path | None = None) -> RenewalRules:
    """The named renewal rule set; RuleSetError (naming what is wrong) when missing or invalid."""
    path = renewal_path(name, folder)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        raise RuleSetError([RuleSetProblem(1, f"no renewal rule set named {name!r} ({path.name})")]) from None
    digest = hashlib.sha256(source.encode()).hexdigest()
    rule_set = _parse(digest, source)
    if rule_set.renewal is not None:
        raise RuleSetError(
            [RuleSetProblem(rule_set.renewal_line, "a renewal rule set cannot name a renewal of its own")]
        )
    return RenewalRules(name, rule_set, digest)


@lru_cache(maxsize=64)
def _parse(digest: str, source: str) -> RuleSet:
    return parse_rule_set(source)


def check_named(rule_set: RuleSet, folder: Path | None = None) -> list[RuleSetProblem]:
    """Problems with the renewal rule set a programme's rule set names (none when it names none).

    Each problem carries the line of the ``renewal`` key, with the renewal file's own line in the text."""
    if rule_set.renewal is None:
        return []
    try:
        load(rule_set.renewal, folder)
    except RuleSetError as error:
        return [
            RuleSetProblem(rule_set.renewal_line, f"renewal {rule_set.renewal!r}, line {p.line}: {p.message}")
            for p in error.problems
        ]
    return []


def name_for(programme: Programme) -> str | None:
    """The name of the renewal rule set the programme's current rule-set version names."""
    current = programme.current_rule_set
    if current is None:
        return None
    return _parse(current.content_hash, current.source_yaml).renewal


def for_programme(programme: Programme) -> RenewalRules | None:
    """The renewal rules the programme's current rule-set version names, or None."""
    name = name_for(programme)
    return load(name) if name else None

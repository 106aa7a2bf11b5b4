"""``flask ruleset check FILE``, ``flask progress EMAIL`` and ``flask progress-snapshots``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.accounts.services import find_user_by_email
from app.extensions import db
from app.programmes import renewal_rules
from app.programmes.models import Enrolment, Programme
from app.requirements import status_filters
from app.requirements.engine import Outcome
from app.requirements.ruleset import RuleSetError, missing_sources, parse_rule_set
from app.requirements.services import progress_for


@click.group("ruleset")
def ruleset_cli() -> None:
    """Programme rule sets."""


@ruleset_cli.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Validate rule-set YAML files; print each problem as FILE:LINE: message.

    A programme's ``renewal`` key must name a valid file in renewal/ beside it; renewal
    rule sets themselves can be checked like any other file. Every requirement of a
    preset (a file under curriculum/programmes/) must cite its published line with
    ``source:`` and name only the default status levels every association starts with;
    elsewhere either is a warning (an association may declare more levels)."""
    failed = False
    for path in files:
        try:
            rule_set = parse_rule_set(path.read_text(encoding="utf-8"))
            # A named renewal rule set lives in renewal/ beside the programme's file.
            problems = renewal_rules.check_named(rule_set, path.parent / "renewal")
            unsourced = missing_sources(rule_set)
            undeclared = status_filters.undeclared_default_levels(rule_set)
            if is_preset(path):
                problems = problems + unsourced + undeclared
            if problems:
                raise RuleSetError(sorted(problems, key=lambda problem: problem.line))
            for problem in unsourced + undeclared:
                click.echo(f"{path}:{problem.line}: warning: {problem.message}")
        except OSError as error:
            click.echo(f"{path}: cannot read: {error.strerror}", err=True)
            failed = True
        except RuleSetError as error:
            for problem in error.problems:
                click.echo(f"{path}:{problem.line}: {problem.message}")
            failed = True
        else:
            count = sum(1 for _ in rule_set.walk())
            renewal = f", renewal: {rule_set.renewal}" if rule_set.renewal else ""
            click.echo(f"{path}: OK ({count} requirements{renewal})")
    sys.exit(1 if failed else 0)


def is_preset(path: Path) -> bool:
    """Whether the file is one of the shipped presets (under curriculum/programmes/)."""
    parts = path.resolve().parts
    return any(parts[i : i + 2] == ("curriculum", "programmes") for i in range(len(parts) - 1))


def _outcome_json(outcome: Outcome) -> dict:
    return {
        "id": outcome.requirement.id,
        "label": outcome.requirement.label,
        "level": outcome.requirement.level,
        "status": outcome.status,
        "current": outcome.current,
        "required": outcome.required,
        "unit": outcome.unit,
        "missing": outcome.missing,
        "counted": list(outcome.counted),
        "excluded": [{"record": record_id, "reason": reason} for record_id, reason in outcome.excluded],
        "waiver_reason": outcome.waiver_reason or None,
        "children": [_outcome_json(child) for child in outcome.children],
        "met_on": outcome.met_on.isoformat() if outcome.met_on else None,
        "run": None
        if outcome.run is None
        else {
            "length": outcome.run.length,
            "starts_on": outcome.run.starts_on.isoformat(),
            "ends_on": outcome.run.ends_on.isoformat(),
            "breaks": list(outcome.run.breaks),
        },
    }


def _print_outcome(outcome: Outcome, depth: int = 0) -> None:
    marks = {"met": "✓", "waived": "≈", "not_met": "✗", "not_applicable": "–"}
    indent = "  " * depth
    figure = f"{outcome.current:g}/{outcome.required:g} {outcome.unit}".strip() if outcome.required else ""
    level = "" if outcome.requirement.level == "essential" else " (desirable)"
    click.echo(f"{indent}{marks[outcome.status]} {outcome.requirement.label}{level}: {figure}")
    if outcome.missing:
        click.echo(f"{indent}    {outcome.missing}")
    for child in outcome.children:
        _print_outcome(child, depth + 1)


@click.command("progress")
@click.argument("email")
@click.option("--programme", "programme_slug", default="", help="Only this programme (its short name).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@with_appcontext
def progress_command(email: str, programme_slug: str, as_json: bool) -> None:
    """Print a trainee's progress against each requirement of their programme(s)."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user with the address {email}")
    query = select(Enrolment).join(Programme).where(Enrolment.trainee_id == user.id).order_by(Enrolment.id)
    if programme_slug:
        query = query.where(Programme.slug == programme_slug)
    enrolments = list(db.session.scalars(query))
    if not enrolments:
        raise click.ClickException(
            f"{email} has no enrolment{' on ' + programme_slug if programme_slug else ''}"
        )
    results = [progress_for(enrolment) for enrolment in enrolments]
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "trainee": user.email,
                        "programme": p.enrolment.programme.slug,
                        "rule_set_version": p.enrolment.rule_set.version,
                        "as_of": p.as_of.isoformat(),
                        "is_ready": p.evaluation.is_ready,
                        "requirements": [_outcome_json(o) for o in p.evaluation.outcomes],
                    }
                    for p in results
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for p in results:
        state = "ready for certificate" if p.evaluation.is_ready else "not ready yet"
        click.echo(
            f"{user.name} — {p.enrolment.programme.title} (rule set v{p.enrolment.rule_set.version}): {state}"
        )
        for outcome in p.evaluation.outcomes:
            _print_outcome(outcome)


@click.command("progress-snapshots")
@with_appcontext
def snapshots_command() -> None:
    """Recompute every active enrolment's stored progress that is not current (as the job
    after midnight does); for after a bulk load or an upgrade."""
    from app.requirements.snapshot_jobs import refresh_all

    click.echo(f"{refresh_all()} progress snapshots recomputed.")

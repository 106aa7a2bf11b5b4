"""The competency rubric of supervisor reports: ten canonical competencies, five levels each.

Data under ``curriculum/rubric/competencies.yaml``, read strictly (unknown or missing keys
are problems naming the file and line), checked by ``flask content check`` and loaded once
per process. A programme whose rule set names no competencies is rated on the canonical
ten; one that names its own borrows descriptors through each competency's ``canonical`` code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app

from app.content.problems import Problem
from app.content.schema import FileReport, read_source

LEVELS = 5
RUBRIC_FILE = Path("rubric") / "competencies.yaml"


@dataclass(frozen=True)
class RubricCompetency:
    code: str  # C1 .. C10
    id: str
    label: str
    descriptors: tuple[str, ...]  # level 1 .. 5


@dataclass(frozen=True)
class Rubric:
    levels: tuple[str, ...]  # the name of each level, 1 .. 5
    competencies: tuple[RubricCompetency, ...]

    def by_code(self, code: str | None) -> RubricCompetency | None:
        return next((c for c in self.competencies if c.code == code), None)


@dataclass(frozen=True)
class RatedCompetency:
    """One row of a report's rubric: what is rated, and what each level means."""

    id: str
    label: str
    code: str | None
    descriptors: tuple[str, ...]  # empty when the programme's competency maps to no code


def _read(path: Path, problems: list[Problem]) -> Rubric | None:
    report = FileReport(path, problems)
    source = read_source(path, report)
    if source is None:
        return None
    data = report.mapping(report.load_yaml(source[0]), "the file", 1)
    if data is None:
        return None
    report.keys(data, ["levels", "competencies"], where="the file")
    levels = report.text_list(data, "levels", "the file", at_least=LEVELS)
    if levels is not None and len(levels) != LEVELS:
        report.add(report.line(data, "levels"), f"'levels' must name exactly {LEVELS} levels")
    items = report.sequence(data, "competencies", "the file") or []
    competencies: list[RubricCompetency] = []
    for index, (item, line) in enumerate(zip(items, items.item_lines, strict=True), start=1):
        where = f"competency {index}"
        item = report.mapping(item, where, line)
        if item is None:
            continue
        report.keys(item, ["code", "id", "label", "descriptors"], where=where)
        values = (
            report.text(item, "code", where),
            report.text(item, "id", where),
            report.text(item, "label", where),
            report.text_list(item, "descriptors", where, at_least=LEVELS),
        )
        if values[3] is not None and len(values[3]) != LEVELS:
            report.add(
                report.line(item, "descriptors"), f"{where} needs exactly {LEVELS} descriptors, one a level"
            )
        elif None not in values:
            competencies.append(RubricCompetency(*values))
    for attribute in ("code", "id"):
        seen: set[str] = set()
        for competency in competencies:
            value = getattr(competency, attribute)
            if value in seen:
                report.add(None, f"the {attribute} '{value}' is used by two competencies")
            seen.add(value)
    if not competencies and report.is_clean:
        report.add(None, "the rubric needs at least one competency")
    return Rubric(levels, tuple(competencies)) if report.is_clean else None


def check_rubric(curriculum_dir: Path) -> tuple[Rubric | None, list[Problem]]:
    """The rubric of ``curriculum_dir``, or None and every problem found."""
    problems: list[Problem] = []
    rubric = _read(curriculum_dir / RUBRIC_FILE, problems)
    return (None if problems else rubric), problems


@cache
def _load(curriculum_dir: str) -> Rubric:
    rubric, problems = check_rubric(Path(curriculum_dir))
    if rubric is None:
        raise RuntimeError("the competency rubric is invalid: " + "; ".join(map(str, problems)))
    return rubric


def get_rubric() -> Rubric:
    return _load(current_app.config["CURRICULUM_DIR"])


def rated_competencies(named) -> tuple[RatedCompetency, ...]:
    """The rubric rows for a rule set's competencies, or the canonical ten when it names none."""
    rubric = get_rubric()
    if not named:
        return tuple(RatedCompetency(c.id, c.label, c.code, c.descriptors) for c in rubric.competencies)
    rows = []
    for competency in named:
        canonical = rubric.by_code(getattr(competency, "canonical", None))
        rows.append(
            RatedCompetency(
                competency.id,
                competency.label,
                canonical.code if canonical else None,
                canonical.descriptors if canonical else (),
            )
        )
    return tuple(rows)

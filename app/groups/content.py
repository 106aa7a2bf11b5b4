"""The run sheet's content: the five phases with the leader's prompts, and the four briefings.

Both are data under ``curriculum/run_sheet/`` (``phases.yaml``, ``briefings.yaml``), read
strictly with the content schema reader (unknown or missing keys are problems naming the
file and line), checked by ``flask content check`` and loaded once per process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app
from markupsafe import Markup

from app.content.markdown import render_markdown
from app.content.problems import Problem
from app.content.schema import FileReport, read_source
from app.groups.kinds import RUN_PHASES, BriefingVersion


@dataclass(frozen=True)
class PhaseSheet:
    slug: str
    title: str
    minutes: int  # its share of a 90-minute session
    purpose: str
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class Briefing:
    slug: str
    title: str
    minutes: int
    use: str
    text: str

    @property
    def html(self) -> Markup:
        return render_markdown(self.text)


@dataclass(frozen=True)
class RunSheet:
    phases: tuple[PhaseSheet, ...]
    briefings: tuple[Briefing, ...]

    def briefing(self, slug: str) -> Briefing | None:
        return next((b for b in self.briefings if b.slug == slug), None)

    def planned_minutes(self, total: int) -> dict[str, int]:
        """Each phase's planned length for a session of ``total`` minutes, in proportion."""
        weight = sum(phase.minutes for phase in self.phases)
        return {phase.slug: max(1, round(total * phase.minutes / weight)) for phase in self.phases}


def _items(report: FileReport, path: Path, key: str):
    source = read_source(path, report)
    if source is None:
        return []
    data = report.mapping(report.load_yaml(source[0]), "the file", 1)
    if data is None:
        return []
    report.keys(data, [key], where="the file")
    items = report.sequence(data, key, "the file") or []
    return [
        (report.mapping(item, f"item {index} of '{key}'", line), index)
        for index, (item, line) in enumerate(zip(items, items.item_lines, strict=True), start=1)
    ]


def _read_phases(path: Path, problems: list[Problem]) -> tuple[PhaseSheet, ...]:
    report = FileReport(path, problems)
    phases = []
    for item, index in _items(report, path, "phases"):
        if item is None:
            continue
        where = f"phase {index}"
        report.keys(item, ["slug", "title", "minutes", "purpose", "prompts"], where=where)
        values = (
            report.choice(item, "slug", where, [p.value for p in RUN_PHASES]),
            report.text(item, "title", where),
            report.integer(item, "minutes", where, minimum=1, maximum=120),
            report.text(item, "purpose", where),
            report.text_list(item, "prompts", where),
        )
        if None not in values:
            phases.append(PhaseSheet(*values))
    if report.is_clean and tuple(p.slug for p in phases) != tuple(p.value for p in RUN_PHASES):
        report.add(None, f"the phases must be, in this order: {', '.join(p.value for p in RUN_PHASES)}")
    return tuple(phases)


def _read_briefings(path: Path, problems: list[Problem]) -> tuple[Briefing, ...]:
    report = FileReport(path, problems)
    briefings = []
    for item, index in _items(report, path, "briefings"):
        if item is None:
            continue
        where = f"briefing {index}"
        report.keys(item, ["slug", "title", "minutes", "use", "text"], where=where)
        values = (
            report.choice(item, "slug", where, [v.value for v in BriefingVersion]),
            report.text(item, "title", where),
            report.integer(item, "minutes", where, minimum=1, maximum=15),
            report.text(item, "use", where),
            report.text(item, "text", where),
        )
        if None not in values:
            briefings.append(Briefing(*values))
    if report.is_clean and {b.slug for b in briefings} != {v.value for v in BriefingVersion}:
        report.add(None, f"there must be one briefing of each version: {', '.join(BriefingVersion)}")
    return tuple(briefings)


def check_run_sheet(curriculum_dir: Path) -> tuple[RunSheet | None, list[Problem]]:
    """The run sheet of ``curriculum_dir``, or None and every problem found."""
    problems: list[Problem] = []
    folder = curriculum_dir / "run_sheet"
    phases = _read_phases(folder / "phases.yaml", problems)
    briefings = _read_briefings(folder / "briefings.yaml", problems)
    return (None if problems else RunSheet(phases, briefings)), problems


@cache
def _load(curriculum_dir: str) -> RunSheet:
    sheet, problems = check_run_sheet(Path(curriculum_dir))
    if sheet is None:
        raise RuntimeError("the run sheet content is invalid: " + "; ".join(map(str, problems)))
    return sheet


def get_run_sheet() -> RunSheet:
    return _load(current_app.config["CURRICULUM_DIR"])

"""Reading a figure's data file (figures/<slug>.yaml): phases and one curve per dimension."""

from __future__ import annotations

from pathlib import Path

from app.content.curriculum import DIMENSIONS, Curve, Figure, Phase
from app.content.problems import Problem
from app.content.schema import FileReport, YamlMap, read_source

CAPTION_START = "An illustration, not measured data:"
POINTS_PER_CURVE = (8, 14)


def read_figure(path: Path, problems: list[Problem]) -> Figure | None:
    report = FileReport(path, problems)
    source = read_source(path, report)
    data = report.load_yaml(source[0]) if source else None
    top = report.mapping(data, "the file", 1) if source and report.is_clean else None
    if top is None:
        return None
    report.keys(
        top, ["slug", "title", "caption", "duration_minutes", "phases", "dimensions"], where="the file"
    )
    slug = report.text(top, "slug", "the file")
    if slug is not None and slug != path.stem:
        report.add(report.line(top, "slug"), f"slug '{slug}' does not match the file name '{path.name}'")
    title = report.text(top, "title", "the file")
    caption = report.text(top, "caption", "the file")
    if caption is not None and not caption.startswith(CAPTION_START):
        report.add(report.line(top, "caption"), f"the caption must begin '{CAPTION_START}'")
    duration = report.integer(top, "duration_minutes", "the file", minimum=1, maximum=600)
    phases = _phases(top, report, duration)
    curves = _curves(top, report, duration)
    if not report.is_clean:
        return None
    return Figure(
        slug=slug,
        title=title,
        caption=" ".join(caption.split()),
        duration_minutes=duration,
        phases=phases,
        curves=curves,
        version=source[1],
    )


def _phases(top: YamlMap, report: FileReport, duration: int | None) -> tuple[Phase, ...]:
    items = report.sequence(top, "phases", "the file")
    if items is None:
        return ()
    if not items:
        report.add(report.line(top, "phases"), "'phases' needs at least one phase")
    phases: list[Phase] = []
    for item, line in zip(items, items.item_lines, strict=True):
        data = report.mapping(item, "each phase", line)
        if data is None:
            continue
        where = f"the phase on line {line}"
        report.keys(data, ["slug", "label", "start", "end"], where=where)
        slug = report.text(data, "slug", where)
        label = report.text(data, "label", where)
        start = report.integer(data, "start", where, minimum=0)
        end = report.integer(data, "end", where, minimum=0)
        if None in (slug, label, start, end):
            continue
        if end <= start:
            report.add(line, f"phase '{slug}' must end after it starts ({start} to {end})")
        expected = phases[-1].end if phases else 0
        if start != expected:
            report.add(line, f"phase '{slug}' must start at minute {expected}, where the previous one ends")
        phases.append(Phase(slug=slug, label=label, start=start, end=end))
    if phases and duration is not None and phases[-1].end != duration:
        report.add(items.item_lines[-1], f"the last phase must end at duration_minutes ({duration})")
    return tuple(phases)


def _curves(top: YamlMap, report: FileReport, duration: int | None) -> tuple[Curve, ...]:
    items = report.sequence(top, "dimensions", "the file")
    if items is None:
        return ()
    order = list(DIMENSIONS)
    if len(items) != len(order):
        report.add(
            report.line(top, "dimensions"),
            f"'dimensions' needs exactly {len(order)} items: {', '.join(order)}",
        )
    curves: list[Curve] = []
    for index, (item, line) in enumerate(zip(items, items.item_lines, strict=True)):
        data = report.mapping(item, "each dimension", line)
        if data is None:
            continue
        where = f"the dimension on line {line}"
        report.keys(data, ["slug", "label", "points"], where=where)
        slug = report.text(data, "slug", where)
        label = report.text(data, "label", where)
        if slug is not None and index < len(order) and slug != order[index]:
            report.add(
                report.line(data, "slug"), f"dimension {index + 1} must be '{order[index]}', not '{slug}'"
            )
        points = _points(data, report, where, duration)
        if None not in (slug, label, points):
            curves.append(Curve(slug=slug, label=label, points=points))
    return tuple(curves)


def _points(data: YamlMap, report: FileReport, where: str, duration: int | None) -> tuple | None:
    items = report.sequence(data, "points", where)
    if items is None:
        return None
    low, high = POINTS_PER_CURVE
    if not low <= len(items) <= high:
        report.add(report.line(data, "points"), f"{where} needs {low} to {high} points, not {len(items)}")
    points: list[tuple[float, float]] = []
    for item, line in zip(items, items.item_lines, strict=True):
        if not (isinstance(item, list) and len(item) == 2 and all(_is_number(value) for value in item)):
            report.add(line, f"each point in {where} must be a pair [minute, level] of numbers")
            return None
        minute, level = float(item[0]), float(item[1])
        if not -1 <= level <= 1:
            report.add(line, f"level {level} at minute {item[0]} is outside -1 to 1")
        if points and minute <= points[-1][0]:
            report.add(line, f"minute {item[0]} must come after minute {points[-1][0]:g}: sort the points")
        points.append((minute, level))
    if points and points[0][0] != 0:
        report.add(report.line(data, "points"), f"the first point of {where} must be at minute 0")
    if points and duration is not None and points[-1][0] != duration:
        report.add(report.line(data, "points"), f"the last point of {where} must be at minute {duration}")
    return tuple(points)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)

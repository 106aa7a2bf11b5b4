"""Geometry for the time-course figure: the time scale, smoothing, and crowding of lines.

Kept apart from the drawing code so each rule can be read (and tested) on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.content.curriculum import Curve, Phase

#: Two levels closer than this (on the -1..1 scale) are drawn on top of each other
#: at the figure's size: three lines at 3px, with dashes, need about this much room.
CROWDED = 0.12


@dataclass(frozen=True)
class Scale:
    """Minute to x: linear inside each phase; a phase too short to read is given ``minimum`` px."""

    edges: tuple[tuple[float, float], ...]  # (minute, x) at every phase edge, in order
    widened: tuple[Phase, ...]  # phases drawn wider than their share of the time

    def __call__(self, minute: float) -> float:
        for (m0, x0), (m1, x1) in zip(self.edges, self.edges[1:], strict=False):
            if minute <= m1 or (m1, x1) == self.edges[-1]:
                return x0 + (x1 - x0) * (minute - m0) / (m1 - m0)
        raise AssertionError("unreachable: edges always hold at least two points")


def time_scale(phases: Sequence[Phase], left: float, right: float, minimum: float) -> Scale:
    """Share ``right - left`` among the phases by duration, none narrower than ``minimum``.

    Phases that would fall below the minimum get exactly the minimum; the rest share
    what remains in proportion to their minutes. Repeated until stable, because taking
    space for one short phase can push another below the minimum.
    """
    total = right - left
    fixed: set[int] = set()
    while True:
        free = total - minimum * len(fixed)
        minutes = sum(p.end - p.start for i, p in enumerate(phases) if i not in fixed)
        widths = [minimum if i in fixed else free * (p.end - p.start) / minutes for i, p in enumerate(phases)]
        short = {i for i, width in enumerate(widths) if i not in fixed and width < minimum}
        if not short or len(fixed | short) == len(phases):
            break
        fixed |= short
    edges = [(float(phases[0].start), float(left))]
    for phase, width in zip(phases, widths, strict=True):
        edges.append((float(phase.end), edges[-1][1] + width))
    return Scale(edges=tuple(edges), widened=tuple(phases[i] for i in sorted(fixed)))


def level_at(curve: Curve, minute: float) -> float:
    """The curve's level at ``minute``, straight between its points."""
    points = curve.points
    for (m0, v0), (m1, v1) in zip(points, points[1:], strict=False):
        if m0 <= minute <= m1:
            return v0 if m1 == m0 else v0 + (v1 - v0) * (minute - m0) / (m1 - m0)
    return points[-1][1]


def lines_crowd(curves: Sequence[Curve], duration: int, *, how_many: int = 3) -> bool:
    """True when, at some minute, ``how_many`` lines lie within CROWDED of each other."""
    for minute in range(duration + 1):
        levels = sorted(level_at(curve, minute) for curve in curves)
        for low, high in zip(levels, levels[how_many - 1 :], strict=False):
            if high - low < CROWDED:
                return True
    return False


def smooth_path(points: Sequence[tuple[float, float]]) -> str:
    """An SVG path through ``points`` (x increasing) as monotone cubic segments.

    Fritsch-Carlson tangents: the curve passes through every point and never bulges
    above a peak or below a trough between two points, so a smoothed line does not
    invent levels the data do not have.
    """
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    count = len(points)
    slopes = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(count - 1)]
    inner = [
        0.0 if before * after <= 0 else (before + after) / 2
        for before, after in zip(slopes, slopes[1:], strict=False)
    ]
    tangents = [slopes[0], *inner, slopes[-1]]
    for i, slope in enumerate(slopes):
        if slope == 0:
            tangents[i] = tangents[i + 1] = 0.0
            continue
        a, b = tangents[i] / slope, tangents[i + 1] / slope
        if a * a + b * b > 9:  # keep the segment monotone
            factor = 3 / (a * a + b * b) ** 0.5
            tangents[i], tangents[i + 1] = factor * a * slope, factor * b * slope
    parts = [f"M{xs[0]:.1f} {ys[0]:.1f}"]
    for i in range(count - 1):
        third = (xs[i + 1] - xs[i]) / 3
        parts.append(
            f"C{xs[i] + third:.1f} {ys[i] + tangents[i] * third:.1f} "
            f"{xs[i + 1] - third:.1f} {ys[i + 1] - tangents[i + 1] * third:.1f} "
            f"{xs[i + 1]:.1f} {ys[i + 1]:.1f}"
        )
    return "".join(parts)

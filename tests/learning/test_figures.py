"""The session time-course figure: smoothed curves, panels when lines crowd, readable bands."""

from __future__ import annotations

import re

import pytest

from app.content.curriculum import DIMENSIONS, Curve, Figure, Phase, get_curriculum
from app.learning.curves import lines_crowd, smooth_path, time_scale
from app.learning.figures import MIN_BAND, PLOT_LEFT, PLOT_RIGHT, render_time_course

PHASES = (
    Phase("opening", "Opening", 0, 5),
    Phase("middle", "Middle", 5, 85),
    Phase("closing", "Closing", 85, 90),
)


def figure_with(levels: list[float]) -> Figure:
    """A figure whose four curves sit flat at the given levels, rising a little midway."""
    curves = tuple(
        Curve(slug, slug, ((0, level), (30, level + 0.05), (60, level), (90, level)))
        for slug, level in zip(DIMENSIONS, levels, strict=True)
    )
    return Figure(
        "test-course", "Test", "An illustration, not measured data: test.", 90, PHASES, curves, "v1"
    )


def bezier_points(path: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def test_the_module_figure_is_four_panels_of_smooth_curves(app):
    figure = get_curriculum().figures_by_slug["session-time-course"]
    assert lines_crowd(figure.curves, figure.duration_minutes)  # three lines meet in the presentation
    html = str(render_time_course(figure))
    assert html.count("<path") == 4 and "<polyline" not in html
    assert all(f">{curve.label}</text>" in html for curve in figure.curves)  # each panel titled
    assert all(f"▲ {upper}" in html and f"▼ {lower}" in html for lower, upper in DIMENSIONS.values())
    assert "not measured data" in html and "our own" in html
    assert "The bands for Opening and Closing are drawn wider than their share of the time" in html


def test_well_separated_lines_share_one_chart_with_a_legend(app):
    figure = figure_with([-0.8, -0.3, 0.2, 0.7])
    assert not lines_crowd(figure.curves, 90)
    html = str(render_time_course(figure))
    assert html.count("<path") == 4  # the four smoothed curves, on one chart
    assert html.count('stroke-width="3"') == 8  # each curve, and its sample stroke in the legend
    assert "▲ controlled · other · internal · cognitive" in html  # the shared pole labels
    assert "drawn wider" in html  # the five-minute bands are widened here too


def test_three_lines_close_together_count_as_crowded_two_do_not():
    assert lines_crowd(figure_with([0.0, 0.05, 0.1, 0.8]).curves, 90)
    assert not lines_crowd(figure_with([0.0, 0.05, 0.5, 0.9]).curves, 90)


def test_short_phases_get_the_minimum_band_and_the_rest_share_by_minutes():
    scale = time_scale(PHASES, PLOT_LEFT, PLOT_RIGHT, MIN_BAND)
    assert [phase.slug for phase in scale.widened] == ["opening", "closing"]
    assert scale(5) - scale(0) == pytest.approx(MIN_BAND)
    assert scale(90) - scale(85) == pytest.approx(MIN_BAND)
    assert scale(0) == PLOT_LEFT and scale(90) == pytest.approx(PLOT_RIGHT)
    assert scale(45) == pytest.approx((scale(5) + scale(85)) / 2)  # linear inside a phase


def test_a_long_enough_phase_is_drawn_to_scale():
    scale = time_scale(PHASES, PLOT_LEFT, PLOT_RIGHT, minimum=10)
    assert scale.widened == ()
    assert scale(45) == pytest.approx((PLOT_LEFT + PLOT_RIGHT) / 2)


def test_smoothed_curve_passes_through_the_points_and_never_overshoots_them():
    points = [(0.0, 100.0), (20.0, 40.0), (30.0, 45.0), (60.0, 10.0), (90.0, 10.0), (100.0, 80.0)]
    path = smooth_path(points)
    drawn = bezier_points(path)
    assert drawn[0] == points[0]
    ends = drawn[3::3]
    assert ends == points[1:]
    for index, (start, end) in enumerate(zip(points, points[1:], strict=False)):
        low, high = sorted((start[1], end[1]))
        controls = drawn[1 + 3 * index : 3 + 3 * index]
        assert all(low - 0.05 <= y <= high + 0.05 for _, y in controls), (index, controls)

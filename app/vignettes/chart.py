"""A small SVG chart of a trainee's dimension ratings beside the reference ratings.

Drawn on the server so it needs no script, and styled only with presentation
attributes and classes because the Content-Security-Policy forbids inline styles.
It reads in greyscale: the trainee's rating is a filled circle and the reference a
hollow diamond, so shape, not colour, tells them apart. ``<title>`` and ``<desc>``
give screen readers the same numbers in words.
"""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.vignettes.schema import DIMENSIONS, RATING_VALUES, signed

WIDTH = 340
LEFT, RIGHT = 30, 310  # x of -2 and of +2
LEGEND_HEIGHT = 34
ROW_HEIGHT = 66
INK, MUTED, LINE = "#1f2a2e", "#55636a", "#a9a396"
YOU, REFERENCE = "#2f5d62", "#8a5a00"


def _x(value: int) -> float:
    return LEFT + (value - RATING_VALUES[0]) * (RIGHT - LEFT) / (len(RATING_VALUES) - 1)


def _circle(x: float, y: float) -> str:
    return f'<circle cx="{x:g}" cy="{y:g}" r="6.5" fill="{YOU}" stroke="#ffffff" stroke-width="1.5"/>'


def _diamond(x: float, y: float) -> str:
    size = 10
    points = f"{x:g},{y - size:g} {x + size:g},{y:g} {x:g},{y + size:g} {x - size:g},{y:g}"
    return f'<polygon points="{points}" fill="none" stroke="{REFERENCE}" stroke-width="2.5"/>'


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 13, fill: str = INK) -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">'
        f"{escape(content)}</text>"
    )


def _describe(ratings: dict[str, int], reference: dict[str, int], is_own: bool) -> str:
    parts = []
    who = _("you") if is_own else _("trainee")
    for dimension in DIMENSIONS:
        yours = ratings.get(dimension.key)
        mine = (
            _("%(who)s %(value)s (%(label)s)", who=who, value=signed(yours), label=dimension.label(yours))
            if yours is not None
            else _("not rated")
        )
        theirs = reference.get(dimension.key)
        ref = (
            _("leaders %(value)s (%(label)s)", value=signed(theirs), label=dimension.label(theirs))
            if theirs is not None
            else ""
        )
        parts.append(f"{dimension.name}: {mine}" + (f"; {ref}" if ref else "") + ".")
    return " ".join(parts)


def rating_chart(
    ratings: dict[str, int], reference: dict[str, int], *, chart_id: str, is_own: bool = True
) -> Markup:
    """The chart as inline SVG; ``chart_id`` must be unique on the page.

    ``is_own`` says whether the reader is the trainee who gave the ratings, which
    decides between "Your rating" and "Trainee's rating" in the legend.
    """
    height = LEGEND_HEIGHT + ROW_HEIGHT * len(DIMENSIONS)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    title = (
        _("Your ratings beside those of experienced leaders")
        if is_own
        else _("The trainee's ratings beside those of experienced leaders")
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vg-rating-chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" font-family="system-ui, sans-serif">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(_describe(ratings, reference, is_own))}</desc>',
        _circle(14, 14),
        _text(26, 18, _("Your rating") if is_own else _("Trainee's rating")),
        _diamond(144, 14),
        _text(160, 18, _("Experienced leaders")),
    ]
    for row, dimension in enumerate(DIMENSIONS):
        top = LEGEND_HEIGHT + row * ROW_HEIGHT
        axis = top + 30
        parts += [
            _text(LEFT - 12, top + 12, str(dimension.first_pole).capitalize()),
            _text(RIGHT + 12, top + 12, str(dimension.second_pole).capitalize(), anchor="end"),
            f'<line x1="{LEFT}" y1="{axis}" x2="{RIGHT}" y2="{axis}" stroke="{LINE}" stroke-width="2"/>',
        ]
        for value in RATING_VALUES:
            x = _x(value)
            parts += [
                f'<line x1="{x:g}" y1="{axis - 5}" x2="{x:g}" y2="{axis + 5}" stroke="{LINE}"/>',
                _text(x, axis + 27, signed(value), anchor="middle", size=12, fill=MUTED),
            ]
        if dimension.key in reference:
            parts.append(_diamond(_x(reference[dimension.key]), axis))
        if ratings.get(dimension.key) is not None:
            parts.append(_circle(_x(ratings[dimension.key]), axis))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text above is escaped)

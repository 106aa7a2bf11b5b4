"""The session time-course figure, drawn as SVG from the figure's data file.

Drawn on the server so it needs no script, styled only with presentation attributes
(the CSP forbids ``style=``), and laid out for a phone first: the view box is narrow,
so the text stays legible when the figure shrinks to a 390px screen. Each line has its
own colour and its own dash pattern, so the figure still reads when printed in grey.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.content.curriculum import DIMENSIONS, Figure

WIDTH = 400
PLOT_LEFT, PLOT_RIGHT = 8, 392
PLOT_TOP, PLOT_BOTTOM = 28, 248
FONT = 15
ROW = 23  # line height of the phase key and the legend
INK, MUTED, GRID = "#1f2a2e", "#4a575d", "#8c9a98"
BAND_FILLS = ("#e6efed", "#f7faf9")

#: Colour (dark enough for 4.5:1 on the light bands, distinct for common colour
#: blindness) and dash pattern per dimension, in the order of DIMENSIONS.
LINE_STYLES = (
    ("#0b5e99", None),
    ("#b34700", "9 5"),
    ("#00704f", "1 5.5"),
    ("#7a2868", "13 4 3 4"),
)


def _x(minute: float, duration: int) -> float:
    return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * minute / duration


def _y(level: float) -> float:
    middle = (PLOT_TOP + PLOT_BOTTOM) / 2
    return middle - level * (PLOT_BOTTOM - PLOT_TOP) / 2 * 0.92  # keep peaks off the frame


def _attrs(attrs: dict[str, object]) -> str:
    """``stroke_width=2`` becomes ``stroke-width="2"``; floats get one decimal."""
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        shown = f"{value:.1f}" if isinstance(value, float) else escape(str(value))
        parts.append(f' {name.rstrip("_").replace("_", "-")}="{shown}"')
    return "".join(parts)


def _el(tag: str, **attrs: object) -> str:
    return f"<{tag}{_attrs(attrs)}/>"


def _text(x: float, y: float, content: str, *, size: float = FONT, anchor: str = "start", **attrs) -> str:
    attrs.setdefault("fill", INK)
    return (
        f"<text{_attrs(dict(x=x, y=y, font_size=size, text_anchor=anchor, **attrs))}>{escape(content)}</text>"
    )


def _stroke(colour: str, dash: str | None) -> dict[str, object]:
    return {
        "fill": "none",
        "stroke": colour,
        "stroke_width": 3,
        "stroke_linecap": "round",
        "stroke_linejoin": "round",
        "stroke_dasharray": dash,
    }


def describe(figure: Figure) -> str:
    """The figure in words, for screen readers (the SVG's desc) and anyone who cannot see it."""
    phases = "; ".join(
        _("%(label)s, minutes %(start)d to %(end)d", label=p.label, start=p.start, end=p.end)
        for p in figure.phases
    )
    parts = [figure.caption, _("Phases: %(phases)s.", phases=phases)]
    for curve in figure.curves:
        low = min(curve.points, key=lambda point: point[1])
        high = max(curve.points, key=lambda point: point[1])
        parts.append(
            _(
                "%(label)s: lowest %(low)s at minute %(low_at)d, highest %(high)s at minute %(high_at)d, "
                "ending at %(end)s.",
                label=curve.label,
                low=f"{low[1]:+.2f}",
                low_at=low[0],
                high=f"{high[1]:+.2f}",
                high_at=high[0],
                end=f"{curve.points[-1][1]:+.2f}",
            )
        )
    return " ".join(parts)


def render_time_course(figure: Figure) -> Markup:
    """An accessible ``<figure>``: the SVG (with title and desc) and the caption."""
    duration = figure.duration_minutes
    ident = f"figure-{figure.slug}"
    key_top = PLOT_BOTTOM + 66
    legend_top = key_top + (len(figure.phases) + 1) // 2 * ROW + 16
    height = legend_top + len(figure.curves) * ROW + 2
    lower, upper = zip(*DIMENSIONS.values(), strict=True)
    zero = _y(0)
    out = [
        f'<svg class="lr-figure-svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="system-ui, sans-serif">',
        f'<title id="{ident}-title">{escape(figure.title)}</title>',
        f'<desc id="{ident}-desc">{escape(describe(figure))}</desc>',
        _text(PLOT_LEFT, 18, "▲ " + " · ".join(upper), size=FONT - 0.5, fill=MUTED),
        *_phase_bands(figure, duration),
        _el("line", x1=PLOT_LEFT, y1=zero, x2=PLOT_RIGHT, y2=zero, stroke=INK, stroke_width=1.2),
        _text(
            PLOT_LEFT + 34,
            zero - 6,
            _("balanced"),
            size=FONT - 1,
            paint_order="stroke",
            stroke="#ffffff",
            stroke_width=4,
            stroke_linejoin="round",
        ),
    ]
    for curve, (colour, dash) in zip(figure.curves, LINE_STYLES, strict=False):
        points = " ".join(f"{_x(minute, duration):.1f},{_y(level):.1f}" for minute, level in curve.points)
        out.append(_el("polyline", points=points, **_stroke(colour, dash)))
    out.append(
        _el(
            "rect",
            x=PLOT_LEFT,
            y=PLOT_TOP,
            width=PLOT_RIGHT - PLOT_LEFT,
            height=PLOT_BOTTOM - PLOT_TOP,
            fill="none",
            stroke=GRID,
        )
    )
    out.extend(_minute_axis(duration))
    out.append(_text(PLOT_LEFT, PLOT_BOTTOM + 42, "▼ " + " · ".join(lower), size=FONT - 0.5, fill=MUTED))
    out.extend(_phase_key(figure, key_top))
    out.extend(_legend(figure, legend_top))
    out.append("</svg>")
    return Markup(  # noqa: S704  (every piece of content text above went through escape())
        f'<figure class="lr-figure" id="{ident}">{"".join(out)}'
        f"<figcaption>{escape(figure.caption)}</figcaption></figure>"
    )


def _phase_bands(figure: Figure, duration: int) -> Iterable[str]:
    """Alternating shaded bands, one per phase, numbered at the top (the key names them)."""
    for number, phase in enumerate(figure.phases, start=1):
        left, right = _x(phase.start, duration), _x(phase.end, duration)
        height = PLOT_BOTTOM - PLOT_TOP
        yield _el(
            "rect", x=left, y=PLOT_TOP, width=right - left, height=height, fill=BAND_FILLS[(number - 1) % 2]
        )
        if number > 1:
            yield _el(
                "line", x1=left, y1=PLOT_TOP, x2=left, y2=PLOT_BOTTOM, stroke=GRID, stroke_dasharray="3 3"
            )
        centre = (left + right) / 2
        yield _el("circle", cx=centre, cy=PLOT_TOP + 14, r=9.5, fill="#ffffff", stroke=MUTED)
        yield _text(centre, PLOT_TOP + 18.5, str(number), size=FONT - 1, anchor="middle", font_weight=700)


def _minute_axis(duration: int) -> Iterable[str]:
    step = 15 if duration > 45 else 5
    for minute in range(0, duration + 1, step):
        x = _x(minute, duration)
        yield _el("line", x1=x, y1=PLOT_BOTTOM, x2=x, y2=PLOT_BOTTOM + 5, stroke=MUTED)
        anchor = "start" if minute == 0 else "end" if minute == duration else "middle"
        label = _("%(n)d min", n=minute) if minute == duration else str(minute)
        yield _text(x, PLOT_BOTTOM + 20, label, size=FONT - 1, anchor=anchor, fill=MUTED)


def _phase_key(figure: Figure, top: float) -> Iterable[str]:
    rows = (len(figure.phases) + 1) // 2
    for index, phase in enumerate(figure.phases):
        column, row = divmod(index, rows)
        x, y = PLOT_LEFT + column * (WIDTH / 2), top + row * ROW
        yield _el("circle", cx=x + 9.5, cy=y - 5, r=9, fill="#ffffff", stroke=MUTED)
        yield _text(x + 9.5, y - 0.5, str(index + 1), size=FONT - 1.5, anchor="middle", font_weight=700)
        yield _text(x + 24, y, phase.label, size=FONT - 0.5)


def _legend(figure: Figure, top: float) -> Iterable[str]:
    for index, (curve, (colour, dash)) in enumerate(zip(figure.curves, LINE_STYLES, strict=False)):
        x, y = float(PLOT_LEFT), top + index * ROW
        yield _el("line", x1=x, y1=y - 5, x2=x + 30, y2=y - 5, **_stroke(colour, dash))
        yield _text(x + 36, y, curve.label, size=FONT - 0.5)

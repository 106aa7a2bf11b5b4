"""The session time-course figure, drawn as SVG from the figure's data file.

Drawn on the server so it needs no script, styled only with presentation attributes
(the CSP forbids ``style=``), and laid out for a phone first: the view box is narrow,
so the text stays legible when the figure shrinks to a 390px screen. Each line has its
own colour and its own dash pattern, so the figure still reads when printed in grey.

The curves illustrate a hypothesis, so they are drawn as smooth curves rather than as
joined data points. When three lines would run on top of each other somewhere, one
chart cannot be read, and the figure becomes four small panels, one per dimension.
A phase too short to read at true scale (the five-minute opening and closing) gets a
minimum band width; the time axis is then labelled at the phase edges, and the
caption says which bands are drawn wider than their share of the time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.content.curriculum import DIMENSIONS, Curve, Figure
from app.learning.curves import Scale, lines_crowd, smooth_path, time_scale

WIDTH = 400
PLOT_LEFT, PLOT_RIGHT = 8, 392
PLOT_TOP, PLOT_BOTTOM = 28, 248
FONT = 15
ROW = 23  # line height of the phase key and the legend
INK, MUTED, GRID = "#1f2a2e", "#4a575d", "#8c9a98"
MIN_BAND = 30  # narrowest phase band, wide enough for its number and a tick label
PANEL_HEAD, PANEL_PLOT, PANEL_GAP = 24, 92, 14
BAND_FILLS = ("#e6efed", "#f7faf9")

#: Colour (dark enough for 4.5:1 on the light bands, distinct for common colour
#: blindness) and dash pattern per dimension, in the order of DIMENSIONS.
LINE_STYLES = (
    ("#0b5e99", None),
    ("#b34700", "9 5"),
    ("#00704f", "1 5.5"),
    ("#7a2868", "13 4 3 4"),
)


def _level_scale(top: float, bottom: float) -> Callable[[float], float]:
    """Level (-1..1) to y inside a plot from ``top`` to ``bottom``; peaks kept off the frame."""
    middle = (top + bottom) / 2
    return lambda level: middle - level * (bottom - top) / 2 * 0.9


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
    ident = f"figure-{figure.slug}"
    x = time_scale(figure.phases, PLOT_LEFT, PLOT_RIGHT, MIN_BAND)
    if lines_crowd(figure.curves, figure.duration_minutes):
        body, height = _panels(figure, x)
    else:
        body, height = _combined(figure, x)
    caption = figure.caption
    if x.widened:
        caption += " " + _(
            "The bands for %(phases)s are drawn wider than their share of the time, "
            "so that they can be read.",
            phases=_join([phase.label for phase in x.widened]),
        )
    svg = (
        f'<svg class="lr-figure-svg" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="system-ui, sans-serif">'
        f'<title id="{ident}-title">{escape(figure.title)}</title>'
        f'<desc id="{ident}-desc">{escape(describe(figure))}</desc>{"".join(body)}</svg>'
    )
    return Markup(  # noqa: S704  (every piece of content text went through escape())
        f'<figure class="lr-figure" id="{ident}">{svg}<figcaption>{escape(caption)}</figcaption></figure>'
    )


def _join(labels: Sequence[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s and %(last)s", first=", ".join(labels[:-1]), last=labels[-1])


def _combined(figure: Figure, x: Scale) -> tuple[list[str], float]:
    """All four lines on one chart, with a legend: used when no three lines crowd together."""
    y = _level_scale(PLOT_TOP, PLOT_BOTTOM)
    lower, upper = zip(*DIMENSIONS.values(), strict=True)
    key_top = PLOT_BOTTOM + 88
    legend_top = key_top + (len(figure.phases) + 1) // 2 * ROW + 16
    out = [_text(PLOT_LEFT, 18, "▲ " + " · ".join(upper), size=FONT - 0.5, fill=MUTED)]
    out += _plot_frame(figure, x, y, PLOT_TOP, PLOT_BOTTOM, numbered=True)
    out.append(_balanced_label(y(0)))
    for curve, style in zip(figure.curves, LINE_STYLES, strict=False):
        out.append(_curve(curve, x, y, style))
    out += _time_axis(figure, x, PLOT_BOTTOM)
    out.append(_text(PLOT_LEFT, PLOT_BOTTOM + 62, "▼ " + " · ".join(lower), size=FONT - 0.5, fill=MUTED))
    out += _phase_key(figure, key_top)
    out += _legend(figure, legend_top)
    return out, legend_top + len(figure.curves) * ROW + 2


def _panels(figure: Figure, x: Scale) -> tuple[list[str], float]:
    """One small chart per dimension, stacked, sharing the phase bands and the time axis."""
    out = list(_phase_numbers(figure, x, 16))  # one row of numbers above the panels, clear of labels
    top = 34.0
    bottom = top
    for curve, style in zip(figure.curves, LINE_STYLES, strict=False):
        lower, upper = DIMENSIONS[curve.slug]
        plot_top = top + PANEL_HEAD
        bottom = plot_top + PANEL_PLOT
        y = _level_scale(plot_top, bottom)
        out.append(_el("line", x1=PLOT_LEFT, y1=top + 9, x2=PLOT_LEFT + 26, y2=top + 9, **_stroke(*style)))
        out.append(_text(PLOT_LEFT + 32, top + 15, curve.label, size=FONT, font_weight=700))
        out += _plot_frame(figure, x, y, plot_top, bottom, numbered=False)
        halo = {"paint_order": "stroke", "stroke": "#ffffff", "stroke_width": 4, "stroke_linejoin": "round"}
        out.append(_text(PLOT_RIGHT - 5, plot_top + 15, "▲ " + upper, size=FONT - 2, anchor="end", **halo))
        out.append(_text(PLOT_RIGHT - 5, bottom - 6, "▼ " + lower, size=FONT - 2, anchor="end", **halo))
        out.append(_curve(curve, x, y, style))
        top = bottom + PANEL_GAP
    out += _time_axis(figure, x, bottom)
    key_top = bottom + 66
    out += _phase_key(figure, key_top)
    return out, key_top + (len(figure.phases) + 1) // 2 * ROW - 6


def _plot_frame(figure: Figure, x: Scale, y, top: float, bottom: float, *, numbered: bool) -> list[str]:
    """Shaded phase bands (numbered in the first plot only), the balance line and the frame."""
    out = []
    for number, phase in enumerate(figure.phases, start=1):
        left, right = x(phase.start), x(phase.end)
        fill = BAND_FILLS[(number - 1) % 2]
        out.append(_el("rect", x=left, y=top, width=right - left, height=bottom - top, fill=fill))
        if number > 1:
            out.append(_el("line", x1=left, y1=top, x2=left, y2=bottom, stroke=GRID, stroke_dasharray="3 3"))
    if numbered:
        out += _phase_numbers(figure, x, top + 14)
    zero = y(0)
    out.append(_el("line", x1=PLOT_LEFT, y1=zero, x2=PLOT_RIGHT, y2=zero, stroke=INK, stroke_width=1.2))
    frame = {"x": PLOT_LEFT, "y": top, "width": PLOT_RIGHT - PLOT_LEFT, "height": bottom - top}
    out.append(_el("rect", **frame, fill="none", stroke=GRID))
    return out


def _phase_numbers(figure: Figure, x: Scale, cy: float) -> Iterable[str]:
    """Each phase's number, centred over its band; the phase key names them."""
    for number, phase in enumerate(figure.phases, start=1):
        centre = (x(phase.start) + x(phase.end)) / 2
        yield _el("circle", cx=centre, cy=cy, r=9.5, fill="#ffffff", stroke=MUTED)
        yield _text(centre, cy + 4.5, str(number), size=FONT - 1, anchor="middle", font_weight=700)


def _balanced_label(zero: float) -> str:
    halo = {"paint_order": "stroke", "stroke": "#ffffff", "stroke_width": 4, "stroke_linejoin": "round"}
    return _text(PLOT_LEFT + 46, zero - 6, _("balanced"), size=FONT - 1, **halo)


def _curve(curve: Curve, x: Scale, y, style: tuple[str, str | None]) -> str:
    points = [(x(minute), y(level)) for minute, level in curve.points]
    return _el("path", d=smooth_path(points), **_stroke(*style))


def _time_axis(figure: Figure, x: Scale, bottom: float) -> Iterable[str]:
    """Ticks at the phase edges (the scale is even only inside each phase), and the axis name."""
    edges = [figure.phases[0].start] + [phase.end for phase in figure.phases]
    for minute in edges:
        at = x(minute)
        yield _el("line", x1=at, y1=bottom, x2=at, y2=bottom + 5, stroke=MUTED)
        anchor = "start" if minute == edges[0] else "end" if minute == edges[-1] else "middle"
        yield _text(at, bottom + 20, str(minute), size=FONT - 1, anchor=anchor, fill=MUTED)
    name = _("minutes into the session")
    yield _text(WIDTH / 2, bottom + 40, name, size=FONT - 1.5, anchor="middle", fill=MUTED)


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

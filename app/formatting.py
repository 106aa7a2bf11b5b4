"""One way to show dates, times, scores and counts in every template.

Filters: ``|date`` (Dec 7, 2026), ``|date("long")`` (December 7, 2026), ``|datetime``
(Dec 7, 2026, 6:17 PM), ``|time`` (6:17 PM), in the reader's locale through Babel;
``|number``. Globals: ``score(points, out_of)`` ("8 of 12 (67%)") and
``plural(n, "draft", "drafts")`` ("1 draft", "2 drafts"). Templates use nothing else.
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_babel import format_date, format_decimal, format_time, ngettext
from flask_babel import gettext as _

#: Older calls named other styles; each maps onto one of the two date styles.
_DATE_STYLES = {"short": "medium", "medium": "medium", "long": "long", "full": "long"}


def date(value: dt.date | dt.datetime | None, style: str = "medium") -> str:
    if not value:
        return ""
    return format_date(value, _DATE_STYLES.get(style, "medium"))


def time(value: dt.datetime | dt.time | None) -> str:
    return format_time(value, "short") if value else ""


def datetime(value: dt.datetime | None, style: str | None = None) -> str:
    """Date and time in one format everywhere; ``style`` is accepted and ignored."""
    if not value:
        return ""
    return _("%(date)s, %(time)s", date=date(value), time=time(value))


def percent(part: float, whole: float) -> int:
    return round(100 * part / whole) if whole else 0


def score(points: float | None, out_of: float | None) -> str:
    """'8 of 12 (67%)'; points may be fractional (partial credit) and show as 7.5."""
    if points is None or not out_of:
        return ""
    return _(
        "%(points)s of %(out_of)s (%(percent)d%%)",
        points=format_decimal(points),
        out_of=format_decimal(out_of),
        percent=percent(points, out_of),
    )


def score_of_percent(percent_scored: float | None, out_of: int) -> str:
    """A score kept as a percentage, shown as points of ``out_of`` like ``score``."""
    if percent_scored is None:
        return ""
    if not out_of:
        return f"{format_decimal(percent_scored)}%"
    return score(round(percent_scored * out_of / 100, 2), out_of)


def plural(count: int, singular: str, plural_form: str) -> str:
    """'1 draft', '2 drafts', '0 drafts': the count with its noun, agreeing."""
    return ngettext("%(num)d " + singular, "%(num)d " + plural_form, count)  # noqa: INT003


def register(app: Flask) -> None:
    app.jinja_env.filters["date"] = date
    app.jinja_env.filters["datetime"] = datetime
    app.jinja_env.filters["time"] = time
    app.jinja_env.filters["number"] = lambda value: format_decimal(value)
    app.jinja_env.globals["score"] = score
    app.jinja_env.globals["score_of_percent"] = score_of_percent
    app.jinja_env.globals["plural"] = plural

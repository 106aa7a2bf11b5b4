"""The SQL twin of ``windows.reason(...) is None``, for the cohort's measuring queries.

Anchors read the record's enrolment row (start, qualification), the latest standing
application (``anchors.latest_applications``, outer-joined by ``aggregates``) or the
membership start (``anchors.membership_day``). "N months before/after" is worked out in
whole months and days, so that it clamps as ``windows.add_months`` does (a year before
29 February is the 28th) on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, and_, case, extract, func, literal, or_

from app.logbook.models import LogbookRecord
from app.programmes.models import Enrolment
from app.requirements import anchors, windows

_RECORD = LogbookRecord.__table__
_ENROLMENT = Enrolment.__table__


def _anchor_day(anchor, latest):
    """SQL: an anchor's day for the record's enrolment (NULL when pending or unknown)."""
    if isinstance(anchor, dt.date):
        return literal(anchor, Date)
    if anchor == "enrolment_start":
        return _ENROLMENT.c.started_on
    if anchor == "qualification":
        return _ENROLMENT.c.qualified_on
    if anchor == "application":
        return latest.c.applied_on
    return anchors.membership_day(_RECORD.c.enrolment_id)


def _month_index(day):
    return extract("year", day) * 12 + extract("month", day)


def _is_last_of_month(day):
    """Dialect-free: the day of the month equals the month's length (leap years included)."""
    year, month = extract("year", day), extract("month", day)
    is_leap = or_(and_(year % 4 == 0, year % 100 != 0), year % 400 == 0)
    length = case(
        (month == 2, case((is_leap, 29), else_=28)),
        (month.in_([4, 6, 9, 11]), 30),
        else_=31,
    )
    return extract("day", day) == length


def condition(window, as_of: dt.date, latest):
    """The SQL twin of ``windows.reason(...) is None`` (anchors on a met day are not here:
    ``needs_records`` keeps those requirements on the record path)."""
    occurred, conditions = _RECORD.c.occurred_on, []
    if window.after is not None:
        day = _anchor_day(window.after, latest)
        conditions.append(and_(day.is_not(None), occurred >= day))
    if window.before is not None:
        day = _anchor_day(window.before, latest)
        if window.before in windows.PENDING_ANCHORS:  # still to come: everything so far is before it
            conditions.append(or_(day.is_(None), occurred < day))
        else:
            conditions.append(and_(day.is_not(None), occurred < day))
    if window.within is not None:
        conditions.append(_within_sql(window.within, as_of, latest))
    if window.within_last_years is not None:
        conditions.append(occurred >= windows.add_months(as_of, -12 * window.within_last_years))
    return and_(*conditions)


def _within_sql(within, as_of: dt.date, latest):
    """``within`` N months of an anchor, both edge days included, with ``add_months``'s
    clamping (29 February a year back is the 28th) in month and day arithmetic."""
    occurred = _RECORD.c.occurred_on
    if isinstance(within.anchor, dt.date):
        low, high = _fixed_bounds(within)
        return and_(occurred >= low, occurred <= high)
    day = _anchor_day(within.anchor, latest)
    if within.side == "before" and within.anchor in windows.PENDING_ANCHORS:
        day = func.coalesce(day, literal(as_of, Date))  # as the rule will judge it if it happens today
    anchor_month, record_month = _month_index(day), _month_index(occurred)
    if within.side == "before":
        low_month = anchor_month - within.months
        from_start = or_(
            record_month > low_month,
            and_(
                record_month == low_month,
                or_(extract("day", occurred) >= extract("day", day), _is_last_of_month(occurred)),
            ),
        )
        return and_(day.is_not(None), occurred <= day, from_start)
    high_month = anchor_month + within.months
    until_end = or_(
        record_month < high_month,
        and_(record_month == high_month, extract("day", occurred) <= extract("day", day)),
    )
    return and_(day.is_not(None), occurred >= day, until_end)


def _fixed_bounds(within) -> tuple[dt.date, dt.date]:
    if within.side == "before":
        return windows.add_months(within.anchor, -within.months), within.anchor
    return within.anchor, windows.add_months(within.anchor, within.months)

"""The 'what was met' line printed under the holder's name.

For example '24 co-led sessions, 14 hours of supervision, 2 leadership workshops,
2024–2026'. It is built from the evaluation's figures only (counts, hours, kinds of
record and the years they span), never from anything a record says, so no case
content can reach a certificate.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from app.extensions import db
from app.logbook.models import LogbookRecord
from app.requirements.engine import MET, Outcome

MAX_PHRASES = 4


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _where(outcome: Outcome, name: str) -> frozenset:
    return dict(outcome.requirement.where).get(name, frozenset())


def _sessions(outcome: Outcome) -> str | None:
    roles, count, figure = _where(outcome, "role"), int(outcome.current), _number(outcome.current)
    if outcome.unit == "sessions":
        if roles == {"co-leader"}:
            return ngettext("%(num)d co-led session", "%(num)d co-led sessions", count)
        if roles == {"leader"}:
            return ngettext("%(num)d led session", "%(num)d led sessions", count)
        return ngettext("%(num)d Balint group session", "%(num)d Balint group sessions", count)
    if outcome.unit == "hours":
        return _("%(hours)s hours of Balint group sessions", hours=figure)
    if outcome.unit == "cases":
        return ngettext("%(num)d case discussed", "%(num)d cases discussed", count)
    return None


def _supervision(outcome: Outcome) -> str | None:
    if outcome.unit == "hours":
        return _("%(hours)s hours of supervision", hours=_number(outcome.current))
    if outcome.unit == "supervision sessions":
        count = int(outcome.current)
        return ngettext("%(num)d supervision session", "%(num)d supervision sessions", count)
    return None


def _events(outcome: Outcome) -> str | None:
    kinds, count = _where(outcome, "event_kind"), int(outcome.current)
    if outcome.unit == "days":
        return ngettext("%(num)d day of leadership training", "%(num)d days of leadership training", count)
    if kinds == {"leadership-workshop"}:
        return ngettext("%(num)d leadership workshop", "%(num)d leadership workshops", count)
    if kinds == {"residential-weekend"}:
        return ngettext("%(num)d residential weekend", "%(num)d residential weekends", count)
    return ngettext("%(num)d training event", "%(num)d training events", count)


def phrase(outcome: Outcome) -> str | None:
    """One short phrase for a met requirement, or None when it has nothing to count."""
    kind, records = outcome.requirement.kind, outcome.requirement.records
    if kind == "total" and records == "sessions":
        return _sessions(outcome)
    if kind == "total" and records == "supervision":
        return _supervision(outcome)
    if kind == "total" and records == "events":
        return _events(outcome)
    if kind == "total" and records == "observations":
        count = int(outcome.current)
        return ngettext("%(num)d observed session", "%(num)d observed sessions", count)
    if kind == "reflections":
        count = int(outcome.current)
        return ngettext("%(num)d accepted case reflection", "%(num)d accepted case reflections", count)
    if kind == "module":
        return _("mentalization module passed")
    return None


ORDER = {"sessions": 0, "supervision": 1, "events": 2, "observations": 3}


def _order(outcome: Outcome) -> int:
    """Leading first, then supervision, training, reflections and the module."""
    if outcome.requirement.records:
        return ORDER.get(outcome.requirement.records, 4)
    return 5 if outcome.requirement.kind == "reflections" else 6


def _met_leaves(outcomes) -> list[Outcome]:
    """Met requirements, looking inside groups (all of, any of, k of) for the parts that were met."""
    found = []
    for outcome in outcomes:
        if outcome.status != MET:
            continue
        if outcome.children:
            found.extend(_met_leaves(outcome.children))
        else:
            found.append(outcome)
    return found


def _years(outcomes: list[Outcome], fallback: tuple[int, int]) -> str:
    """The years the counted logbook records span (one query), else the enrolment's years."""
    record_ids = {record_id for o in outcomes if o.requirement.records for record_id in o.counted}
    first, last = fallback
    if record_ids:
        earliest, latest = db.session.execute(
            select(func.min(LogbookRecord.occurred_on), func.max(LogbookRecord.occurred_on)).where(
                LogbookRecord.id.in_(record_ids)
            )
        ).one()
        if earliest is not None:
            first, last = earliest.year, latest.year
    return str(first) if first == last else f"{first}–{last}"


def achievement_line(outcomes, *, started_year: int, issued_year: int) -> str:
    """'24 co-led sessions, 14 hours of supervision, 2 leadership workshops, 2024–2026'."""
    leaves = _met_leaves(outcomes)
    phrases: list[str] = []
    for outcome in sorted(leaves, key=_order):
        text = phrase(outcome)
        if text and text not in phrases:
            phrases.append(text)
    if not phrases:
        return ""
    return ", ".join([*phrases[:MAX_PHRASES], _years(leaves, (started_year, issued_year))])

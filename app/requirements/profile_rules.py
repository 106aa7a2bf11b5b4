"""Rules on dated profile facts: time since a qualification of a kind, membership kept
without a break, and the professional-background track a requirement applies to.

Kept apart from ``engine.py``: the engine asks ``applies`` before judging a requirement
and hands ``elapsed`` requirements on a profile fact to ``elapsed_on_profile``.
Membership periods are inclusive of both days; two periods that touch (one ends on the
30th, the next starts on the 31st) are one unbroken membership, a day between them is a
break. Anniversaries from 29 February fall on the 28th in other years, as elsewhere.
"""

from __future__ import annotations

import datetime as dt

from app.profiles.kinds import QUALIFICATION_KINDS
from app.requirements.facts import MembershipPeriod, TraineeFacts

ONE_DAY = dt.timedelta(days=1)
#: The ``since`` of an elapsed requirement on a qualification of a kind: "qualification:<kind>".
QUALIFICATION_PREFIX = "qualification:"
TRACK_UNKNOWN = "Your professional background (track) is not recorded yet: the association records it."
NOT_YOUR_TRACK = "Not applicable to your track."
NOT_YOUR_PROFILE = "Does not apply to this trainee's profile."


def parse_since(value) -> tuple[str | None, str | None]:
    """(the stored ``since``, None) or (None, the problem) for an elapsed requirement's
    ``since``: enrolment_start, qualification, membership, or {qualification: <kind>}."""
    if value in ("enrolment_start", "qualification", "membership"):
        return value, None
    if isinstance(value, dict) and set(value) == {"qualification"}:
        kind = value["qualification"]
        if kind in QUALIFICATION_KINDS:
            return QUALIFICATION_PREFIX + kind, None
        return None, f"unknown qualification {kind!r}; use {', '.join(QUALIFICATION_KINDS)}"
    return None, (
        "since must be enrolment_start, qualification, membership or {qualification: <kind>} "
        f"(kinds: {', '.join(QUALIFICATION_KINDS)})"
    )


def is_profile_since(since: str | None) -> bool:
    return since == "membership" or (since or "").startswith(QUALIFICATION_PREFIX)


# -- tracks ---------------------------------------------------------------------------


def inapplicable(requirement, trainee: TraineeFacts) -> tuple[str, str] | None:
    """None when the requirement applies; else ("not_applicable" | "unknown", the words).

    A requirement for one track does not apply to another; while no track is recorded it
    is not met (so that a trainee is never ready by having no track at all)."""
    for name, wanted in requirement.when:
        if name == "track":
            if trainee.track is None:
                return "unknown", TRACK_UNKNOWN
            if trainee.track not in wanted:
                return "not_applicable", NOT_YOUR_TRACK
        elif trainee.profile.get(name, False) != wanted:
            return "not_applicable", NOT_YOUR_PROFILE
    return None


# -- elapsed time since a profile fact --------------------------------------------------


def stretches(periods, as_of: dt.date) -> list[tuple[dt.date, dt.date | None]]:
    """Unbroken memberships (first day, last day or None while open), in order: periods that
    overlap or touch join (a renewal recorded ahead continues the membership); one that
    begins after ``as_of`` is not counted yet."""
    joined: list[list] = []
    for period in sorted(periods, key=lambda p: p.started_on):
        last = joined[-1] if joined else None
        if last is not None and (last[1] is None or period.started_on <= last[1] + ONE_DAY):
            if last[1] is not None and (period.ended_on is None or period.ended_on > last[1]):
                last[1] = period.ended_on
            continue
        joined.append([period.started_on, period.ended_on])
    return [(start, end) for start, end in joined if start <= as_of]


def membership_anchor(
    periods: tuple[MembershipPeriod, ...], as_of: dt.date, *, continuous: bool
) -> tuple[dt.date | None, dt.date | None, str]:
    """(the day counted from, the last day of that membership or None, why there is none).

    Without ``continuous``: the first day of the first membership, breaks or not. With
    it: the first day of the unbroken membership that holds ``as_of``."""
    joined = stretches(periods, as_of)
    if not joined:
        return None, None, "No membership of the society is recorded yet"
    if not continuous:
        return joined[0][0], joined[-1][1], ""
    start, end = joined[-1]
    if end is not None and end < as_of:
        return None, end, f"The membership ended on {end.isoformat()}"
    if len(joined) > 1:  # name the break, so that a one-day gap is visible
        return start, end, f"after a break from {(joined[-2][1] + ONE_DAY).isoformat()}"
    return start, end, ""


def elapsed_on_profile(requirement, trainee: TraineeFacts, add_months):
    """(anchor, due, is_met, missing) for ``since: membership`` or ``{qualification: kind}``."""
    needed = requirement.months
    wanted = _duration(needed)
    if requirement.since == "membership":
        continuous = requirement.continuous
        anchor, ends, note = membership_anchor(trainee.memberships, trainee.as_of, continuous=continuous)
        kept = " without a break" if continuous else ""
        if anchor is None:
            if not needed:
                current = "a current" if continuous else "a"
                return None, None, False, f"{note}; {current} membership is needed."
            return None, None, False, f"{note}; {wanted} of membership{kept} are needed."
        due = add_months(anchor, needed)
        if trainee.as_of >= due:
            return anchor, due, True, ""
        if continuous and ends is not None and ends < due:
            return (
                anchor,
                None,
                False,
                (
                    f"The membership from {anchor.isoformat()} ends on {ends.isoformat()}, "
                    f"before {wanted}{kept} (on {due.isoformat()})."
                ),
            )
        since = f" ({note})" if note else ""
        return (
            anchor,
            due,
            False,
            (
                f"Met on {due.isoformat()}, {wanted} after the membership began on "
                f"{anchor.isoformat()}{since}."
            ),
        )
    kind = requirement.since.removeprefix(QUALIFICATION_PREFIX)
    name = QUALIFICATION_KINDS[kind].lower()
    dates = sorted(q.obtained_on for q in trainee.qualifications if q.kind == kind)
    if not dates:
        after = f" ({wanted} after it)" if needed else ""
        return None, None, False, f"No {name} is recorded yet{after}."
    anchor = dates[0]
    due = add_months(anchor, needed)
    if trainee.as_of >= due:
        return anchor, due, True, ""
    return anchor, due, False, f"Met on {due.isoformat()}, {wanted} after the {name} on {anchor.isoformat()}."


def _duration(months: int) -> str:
    if months % 12 == 0:
        return "1 year" if months == 12 else f"{months // 12} years"
    return "1 month" if months == 1 else f"{months} months"

"""Where the days of a window's anchors come from, for the record path and the SQL path alike.

The enrolment row holds the enrolment start and the qualification. The others are here,
each in one function with its SQL twin, so that both paths read the same day:

* ``application``: the latest application for accreditation made on or before the
  evaluation date (the order of ``applications.services.application_date``: the moment
  applied, then the id), unless the panel deferred or declined it by then. Before the
  trainee applies, and after a deferral or a decline, it is pending (see ``windows``):
  the trainee trains on and applies again.
* ``membership``: the first day of the trainee's first recorded membership of the
  association (``app.profiles``: periods an admin records, breaks or not; a rule about
  keeping it without a break is ``elapsed ... continuous``). Without a recorded
  membership it is unknown and windows on it count nothing (the requirement says "no
  membership start date is recorded yet").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, or_, select

from app.applications.kinds import ApplicationStatus
from app.applications.models import AccreditationApplication
from app.extensions import db
from app.profiles.models import SocietyMembership
from app.programmes.models import Enrolment

#: An application that stands as the anchor; after a deferral or a decline the trainee
#: trains on and applies again, so the anchor is pending once more.
STANDING = (ApplicationStatus.OPEN.value, ApplicationStatus.ACCREDITED.value)


def latest_applications(as_of: dt.date):
    """(enrolment_id, applied_on) of each enrolment's latest application up to ``as_of``,
    where it is open or accredited (or was still undecided on ``as_of``)."""
    application = AccreditationApplication.__table__.c
    ranked = (
        select(
            application.enrolment_id,
            application.applied_on,
            func.row_number()
            .over(
                partition_by=application.enrolment_id,
                order_by=(application.applied_at.desc(), application.id.desc()),
            )
            .label("rank"),
            or_(
                application.status.in_(STANDING),
                application.decided_at
                >= dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), dt.UTC),
            ).label("is_standing"),
        )
        .where(application.applied_on <= as_of)
        .subquery()
    )
    return (
        select(ranked.c.enrolment_id, ranked.c.applied_on)
        .where(ranked.c.rank == 1, ranked.c.is_standing)
        .subquery("latest_application")
    )


def membership_day(enrolment_id_column):
    """SQL: the day the enrolment's trainee became a member of the society (NULL: not known)."""
    enrolment = Enrolment.__table__.alias("member_enrolment")
    first = (
        select(func.min(SocietyMembership.started_on))
        .select_from(enrolment)
        .join(
            SocietyMembership,
            (SocietyMembership.user_id == enrolment.c.trainee_id)
            & (SocietyMembership.association_id == enrolment.c.association_id),
        )
        .where(enrolment.c.id == enrolment_id_column)
    )
    return first.scalar_subquery()


def membership_days(enrolment_ids: list[int], _as_of: dt.date) -> dict[int, dt.date]:
    """Enrolment id -> membership start, for the enrolments where it is known."""
    from app.requirements.sources import among  # sources imports this module

    rows = db.session.execute(
        select(Enrolment.id, func.min(SocietyMembership.started_on))
        .join(
            SocietyMembership,
            (SocietyMembership.user_id == Enrolment.trainee_id)
            & (SocietyMembership.association_id == Enrolment.association_id),
        )
        .where(among(Enrolment.id, enrolment_ids))
        .group_by(Enrolment.id)
    )
    return {enrolment_id: day for enrolment_id, day in rows}


def anchor_days(enrolment_ids: list[int], as_of: dt.date) -> dict[int, dict[str, dt.date]]:
    """Enrolment id -> {"application": day, "membership": day} where known, in two queries at most."""
    from app.requirements.sources import among  # sources imports this module

    found: dict[int, dict[str, dt.date]] = defaultdict(dict)
    if not enrolment_ids:
        return found
    latest = latest_applications(as_of)
    rows = db.session.execute(
        select(latest.c.enrolment_id, latest.c.applied_on).where(among(latest.c.enrolment_id, enrolment_ids))
    )
    for enrolment_id, applied_on in rows:
        found[enrolment_id]["application"] = applied_on
    for enrolment_id, day in membership_days(enrolment_ids, as_of).items():
        found[enrolment_id]["membership"] = day
    return found

"""Reminders, sent by periodic jobs: each kind once per period, and each one can be switched off.

- ``supervisor_digest``: on Mondays, each supervisor hears what waits for them (records
  to sign, reflections to review); once per ISO week, and only when something waits.
- ``stalled_progress``: a trainee whose active logbook has had no new record for
  ``REMINDER_STALLED_DAYS`` days; once per stall (a new record starts a new one).
- ``certificate_expiry``: the holder of a valid certificate, 90 and 30 days before it
  expires and on the day it expires (its last valid day); once per certificate and mark.

"Once" is a ``ReminderSent`` row with a unique key, written in the same transaction
as the notification, so running a job twice (or in two workers) sends nothing twice.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from huey import crontab
from sqlalchemy import func, select

from app.accounts.models import Membership, Role, User
from app.certificates.models import Certificate, CertificateState
from app.database import utcnow
from app.extensions import db
from app.jobs.models import ReminderOptOut, ReminderSent
from app.jobs.queue import app_periodic_task
from app.logbook.models import LogbookRecord
from app.logbook.signoff import queue_count
from app.notifications.services import link_to, notify
from app.programmes.models import Enrolment, EnrolmentStatus
from app.vignettes.review import waiting_count

DIGEST, STALLED, EXPIRY = "supervisor_digest", "stalled_progress", "certificate_expiry"
KINDS = (DIGEST, STALLED, EXPIRY)
EXPIRY_MARKS = (90, 30, 0)


def is_switched_off(user_id: int, kind: str) -> bool:
    return (
        db.session.scalar(
            select(ReminderOptOut.id).where(ReminderOptOut.user_id == user_id, ReminderOptOut.kind == kind)
        )
        is not None
    )


def _already_sent(user_id: int, association_id: int, kind: str, period: str) -> bool:
    return (
        db.session.scalar(
            select(ReminderSent.id).where(
                ReminderSent.user_id == user_id,
                ReminderSent.association_id == association_id,
                ReminderSent.kind == kind,
                ReminderSent.period == period,
            )
        )
        is not None
    )


def _send_once(user_id: int, association_id: int, kind: str, period: str, message: str, link: str) -> bool:
    """Notify unless this reminder went out before or the person switched the kind off."""
    if is_switched_off(user_id, kind) or _already_sent(user_id, association_id, kind, period):
        return False
    db.session.add(ReminderSent(user_id=user_id, association_id=association_id, kind=kind, period=period))
    notify(user_id, association_id, message, link)
    return True


def send_supervisor_digests(day: date) -> int:
    """The weekly digest to every supervisor with something waiting; returns how many went out."""
    year, week, _weekday = day.isocalendar()
    period = f"{year}-W{week:02d}"
    sent = 0
    memberships = db.session.execute(
        select(User, Membership.association_id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.role == Role.SUPERVISOR.value, Membership.is_active.is_(True), User.is_enabled)
    ).all()
    for supervisor, association_id in memberships:
        records = queue_count(supervisor, association_id)
        reflections = waiting_count(supervisor, association_id)
        if not records and not reflections:
            continue
        message = _(
            "This week %(records)d logbook records wait for your signature and "
            "%(reflections)d reflections for your review.",
            records=records,
            reflections=reflections,
        )
        sent += _send_once(supervisor.id, association_id, DIGEST, period, message, link_to("home.dashboard"))
    return sent


def remind_stalled_trainees(day: date) -> int:
    """Remind trainees whose active logbook has had no new record for the configured days."""
    days = current_app.config["REMINDER_STALLED_DAYS"]
    latest = (
        select(LogbookRecord.enrolment_id, func.max(LogbookRecord.created_at).label("last_at"))
        .group_by(LogbookRecord.enrolment_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Enrolment, latest.c.last_at)
        .outerjoin(latest, latest.c.enrolment_id == Enrolment.id)
        .where(Enrolment.status == EnrolmentStatus.ACTIVE.value)
    ).all()
    sent = 0
    for enrolment, last_at in rows:
        last_day = last_at.date() if last_at else enrolment.started_on
        if (day - last_day).days < days:
            continue
        message = _(
            "Your logbook has had no new record since %(day)s. Record your recent sessions, "
            "or ask your supervisor what would help you go on.",
            day=last_day.isoformat(),
        )
        link = link_to("logbook.enrolment_logbook", enrolment_id=enrolment.id)
        period = f"{enrolment.id}:{last_day.isoformat()}"
        sent += _send_once(enrolment.trainee_id, enrolment.association_id, STALLED, period, message, link)
    return sent


def warn_expiring_certificates(day: date) -> int:
    """Warn holders 90 and 30 days before a valid certificate expires, and on the day it does."""
    rows = db.session.scalars(
        select(Certificate).where(
            Certificate.state == CertificateState.VALID.value,
            Certificate.expires_on.is_not(None),
            Certificate.expires_on >= day,
            Certificate.expires_on <= day + timedelta(days=max(EXPIRY_MARKS)),
        )
    )
    sent = 0
    for certificate in rows:
        days_left = (certificate.expires_on - day).days
        # The nearest mark passed; a certificate first seen at 20 days gets one warning, not two.
        mark = min(m for m in EXPIRY_MARKS if days_left <= m)
        if any(
            _already_sent(certificate.holder_id, certificate.association_id, EXPIRY, f"{certificate.id}:{m}")
            for m in EXPIRY_MARKS
            if m <= mark
        ):
            continue
        if mark:
            message = _(
                "Your certificate %(serial)s expires on %(day)s, in %(days)d days. "
                "See what counts towards its renewal.",
                serial=certificate.serial,
                day=certificate.expires_on.isoformat(),
                days=days_left,
            )
        else:
            message = _(
                "Your certificate %(serial)s expires today, %(day)s. Your association can still renew "
                "it for a while once the renewal requirements are met.",
                serial=certificate.serial,
                day=certificate.expires_on.isoformat(),
            )
        link = link_to("certificates.mine")
        period = f"{certificate.id}:{mark}"
        sent += _send_once(certificate.holder_id, certificate.association_id, EXPIRY, period, message, link)
    return sent


def run_all(day: date | None = None) -> dict[str, int]:
    """Every reminder kind for ``day`` (today by default); how many of each went out."""
    day = day or utcnow().date()
    return {
        DIGEST: send_supervisor_digests(day) if day.isoweekday() == 1 else 0,
        STALLED: remind_stalled_trainees(day),
        EXPIRY: warn_expiring_certificates(day),
    }


@app_periodic_task(crontab(minute="0", hour="7"))
def daily_reminders() -> None:
    """Every morning at 07:00 UTC (the digest on Mondays only)."""
    run_all()


# --- each person's switches ------------------------------------------------------------


def reminder_settings(user: User) -> dict[str, bool]:
    """Which kinds are on for the person."""
    off = set(db.session.scalars(select(ReminderOptOut.kind).where(ReminderOptOut.user_id == user.id)))
    return {kind: kind not in off for kind in KINDS}


def save_reminder_settings(user: User, enabled: dict[str, bool]) -> None:
    """Switch kinds on or off for the person (their own settings: no one else's)."""
    current = reminder_settings(user)
    for kind in KINDS:
        want = bool(enabled.get(kind, False))
        if want == current[kind]:
            continue
        if want:
            db.session.execute(
                ReminderOptOut.__table__.delete().where(
                    ReminderOptOut.user_id == user.id, ReminderOptOut.kind == kind
                )
            )
        else:
            db.session.add(ReminderOptOut(user_id=user.id, kind=kind))

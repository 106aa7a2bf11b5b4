"""Reminders: each kind reaches the right person once per period, and each can be switched off."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app.certificates import issuing
from app.database import utcnow
from app.extensions import db
from app.jobs import reminders
from app.logbook import records
from app.mail.models import OutboxMessage
from app.notifications.models import Notification
from tests.authz.routes_logbook import _session
from tests.certificates.conftest import make_ready


def _notes(user) -> list[str]:
    return list(db.session.scalars(select(Notification.message).where(Notification.user_id == user.id)))


def _commit(count: int) -> int:
    db.session.commit()
    return count


def test_weekly_digest_goes_once_a_week_to_a_supervisor_with_work_waiting(world):
    records.create_record(world.trainee, world.association.id, world.enrolment.id, _session(), submit=True)
    db.session.commit()
    monday = dt.date(2026, 12, 7)
    assert _commit(reminders.send_supervisor_digests(monday)) == 1
    assert _commit(reminders.send_supervisor_digests(monday + dt.timedelta(days=2))) == 0  # same week
    assert _commit(reminders.send_supervisor_digests(monday + dt.timedelta(days=7))) == 1
    digests = [n for n in _notes(world.supervisor) if n.startswith("This week 1 logbook records wait")]
    assert len(digests) == 2
    assert _notes(world.supervisor2) == []  # nothing waits for the unassigned supervisor
    mails = select(func.count()).where(
        OutboxMessage.recipient == "sup@x.test", OutboxMessage.body.startswith("This week")
    )
    assert db.session.scalar(mails) == 2


def test_stalled_trainee_is_reminded_once_per_stall(app, world):
    app.config["REMINDER_STALLED_DAYS"] = 30
    records.create_record(world.trainee, world.association.id, world.enrolment.id, _session())
    db.session.commit()
    today = utcnow().date()
    assert _commit(reminders.remind_stalled_trainees(today + dt.timedelta(days=29))) == 0
    assert _commit(reminders.remind_stalled_trainees(today + dt.timedelta(days=30))) == 1
    assert _commit(reminders.remind_stalled_trainees(today + dt.timedelta(days=31))) == 0
    assert "no new record since" in _notes(world.trainee)[0]


def test_switched_off_reminders_are_not_sent(world, client):
    client.login("trainee@x.test")
    response = client.submit(
        "/notifications/settings", {"supervisor_digest": "y", "certificate_expiry": "y"}
    )  # stalled_progress left unticked: off
    assert response.status_code == 302
    assert reminders.reminder_settings(world.trainee) == {
        "supervisor_digest": True,
        "stalled_progress": False,
        "certificate_expiry": True,
    }
    later = utcnow().date() + dt.timedelta(days=400)
    assert _commit(reminders.remind_stalled_trainees(later)) == 0
    assert _notes(world.trainee) == []


def test_certificate_expiry_is_warned_90_and_30_days_ahead_and_on_the_day_once_each(world):
    world.programme.validity_months = 12
    make_ready(world.enrolment, world.supervisor)
    certificate = issuing.issue(world.admin, world.enrolment.id, today=dt.date(2026, 3, 5))
    db.session.commit()
    expires = certificate.expires_on
    assert expires == dt.date(2027, 3, 5)
    warn = reminders.warn_expiring_certificates
    assert _commit(warn(expires - dt.timedelta(days=91))) == 0
    assert _commit(warn(expires - dt.timedelta(days=90))) == 1
    assert _commit(warn(expires - dt.timedelta(days=60))) == 0
    assert _commit(warn(expires - dt.timedelta(days=30))) == 1
    assert _commit(warn(expires - dt.timedelta(days=10))) == 0
    assert _commit(warn(expires)) == 1
    assert _commit(warn(expires)) == 0  # a second run of the day's job sends nothing
    assert _commit(warn(expires + dt.timedelta(days=1))) == 0
    notes = [n for n in _notes(world.trainee) if "expires" in n]
    assert ["in 90 days." in n for n in notes].count(True) == 1
    assert ["in 30 days." in n for n in notes].count(True) == 1
    assert [n for n in notes if "expires today, 2027-03-05." in n]
    mails = select(func.count()).where(
        OutboxMessage.recipient == "trainee@x.test", OutboxMessage.body.contains("expires")
    )
    assert db.session.scalar(mails) == 3


def test_reminders_run_every_morning_and_the_digest_on_mondays_only(world):
    check = reminders.daily_reminders.s().validate_datetime  # the scheduler asks each minute
    assert check(dt.datetime(2026, 12, 8, 7, 0)) and not check(dt.datetime(2026, 12, 8, 8, 0))
    records.create_record(world.trainee, world.association.id, world.enrolment.id, _session(), submit=True)
    db.session.commit()
    tuesday, monday = dt.date(2026, 12, 8), dt.date(2026, 12, 14)
    assert reminders.run_all(tuesday)["supervisor_digest"] == 0
    assert reminders.run_all(monday)["supervisor_digest"] == 1

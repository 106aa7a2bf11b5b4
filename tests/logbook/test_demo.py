"""The demo logbooks: realistic, and loading twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import Association, User
from app.demo.data import load_demo
from app.extensions import db
from app.logbook import accreditations
from app.logbook.models import LogbookRecord, Observation, SessionRecord, TrainingEvent
from app.notifications.models import Notification
from app.programmes.models import Enrolment
from tests.logbook.fixtures import today


def _counts(email: str) -> dict[str, int]:
    rows = db.session.execute(
        select(LogbookRecord.kind, LogbookRecord.status, func.count())
        .join(Enrolment, Enrolment.id == LogbookRecord.enrolment_id)
        .join(User, User.id == Enrolment.trainee_id)
        .where(User.email == email)
        .group_by(LogbookRecord.kind, LogbookRecord.status)
    )
    return {f"{kind}:{status}": count for kind, status, count in rows}


def test_demo_logbooks_are_realistic_and_idempotent(app):
    load_demo()
    tara = _counts("trainee@demo.test")
    jonas = _counts("trainee4@demo.test")
    reka = _counts("trainee3@demo.test")
    for counts in (tara, jonas):
        sessions = sum(v for k, v in counts.items() if k.startswith("session:"))
        assert sessions >= 30
        assert counts["session:signed"] > sessions * 0.8
        assert counts.get("session:submitted", 0) + counts.get("supervision:submitted", 0) >= 1
        assert counts.get("session:returned", 0) + counts.get("supervision:returned", 0) == 1
        assert counts["supervision:signed"] >= 10
        assert counts["event:signed"] >= 2
        assert counts["observation:signed"] >= 1
    assert sum(reka.values()) < sum(tara.values())
    first_dates = db.session.execute(
        select(func.min(SessionRecord.occurred_on), func.max(SessionRecord.occurred_on))
        .join(Enrolment, Enrolment.id == SessionRecord.enrolment_id)
        .join(User, User.id == Enrolment.trainee_id)
        .where(User.email == "trainee@demo.test")
    ).one()
    assert (first_dates[1] - first_dates[0]).days > 600 and first_dates[1] <= today()
    workshops = db.session.scalar(
        select(func.count(TrainingEvent.id)).where(TrainingEvent.event_kind == "leadership-workshop")
    )
    assert workshops >= 4
    assert db.session.scalar(select(func.count(Observation.id))) >= 3
    demo = db.session.scalar(select(Association).where(Association.slug == "demo"))
    for email in ("supervisor@demo.test", "supervisor2@demo.test"):
        user = db.session.scalar(select(User).where(User.email == email))
        assert accreditations.is_accredited_on(user.id, demo.id, today())
    for record in db.session.scalars(select(LogbookRecord).where(LogbookRecord.status == "signed").limit(20)):
        assert record.content_hash == record.compute_hash()
    assert db.session.scalar(select(func.count(Notification.id))) > 0
    before = db.session.scalar(select(func.count(LogbookRecord.id)))
    notes = db.session.scalar(select(func.count(Notification.id)))
    load_demo()
    assert db.session.scalar(select(func.count(LogbookRecord.id))) == before
    assert db.session.scalar(select(func.count(Notification.id))) == notes

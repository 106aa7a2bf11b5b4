"""Demo logbooks: two years of sessions, supervision, workshops and an observation per trainee.

Most history is inserted in bulk (one flush per logbook, then the signatures) rather
than through the services one record at a time, so ``flask demo`` stays fast. The few
records that are still in play (submitted or returned) also send their notifications,
so supervisors and trainees find something in their inbox. Idempotent: a logbook that
already has records is left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.accounts.models import Association, User
from app.extensions import db
from app.logbook import news
from app.logbook.models import (
    CoLeaderConfirmation,
    LogbookRecord,
    Observation,
    RecordStatus,
    SessionRecord,
    SupervisionRecord,
    SupervisorAccreditation,
    TrainingEvent,
)
from app.programmes.models import Enrolment

SETTINGS = [
    ("primary-care", "GP trainees, hospital"),
    ("primary-care", "Established GPs, city practice"),
    ("hospital", "Foundation doctors, district general hospital"),
    ("mental-health", "Community mental health team"),
    ("education", "Medical students, fourth year"),
    ("mixed", "Nurses and social workers together"),
    ("hospital", "Palliative care team"),
    ("social-care", "Social workers, children's services"),
]

REFLECTIONS = [
    "I held the frame better this time; when the group pushed for solutions I brought them back "
    "to the doctor's feelings about the patient.",
    "I spoke too early after the presentation and the questions became a history-taking. Next time "
    "I will wait and let the silence work.",
    "The push-back went well: the presenter could listen without defending. I noticed my own wish "
    "to rescue the presenter and held back.",
    "My co-leader and I had not agreed who would close the group; we talked it through afterwards.",
    "A member kept returning to guidelines. I named it gently as a way of managing anxiety, which "
    "opened the discussion.",
    "Quiet group tonight. I tried to protect the presenter while inviting the two silent members in.",
    "We kept to time and the return phase had room; the presenter said the group had changed how "
    "she saw the consultation.",
    "I felt pulled into teaching when asked about medication. I noticed it and returned the question "
    "to the group.",
]

SUPERVISION_NOTES = [
    "How I hold the boundary when members arrive late.",
    "Working with a co-leader who is more experienced than me.",
    "Listening to a recording of my last session: my interventions in the push-back phase.",
    "Dealing with a dominant member without shaming them.",
    "Endings: closing the group on time when the discussion is still lively.",
    "How to introduce Balint work to a new group of foundation doctors.",
]


@dataclass(frozen=True)
class Plan:
    """The shape of one demo logbook."""

    trainee: str
    sessions: int
    months: int
    supervision: int
    pending: int  # the newest records, still awaiting a signature
    returned: int
    drafts: int
    events: tuple[tuple[str, str, str, int, int], ...]  # kind, title, provider, months ago, days
    observers: tuple[str, ...]


PLANS = [
    Plan(
        "trainee@demo.test",
        sessions=42,
        months=24,
        supervision=14,
        pending=3,
        returned=1,
        drafts=1,
        events=(
            ("leadership-workshop", "Leadership weekend for new leaders", "Demo Balint Society", 16, 2),
            ("leadership-workshop", "Second leadership workshop", "Demo Balint Society", 7, 2),
        ),
        observers=("supervisor2@demo.test",),
    ),
    Plan(
        "trainee4@demo.test",
        sessions=48,
        months=24,
        supervision=18,
        pending=2,
        returned=1,
        drafts=0,
        events=(
            ("leadership-workshop", "Leadership weekend for new leaders", "Demo Balint Society", 20, 2),
            ("leadership-workshop", "Leading Balint groups: deepening", "Demo Balint Society", 11, 2),
            (
                "international-workshop",
                "International leadership workshop",
                "International Balint Federation",
                5,
                3,
            ),
        ),
        observers=("supervisor@demo.test", "supervisor2@demo.test"),
    ),
    Plan(
        "trainee3@demo.test",
        sessions=14,
        months=9,
        supervision=4,
        pending=2,
        returned=0,
        drafts=1,
        events=(),
        observers=(),
    ),
    Plan(
        "trainee2@demo.test",
        sessions=2,
        months=1,
        supervision=0,
        pending=0,
        returned=0,
        drafts=1,
        events=(),
        observers=(),
    ),
]


def load(users: dict, associations: dict) -> None:
    """``users`` maps demo e-mail to User, ``associations`` maps slug to Association."""
    association: Association = associations["demo"]
    admin = users["admin@demo.test"]
    for email in ("supervisor@demo.test", "supervisor2@demo.test"):
        _accreditation(association, users[email], admin)
    for plan in PLANS:
        enrolment = db.session.scalar(
            select(Enrolment).where(
                Enrolment.association_id == association.id, Enrolment.trainee_id == users[plan.trainee].id
            )
        )
        if enrolment is None or db.session.scalar(
            select(LogbookRecord.id).where(LogbookRecord.enrolment_id == enrolment.id).limit(1)
        ):
            continue
        _logbook(plan, enrolment, users)
    db.session.flush()


def _accreditation(association: Association, supervisor: User, admin: User) -> None:
    exists = db.session.scalar(
        select(SupervisorAccreditation.id).where(
            SupervisorAccreditation.association_id == association.id,
            SupervisorAccreditation.supervisor_id == supervisor.id,
        )
    )
    if not exists:
        today = date.today()
        db.session.add(
            SupervisorAccreditation(
                association_id=association.id,
                supervisor_id=supervisor.id,
                valid_from=today.replace(year=today.year - 4, day=1),
                valid_until=today.replace(year=today.year + 2, day=1),
                note="Accredited leader and supervisor",
                granted_by_id=admin.id,
            )
        )


def _session_dates(count: int, months: int, rng: random.Random) -> list[date]:
    """Roughly evenly spread over the period, on weekday evenings, never in the future."""
    today = date.today()
    start = today - timedelta(days=30 * months)
    span = (today - timedelta(days=3) - start).days
    days = sorted(start + timedelta(days=int(span * (i + rng.random() * 0.6) / count)) for i in range(count))
    return [d if d.weekday() < 5 else d - timedelta(days=d.weekday() - 3) for d in days]


def _role(position: float) -> str:
    if position < 0.3:
        return "member" if position < 0.2 else "presenter"
    return "co-leader" if position < 0.8 else "leader"


def _logbook(plan: Plan, enrolment: Enrolment, users: dict[str, User]) -> None:
    rng = random.Random(plan.trainee)  # noqa: S311  (demo data, not secrets: the same demo every time)
    trainee = users[plan.trainee]
    supervisors = enrolment.supervisors
    base = {"association_id": enrolment.association_id, "enrolment_id": enrolment.id, "author_id": trainee.id}
    records: list[LogbookRecord] = []
    for index, day in enumerate(_session_dates(plan.sessions, plan.months, rng)):
        role = _role(index / max(plan.sessions, 1))
        leading = role in ("co-leader", "leader")
        category, setting = SETTINGS[rng.randrange(len(SETTINGS))] if leading else SETTINGS[0]
        kind = (
            "ongoing" if index % 9 else rng.choice(["residential-weekend", "intensive", "study-conference"])
        )
        named_user = role == "co-leader" and index % 3 == 0
        record = SessionRecord(
            **base,
            occurred_on=day,
            role=role,
            minutes=rng.choice([60, 75, 90, 90, 90, 120]),
            mode="online" if index % 4 == 1 else "in-person",
            group_kind=kind,
            setting_category=category,
            setting=setting,
            members=rng.randint(6, 12),
            cases=rng.choice([1, 1, 2, 2, 3]) if kind != "large-group" else 1,
            co_leader_id=users["supervisor2@demo.test"].id if named_user else None,
            co_leader_name="" if named_user or role != "co-leader" else "Dr Helen Marsh",
            is_co_leader_accredited=role == "co-leader",
            reflection=rng.choice(REFLECTIONS) if leading else "",
        )
        record.phases = ["opening", "presentation", "questions", "push-back", "return", "closing"]
        records.append(record)
    for index in range(plan.supervision):
        day = date.today() - timedelta(
            days=int(30 * plan.months * (1 - (index + 0.5) / plan.supervision) * 0.6) + 5
        )
        records.append(
            SupervisionRecord(
                **base,
                occurred_on=day,
                minutes=rng.choice([45, 60, 60, 90]),
                mode="individual" if index % 4 else "group",
                channel=["in-person", "online", "phone"][index % 3],
                supervisor_id=supervisors[index % len(supervisors)].id,
                has_recording=index % 5 == 2,
                notes=rng.choice(SUPERVISION_NOTES),
            )
        )
    for kind, title, provider, months_ago, days in plan.events:
        start = date.today() - timedelta(days=30 * months_ago)
        records.append(
            TrainingEvent(
                **base,
                occurred_on=start,
                ends_on=start + timedelta(days=days - 1),
                days=days,
                event_kind=kind,
                title=title,
                provider=provider,
            )
        )
    for number, email in enumerate(plan.observers):
        observer = users[email]
        records.append(
            Observation(
                association_id=enrolment.association_id,
                enrolment_id=enrolment.id,
                author_id=observer.id,
                observer_id=observer.id,
                occurred_on=date.today() - timedelta(days=60 + 150 * number),
                setting="Ongoing GP trainee group, in person",
                outcome="satisfactory",
                report=(
                    "The trainee opened the group clearly and protected the presenter during the push-back. "
                    "The focus stayed on the doctor-patient relationship; the ending was a little rushed."
                ),
            )
        )
    records.sort(key=lambda r: r.occurred_on)
    db.session.add_all(records)
    db.session.flush()
    _settle(records, plan, supervisors, trainee, rng)


def _settle(
    records: list[LogbookRecord], plan: Plan, supervisors: list[User], trainee: User, rng: random.Random
) -> None:
    """Give the history its statuses: the newest few in play, everything before signed."""
    in_play = [r for r in records if not isinstance(r, Observation)]
    drafts = in_play[len(in_play) - plan.drafts :] if plan.drafts else []
    pending = in_play[len(in_play) - plan.drafts - plan.pending : len(in_play) - plan.drafts]
    returned = in_play[
        len(in_play) - plan.drafts - plan.pending - plan.returned : len(in_play) - plan.drafts - plan.pending
    ]
    now = datetime.now(UTC)
    for record in records:
        submitted_at = _moment(record.occurred_on + timedelta(days=rng.randint(0, 3)), now)
        if record in drafts:
            continue
        record.submitted_at = submitted_at
        if record in pending:
            record.status = RecordStatus.SUBMITTED.value
            continue
        if record in returned:
            record.status = RecordStatus.RETURNED.value
            record.returned_at = min(submitted_at + timedelta(days=2), now)
            record.returned_by_id = supervisors[0].id
            record.return_comment = (
                "Please add the number of cases discussed and say more about your own leading."
            )
            continue
        if isinstance(record, Observation):
            signer_id = record.observer_id
        elif isinstance(record, SupervisionRecord):
            signer_id = record.supervisor_id
        else:
            signer_id = supervisors[record.id % len(supervisors)].id
        record.status = RecordStatus.SIGNED.value
        record.signer_id = signer_id
        record.signed_at = min(submitted_at + timedelta(days=rng.randint(1, 6)), now)
        record.content_hash = record.compute_hash()
        if isinstance(record, SessionRecord) and record.co_leader_id and record.id % 4:
            db.session.add(
                CoLeaderConfirmation(
                    record_id=record.id,
                    user_id=record.co_leader_id,
                    content_hash=record.content_hash,
                    confirmed_at=record.signed_at - timedelta(hours=2),
                )
            )
    db.session.flush()
    for record in pending:
        news.submitted(record, trainee)
    for record in returned:
        news.returned(record, supervisors[0])


def _moment(day: date, now: datetime) -> datetime:
    return min(datetime.combine(day, time(19, 30), tzinfo=UTC), now)

"""Demo groups: two groups with a season of held sessions each and one planned.

Made through the services, so closing each held session wrote its leaders' (and the
enrolled member's) logbook records, submitted for sign-off, exactly as a leader's close
would. Only the phase times are written directly: the run sheet takes times from the last
day (a phone replaying), and a season lies further back. Idempotent: a group that exists
by name is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.accounts.models import Association, User
from app.extensions import db
from app.groups import closing, process_notes, services, sessions
from app.groups.models import Group, SessionPhase
from app.groups.services import GroupInput, LeaderInput

#: Minutes into a 90-minute session at which each phase began, and its end.
COURSE = (("opening", 0), ("presentation", 6), ("questions", 21), ("push-back", 29), ("return", 76))
END = 90


@dataclass(frozen=True)
class DemoGroup:
    data: GroupInput
    leaders: tuple[tuple[str, str, bool], ...]  # e-mail, role, accredited
    members: tuple[tuple[str, str], ...]  # name, e-mail (a demo login links the account)
    held: int
    every_days: int
    starts_at: time
    mode: str
    briefings: tuple[str, ...]  # per held session, "" for none


def _groups(today: date) -> list[DemoGroup]:
    return [
        DemoGroup(
            data=GroupInput(
                name="Tuesday GP group",
                setting_category="primary-care",
                format="in-person",
                kind="ongoing",
                rhythm="fortnightly",
                starts_on=today - timedelta(days=120),
                setting="GP trainees, city practice",
                profession_mix="GP trainees and practice nurses",
            ),
            leaders=(("trainee3@demo.test", "leader", False), ("trainee4@demo.test", "co-leader", False)),
            members=(
                ("Teo Novak", "trainee2@demo.test"),
                ("Amira Haddad", "amira.haddad@example.org"),
                ("Ben Okafor", "ben.okafor@example.org"),
                ("Clara Lind", "clara.lind@example.org"),
                ("Dev Mehta", "dev.mehta@example.org"),
                ("Elena Rossi", "elena.rossi@example.org"),
                ("Finn Byrne", "finn.byrne@example.org"),
            ),
            held=6,
            every_days=14,
            starts_at=time(18, 30),
            mode="in-person",
            briefings=("full", "short", "", "new-members", "short", ""),
        ),
        DemoGroup(
            data=GroupInput(
                name="Hospital group online",
                setting_category="hospital",
                format="online",
                kind="ongoing",
                rhythm="monthly",
                starts_on=today - timedelta(days=150),
                setting="Foundation doctors across three hospitals",
                profession_mix="Foundation doctors",
            ),
            leaders=(("trainee@demo.test", "leader", False), ("supervisor2@demo.test", "co-leader", True)),
            members=(
                ("Grace Adeyemi", "grace.adeyemi@example.org"),
                ("Hugo Marin", "hugo.marin@example.org"),
                ("Ines Duarte", "ines.duarte@example.org"),
                ("Jakub Nowak", "jakub.nowak@example.org"),
                ("Kira Sato", "kira.sato@example.org"),
            ),
            held=4,
            every_days=28,
            starts_at=time(19, 0),
            mode="online",
            briefings=("online", "short", "short", "online"),
        ),
    ]


#: A leader's process note, as a trainee might write one after a session.
DEMO_NOTE = process_notes.NoteInput(
    positions={
        "automatic-controlled": -1,
        "self-other": 1,
        "external-internal": -1,
        "affective-cognitive": 0,
    },
    movements={
        "automatic-controlled": "The questions came quickly and the group started giving advice early.",
        "external-internal": "For a while we talked only about what was done, not what anyone wanted.",
    },
    leader_actions=(
        "I asked what the patient might have been hoping for when she came back a third time. "
        "The group slowed down, and two members spoke about their own irritation."
    ),
    for_supervision="I stepped in sooner than I meant to when the presenter looked uncomfortable.",
)


def load(users: dict[str, User], associations: dict[str, Association]) -> None:
    """``users`` maps demo e-mail to User, ``associations`` maps slug to Association."""
    association = associations["demo"]
    admin = users["admin@demo.test"]
    today = date.today()
    for demo in _groups(today):
        exists = db.session.scalar(
            select(Group.id).where(Group.association_id == association.id, Group.name == demo.data.name)
        )
        if not exists:
            _group(demo, association.id, admin, users, today)
    db.session.flush()


def _group(demo: DemoGroup, association_id: int, admin: User, users: dict[str, User], today: date) -> None:
    leaders = [LeaderInput(users[email].id, role, accredited) for email, role, accredited in demo.leaders]
    group = services.create_group(admin, association_id, demo.data, leaders)
    leader = users[demo.leaders[0][0]]
    members = [
        services.add_member(leader, association_id, group.id, name, email, demo.data.starts_on)
        for name, email in demo.members
    ]
    first = today - timedelta(days=demo.every_days * demo.held)
    for index in range(demo.held):
        day = first + timedelta(days=demo.every_days * index)
        plan = sessions.PlanInput(day, demo.starts_at, 90, demo.mode)
        session = sessions.plan_session(leader, association_id, group.id, plan)
        if demo.briefings[index]:
            sessions.record_briefing(leader, association_id, session.id, demo.briefings[index])
        begins = datetime.combine(day, demo.starts_at, tzinfo=UTC)
        for position, (phase, minute) in enumerate(COURSE):
            until = COURSE[position + 1][1] if position + 1 < len(COURSE) else END
            session.phases.append(
                SessionPhase(
                    phase=phase,
                    started_at=begins + timedelta(minutes=minute + index % 3),
                    ended_at=begins + timedelta(minutes=until + index % 3),
                )
            )
        # Everyone but one or two, in turn; in the online group everyone is online.
        marks = {
            member.id: "absent"
            if (position + index) % 5 == 4
            else ("online" if demo.mode == "online" else "room")
            for position, member in enumerate(members)
        }
        sessions.take_attendance(leader, association_id, session.id, marks)
        closing.close_session(leader, association_id, session.id, cases=1 + index % 2, minutes=90)
        if index == demo.held - 1:  # the leader's note on the latest session
            process_notes.save_note(leader, association_id, session.id, DEMO_NOTE)
    upcoming = today + timedelta(days=7)  # the next one, planned and not yet run
    sessions.plan_session(
        leader, association_id, group.id, sessions.PlanInput(upcoming, demo.starts_at, 90, demo.mode)
    )

"""Groups: creating them with their leaders, keeping their member lists, and who sees what.

An association's admins create a group and name its leaders and co-leaders (users of
the association: trainees, or accredited leaders). The leaders keep the member list
and run the sessions (``app.groups.sessions``). Supervisors of a leader may read the
group; everyone else of the association is refused (403) and other associations never
learn it exists (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts.models import Membership, Role, User
from app.audit.services import record as audit
from app.errors import NotFound
from app.extensions import db
from app.groups.kinds import GroupFormat, GroupKind, LeaderRole, Rhythm
from app.groups.models import Group, GroupLeader, GroupMember
from app.logbook.kinds import SettingCategory
from app.logbook.validation import Problems
from app.pagination import Page, paginate
from app.privacy.guard import guard_free_text
from app.programmes.models import Enrolment, enrolment_supervisor

MAX_LEADERS = 4


@dataclass(frozen=True)
class GroupInput:
    name: str
    setting_category: str
    format: str
    kind: str
    rhythm: str
    starts_on: date | None
    ends_on: date | None = None
    setting: str = ""
    profession_mix: str = ""


@dataclass(frozen=True)
class LeaderInput:
    user_id: int
    role: str
    is_accredited: bool = False


# --- who sees a group -------------------------------------------------------------------


def supervises_any(actor: User, trainee_ids: list[int], association_id: int) -> bool:
    """Whether the actor is an assigned supervisor of any of these people in the association:
    the one question behind who reads a group, a process note, feedback or an observation."""
    if not trainee_ids:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    enrolment_supervisor.c.enrolment_id == Enrolment.id,
                    enrolment_supervisor.c.supervisor_id == actor.id,
                    Enrolment.trainee_id.in_(trainee_ids),
                    Enrolment.association_id == association_id,
                )
            )
        )
    )


def supervised_ids(actor: User, association_id: int):
    """The ids of the people the actor supervises in the association, as a subquery: the
    set-based twin of ``supervises_any``, for lists."""
    return (
        select(Enrolment.trainee_id)
        .join(enrolment_supervisor, enrolment_supervisor.c.enrolment_id == Enrolment.id)
        .where(enrolment_supervisor.c.supervisor_id == actor.id, Enrolment.association_id == association_id)
    )


def supervises_a_leader(actor: User, group: Group) -> bool:
    """Whether the actor is an assigned supervisor of one of the group's leaders."""
    return supervises_any(actor, [leader.user_id for leader in group.leaders], group.association_id)


def get_group(actor: User, association_id: int, group_id: int) -> Group:
    """A group the actor may read; another association's group reads as not found."""
    if not policy.is_member(actor, association_id):
        raise NotFound(_("No such group."))
    group = db.session.scalar(
        select(Group)
        .where(Group.id == group_id)
        .options(
            selectinload(Group.leaders).joinedload(GroupLeader.user),
            selectinload(Group.members),
        )
    )
    if group is None or group.association_id != association_id:
        raise NotFound(_("No such group."))
    policy.require_view_group(actor, group, supervises_a_leader(actor, group))
    return group


def runnable_group(actor: User, association_id: int, group_id: int) -> Group:
    """A group whose sessions and members the actor looks after (its leaders)."""
    group = get_group(actor, association_id, group_id)
    policy.require_run_group(actor, group)
    return group


def groups_query(actor: User, association_id: int):
    """Admins see every group; leaders theirs; supervisors those their trainees lead."""
    policy.require_member(actor, association_id)
    query = select(Group).where(Group.association_id == association_id)
    if not policy.is_admin(actor, association_id):
        leads = select(GroupLeader.group_id).where(GroupLeader.user_id == actor.id)
        supervised = (
            select(GroupLeader.group_id)
            .join(Enrolment, Enrolment.trainee_id == GroupLeader.user_id)
            .join(enrolment_supervisor, enrolment_supervisor.c.enrolment_id == Enrolment.id)
            .where(
                enrolment_supervisor.c.supervisor_id == actor.id,
                Enrolment.association_id == association_id,
            )
        )
        conditions = [Group.id.in_(leads)]
        if policy.is_supervisor(actor, association_id):
            conditions.append(Group.id.in_(supervised))
        query = query.where(or_(*conditions))
    return query.options(selectinload(Group.leaders).joinedload(GroupLeader.user))


def list_groups(actor: User, association_id: int, *, page: int = 1) -> Page:
    """The groups the actor may read, most recently started first."""
    query = groups_query(actor, association_id).order_by(Group.starts_on.desc(), Group.id.desc())
    return paginate(query, page=page)


def leader_candidates(actor: User, association_id: int) -> list[User]:
    """Trainees and supervisors of the association: the people who can lead a group."""
    policy.require_manage_groups(actor, association_id)
    people = select(Membership.user_id).where(
        Membership.association_id == association_id,
        Membership.is_active.is_(True),
        Membership.role.in_([Role.TRAINEE.value, Role.SUPERVISOR.value]),
    )
    return list(
        db.session.scalars(
            select(User).where(User.id.in_(people), User.is_enabled.is_(True)).order_by(func.lower(User.name))
        )
    )


# --- creating a group ---------------------------------------------------------------------


def _choice(problems: Problems, name: str, value: str, kind: type) -> None:
    if value not in {member.value for member in kind}:
        problems.add(name, _("Choose one of the options."))


def check_group(data: GroupInput, leaders: list[LeaderInput], candidate_ids: set[int]) -> None:
    problems = Problems()
    if not data.name.strip():
        problems.add("name", _("Give the group a name."))
    elif len(data.name) > 120:
        problems.add("name", _("Keep the name under 120 characters."))
    _choice(problems, "setting_category", data.setting_category, SettingCategory)
    _choice(problems, "format", data.format, GroupFormat)
    _choice(problems, "kind", data.kind, GroupKind)
    _choice(problems, "rhythm", data.rhythm, Rhythm)
    for name in ("setting", "profession_mix"):
        if len(getattr(data, name)) > 200:
            problems.add(name, _("Keep this under 200 characters."))
    if data.starts_on is None:
        problems.add("starts_on", _("Enter the day the group starts."))
    elif data.ends_on is not None and data.ends_on < data.starts_on:
        problems.add("ends_on", _("The group cannot end before it starts."))
    ids = [leader.user_id for leader in leaders]
    if not any(leader.role == LeaderRole.LEADER for leader in leaders):
        problems.add("leader_id", _("Name the group's leader."))
    if len(set(ids)) != len(ids):
        problems.add("co_leader_ids", _("Name each person once."))
    if len(ids) > MAX_LEADERS:
        problems.add("co_leader_ids", _("A group has at most %(n)d leaders.", n=MAX_LEADERS))
    if any(user_id not in candidate_ids for user_id in ids):
        problems.add(
            "leader_id", _("Choose leaders from the list: trainees and supervisors of the association.")
        )
    problems.raise_if_any()


def create_group(
    actor: User,
    association_id: int,
    data: GroupInput,
    leaders: list[LeaderInput],
    *,
    privacy_confirmed: bool = False,
) -> Group:
    """A new group with its leaders (admins only)."""
    candidates = {user.id for user in leader_candidates(actor, association_id)}
    check_group(data, leaders, candidates)
    guard_free_text(
        {"setting": data.setting, "profession_mix": data.profession_mix},
        is_confirmed=privacy_confirmed,
        actor=actor,
        association_id=association_id,
    )
    group = Group(
        association_id=association_id,
        name=data.name.strip(),
        setting_category=data.setting_category,
        setting=data.setting.strip(),
        profession_mix=data.profession_mix.strip(),
        format=data.format,
        kind=data.kind,
        rhythm=data.rhythm,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by_id=actor.id,
        leaders=[
            GroupLeader(user_id=leader.user_id, role=leader.role, is_accredited=leader.is_accredited)
            for leader in leaders
        ],
    )
    db.session.add(group)
    db.session.flush()
    audit(
        "group.created",
        group,
        actor=actor,
        leaders=[{"user_id": leader.user_id, "role": leader.role} for leader in leaders],
    )
    return group


# --- members ---------------------------------------------------------------------------------


def add_member(
    actor: User, association_id: int, group_id: int, name: str, email: str, joined_on: date | None
) -> GroupMember:
    """A participant by name and e-mail; linked to their account when they have one here."""
    group = get_group(actor, association_id, group_id)
    if not (policy.can_run_group(actor, group) or policy.is_admin(actor, association_id)):
        policy.require_run_group(actor, group)
    problems = Problems()
    name = name.strip()
    if not name:
        problems.add("name", _("Enter the member's name."))
    elif len(name) > 120:
        problems.add("name", _("Keep the name under 120 characters."))
    try:
        testing = current_app.config.get("ENV_NAME") != "production"  # demo.test addresses, as in forms
        address = validate_email(
            email.strip(), check_deliverability=False, test_environment=testing
        ).normalized.lower()
    except EmailNotValidError:
        address = ""
        problems.add("email", _("Enter a valid e-mail address."))
    if address and any(member.email == address for member in group.members):
        problems.add("email", _("This person is already a member of the group."))
    if joined_on is None:
        problems.add("joined_on", _("Enter the day they joined."))
    problems.raise_if_any()
    user_id = db.session.scalar(
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            func.lower(User.email) == address,
            Membership.association_id == association_id,
            Membership.is_active.is_(True),
        )
        .limit(1)
    )
    member = GroupMember(group_id=group.id, name=name, email=address, user_id=user_id, joined_on=joined_on)
    group.members.append(member)
    db.session.flush()
    audit("group.member_added", group, actor=actor, member_id=member.id, has_account=user_id is not None)
    return member

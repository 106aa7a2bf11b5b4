"""API operations of groups and sessions, on the API blueprint of ``app.api.core``: list and
read groups and their sessions, plan a session, record attendance, close it.

Each calls the same service as the pages, so the API refuses and allows exactly what
they do; models are in ``app.groups.api_schemas``.
"""

from __future__ import annotations

from sqlalchemy import select

from app.api.core import current_association_id, current_user, cursor_query, operation
from app.groups import api_schemas as s
from app.groups import closing, services, sessions
from app.groups.models import Group, GroupSession


def _leaders(leaders) -> list[dict]:
    return [
        {"user_id": l.user_id, "name": l.user.name, "role": l.role, "is_accredited": l.is_accredited}
        for l in leaders  # noqa: E741
    ]


def group_out(group: Group) -> dict:
    return {
        "id": group.id,
        "name": group.name,
        "setting_category": group.setting_category,
        "setting": group.setting,
        "profession_mix": group.profession_mix,
        "format": group.format,
        "kind": group.kind,
        "rhythm": group.rhythm,
        "starts_on": group.starts_on,
        "ends_on": group.ends_on,
        "leaders": _leaders(group.leaders),
        "members": [
            {"id": m.id, "name": m.name, "has_account": m.user_id is not None, "joined_on": m.joined_on}
            for m in group.members
        ],
    }


def session_out(session: GroupSession) -> dict:
    return {
        "id": session.id,
        "group_id": session.group_id,
        "status": session.status,
        "held_on": session.held_on,
        "starts_at": session.starts_at,
        "planned_minutes": session.planned_minutes,
        "mode": session.mode,
        "is_briefing_given": session.is_briefing_given,
        "briefing_version": session.briefing_version,
        "cases": session.cases,
        "minutes": session.minutes,
        "closed_at": session.closed_at,
        "leaders": _leaders(session.leaders),
        "phases": session.phases,
        "attendance": session.attendance,
        "records": session.record_links,
    }


@operation(
    "/groups",
    "GET",
    summary="Groups the caller may read",
    tag="groups",
    query=s.ListQuery,
    response=s.GroupList,
)
def list_groups(query: s.ListQuery):
    """Admins see every group; leaders theirs; supervisors those their trainees lead. Newest first."""
    stmt = services.groups_query(current_user(), current_association_id())
    page = cursor_query(stmt, Group.id, query.cursor, query.limit)
    return {"items": [group_out(g) for g in page["items"]], "next_cursor": page["next_cursor"]}


@operation("/groups/<int:group_id>", "GET", summary="One group", tag="groups", response=s.GroupOut)
def get_group(group_id: int):
    return group_out(services.get_group(current_user(), current_association_id(), group_id))


@operation(
    "/groups/<int:group_id>/sessions",
    "GET",
    summary="A group's sessions",
    tag="groups",
    query=s.GroupSessionQuery,
    response=s.GroupSessionList,
)
def list_sessions(group_id: int, query: s.GroupSessionQuery):
    """Newest first; filter by `status`."""
    group = services.get_group(current_user(), current_association_id(), group_id)
    stmt = select(GroupSession).where(GroupSession.group_id == group.id)
    if query.status:
        stmt = stmt.where(GroupSession.status == query.status)
    page = cursor_query(stmt, GroupSession.id, query.cursor, query.limit)
    return {"items": [session_out(x) for x in page["items"]], "next_cursor": page["next_cursor"]}


@operation(
    "/group-sessions/<int:session_id>", "GET", summary="One session", tag="groups", response=s.GroupSessionOut
)
def get_session(session_id: int):
    return session_out(sessions.get_session(current_user(), current_association_id(), session_id))


@operation(
    "/groups/<int:group_id>/sessions",
    "POST",
    summary="Plan a session (the group's leaders)",
    tag="groups",
    body=s.GroupSessionIn,
    response=s.GroupSessionOut,
    status=201,
    is_idempotent=True,
)
def plan_session(group_id: int, body: s.GroupSessionIn):
    data = sessions.PlanInput(
        held_on=body.held_on, starts_at=body.starts_at, planned_minutes=body.planned_minutes, mode=body.mode
    )
    return session_out(sessions.plan_session(current_user(), current_association_id(), group_id, data))


@operation(
    "/group-sessions/<int:session_id>/attendance",
    "PUT",
    summary="Record attendance (the group's leaders, before closing)",
    tag="groups",
    body=s.GroupAttendanceIn,
    response=s.GroupSessionOut,
)
def record_attendance(session_id: int, body: s.GroupAttendanceIn):
    """A closed session is final: 409."""
    marks = {
        m.member_id: ("online" if m.is_online else "room") if m.is_present else "absent" for m in body.marks
    }
    user, association_id = current_user(), current_association_id()
    sessions.take_attendance(user, association_id, session_id, marks)
    return session_out(sessions.get_session(user, association_id, session_id))


@operation(
    "/group-sessions/<int:session_id>/closure",
    "POST",
    summary="Close a held session; writes the leaders' logbook records",
    tag="groups",
    body=s.SessionClosureIn,
    response=s.SessionClosureOut,
)
def close_session(session_id: int, body: s.SessionClosureIn):
    """Final: each leader's and co-leader's logbook record (and an enrolled member's) is
    written from the session and submitted for sign-off. Closing twice is a conflict (409)."""
    user, association_id = current_user(), current_association_id()
    written = closing.close_session(user, association_id, session_id, cases=body.cases, minutes=body.minutes)
    return {
        "session": session_out(sessions.get_session(user, association_id, session_id)),
        "written": [vars(item) for item in written],
    }

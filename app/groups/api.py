"""API operations of groups and sessions, on the API blueprint of ``app.api.core``: list and
read groups and their sessions, plan a session, record attendance, close it; list, read and
give co-leader feedback; list and read observation reports, ask for an observer, sign; choose
a member's participant rule set; read members' answers and resolve an "I was not there".

Each calls the same service as the pages, so the API refuses and allows exactly what
they do; models are in ``app.groups.api_schemas``.
"""

from __future__ import annotations

from sqlalchemy import select

from app.api.core import current_association_id, current_user, cursor_query, operation
from app.groups import api_schemas as s
from app.groups import (
    attendance_answers,
    closing,
    feedback,
    observation,
    participant_rule_sets,
    services,
    sessions,
)
from app.groups.models import AttendanceAnswer, CoLeaderFeedback, Group, GroupSession, ObservationReport


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
            {
                "id": m.id,
                "name": m.name,
                "has_account": m.user_id is not None,
                "joined_on": m.joined_on,
                "rule_set": m.rule_set,
            }
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


# --- co-leader feedback -------------------------------------------------------------------


def _person(user) -> dict:
    return {"id": user.id, "name": user.name}


def feedback_out(given: CoLeaderFeedback) -> dict:
    return {
        "id": given.id,
        "session_id": given.session_id,
        "author": _person(given.author),
        "recipient": _person(given.recipient),
        "ratings": given.ratings,
        "went_well": given.went_well,
        "to_try": given.to_try,
        "signed_at": given.signed_at,
    }


@operation(
    "/co-leader-feedback",
    "GET",
    summary="Co-leader feedback the caller may read",
    tag="groups",
    query=s.SessionFilterQuery,
    response=s.CoLeaderFeedbackList,
)
def list_co_leader_feedback(query: s.SessionFilterQuery):
    """What the caller gave or received, and as a supervisor what their trainees gave or
    received; admins read none of it. Newest first; filter by `session_id`."""
    stmt = feedback.feedback_query(current_user(), current_association_id(), session_id=query.session_id)
    page = cursor_query(stmt, CoLeaderFeedback.id, query.cursor, query.limit)
    return {"items": [feedback_out(x) for x in page["items"]], "next_cursor": page["next_cursor"]}


@operation(
    "/co-leader-feedback/<int:feedback_id>",
    "GET",
    summary="One co-leader feedback",
    tag="groups",
    response=s.CoLeaderFeedbackOut,
)
def get_co_leader_feedback(feedback_id: int):
    """Its author, its recipient and a supervisor of either; 404 to anyone else."""
    return feedback_out(feedback.get_feedback(current_user(), current_association_id(), feedback_id))


@operation(
    "/group-sessions/<int:session_id>/co-leader-feedback",
    "POST",
    summary="Give and sign feedback to another leader of a closed session",
    tag="groups",
    body=s.CoLeaderFeedbackIn,
    response=s.CoLeaderFeedbackOut,
    status=201,
)
def give_co_leader_feedback(session_id: int, body: s.CoLeaderFeedbackIn):
    """Signed at once and final. Once per session and recipient: a second time is a
    conflict (409); an open session too (409)."""
    given = feedback.give_feedback(
        current_user(),
        current_association_id(),
        session_id,
        body.recipient_id,
        feedback.FeedbackInput(ratings=body.ratings, went_well=body.went_well, to_try=body.to_try),
        privacy_confirmed=body.privacy_confirmed,
    )
    return feedback_out(given)


# --- observation reports --------------------------------------------------------------------


def report_out(report: ObservationReport) -> dict:
    return {
        "id": report.id,
        "session_id": report.session_id,
        "trainee": _person(report.trainee),
        "observer": _person(report.observer),
        "observer_status": report.observer_status,
        "assigned_at": report.assigned_at,
        "ratings": report.ratings,
        "evidence": report.evidence,
        "outcome": report.outcome,
        "narrative": report.narrative,
        "signed_at": report.signed_at,
        "record_id": report.record_id,
    }


@operation(
    "/observation-reports",
    "GET",
    summary="Observation reports the caller may read",
    tag="groups",
    query=s.SessionFilterQuery,
    response=s.ObservationReportList,
)
def list_observation_reports(query: s.SessionFilterQuery):
    """Admins read all; an observer and a trainee theirs; supervisors their trainees'.
    Newest first; filter by `session_id`."""
    stmt = observation.reports_query(current_user(), current_association_id(), session_id=query.session_id)
    page = cursor_query(stmt, ObservationReport.id, query.cursor, query.limit)
    return {"items": [report_out(x) for x in page["items"]], "next_cursor": page["next_cursor"]}


@operation(
    "/observation-reports/<int:report_id>",
    "GET",
    summary="One observation report",
    tag="groups",
    response=s.ObservationReportOut,
)
def get_observation_report(report_id: int):
    """Its observer, its trainee, the trainee's supervisors and admins; 404 to anyone else."""
    return report_out(observation.get_report(current_user(), current_association_id(), report_id))


@operation(
    "/group-sessions/<int:session_id>/observation-reports",
    "POST",
    summary="Ask a supervisor to observe a leader of the session",
    tag="groups",
    body=s.ObserverIn,
    response=s.ObservationReportOut,
    status=201,
)
def assign_observer(session_id: int, body: s.ObserverIn):
    """An admin, or the trainee who leads the session (for themselves). One observer per
    leader and session: a second is a conflict (409)."""
    report = observation.assign_observer(
        current_user(),
        current_association_id(),
        session_id,
        trainee_id=body.trainee_id,
        observer_id=body.observer_id,
        observer_status=body.observer_status,
    )
    return report_out(report)


@operation(
    "/observation-reports/<int:report_id>/signature",
    "POST",
    summary="Fill in and sign an observation report (its observer)",
    tag="groups",
    body=s.ObservationSignatureIn,
    response=s.ObservationReportOut,
)
def sign_observation_report(report_id: int, body: s.ObservationSignatureIn):
    """Final: writes the trainee's logbook observation, signed by the observer. A signed
    report is a conflict (409)."""
    data = observation.ReportInput(
        ratings=body.ratings, evidence=body.evidence, outcome=body.outcome, narrative=body.narrative
    )
    report = observation.sign_report(
        current_user(), current_association_id(), report_id, data, privacy_confirmed=body.privacy_confirmed
    )
    return report_out(report)


# --- participant rule sets and members' answers ---------------------------------------------


@operation(
    "/participant-rule-sets",
    "GET",
    summary="The participant rule sets a member may choose",
    tag="groups",
    response=s.ParticipantRuleSetList,
)
def list_participant_rule_sets():
    """The same for everyone: presets in the programmes folder, the default first."""
    items = [{"name": n, "title": t} for n, t in participant_rule_sets.choices()]
    return {"items": items, "next_cursor": None}


@operation(
    "/groups/<int:group_id>/members/<int:member_id>/rule-set",
    "PUT",
    summary="Record the participant rule set a member chose (the group's leaders)",
    tag="groups",
    body=s.MemberRuleSetIn,
    response=s.MemberRuleSetOut,
)
def choose_member_rule_set(group_id: int, member_id: int, body: s.MemberRuleSetIn):
    """A name not offered is refused (422); choosing the current one again changes nothing."""
    member = participant_rule_sets.choose(
        current_user(), current_association_id(), group_id, member_id, body.rule_set
    )
    return {
        "group_id": member.group_id,
        "member_id": member.id,
        "name": member.name,
        "rule_set": member.rule_set,
        "rule_set_title": participant_rule_sets.title_of(member.rule_set),
    }


def answer_out(answer: AttendanceAnswer) -> dict:
    return {
        "id": answer.id,
        "session_id": answer.session_id,
        "member_id": answer.member_id,
        "member_name": answer.member.name,
        "asked_at": answer.asked_at,
        "answer": answer.answer,
        "answered_at": answer.answered_at,
        "is_disputed": answer.is_disputed,
        "resolution": answer.resolution,
        "resolution_reason": answer.resolution_reason,
        "resolved_by": _person(answer.resolved_by) if answer.resolved_by else None,
        "resolved_at": answer.resolved_at,
    }


@operation(
    "/group-sessions/<int:session_id>/attendance-answers",
    "GET",
    summary="Members' answers to 'were you there?' on a session",
    tag="groups",
    response=s.AttendanceAnswerList,
)
def list_attendance_answers(session_id: int):
    """For the session's leaders and the association's admins; others who may read the
    session get an empty list, as on its page."""
    user = current_user()
    session = sessions.get_session(user, current_association_id(), session_id)
    answers = attendance_answers.answers_on(user, session)
    items = [answer_out(a) for a in sorted(answers.values(), key=lambda a: a.id)]
    return {"items": items, "next_cursor": None}


@operation(
    "/attendance-answers/<int:answer_id>/resolution",
    "POST",
    summary="Resolve a member's \"I was not there\" (the group's leaders)",
    tag="groups",
    body=s.AnswerResolutionIn,
    response=s.AttendanceAnswerOut,
)
def resolve_attendance_answer(answer_id: int, body: s.AnswerResolutionIn):
    """Once: a resolved answer, or one that is not a "not-there", is a conflict (409);
    keeping the record without a reason is refused (422)."""
    answer = attendance_answers.resolve(
        current_user(), current_association_id(), answer_id, body.resolution, body.reason
    )
    return answer_out(answer)

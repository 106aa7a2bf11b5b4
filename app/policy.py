"""Who may do what: the one module that answers it.

Services call the ``require_*`` functions right after loading an object; templates
call the ``can_*`` predicates to hide what a person may not do. Role strings are
compared here and nowhere else.

Memberships are looked up once per request and cached on ``flask.g``, so a page
that asks many questions still costs one query.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Association, Membership, Role, User
from app.errors import Forbidden
from app.extensions import db
from app.notifications.models import Notification
from app.statuslevels import permissions
from app.statuslevels.models import Permission


def roles_by_association(user: User | None) -> dict[int, frozenset[Role]]:
    """Every active role of ``user``, keyed by association id."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cache_key = f"_roles_{user.id}"
    if has_request_context() and cache_key in g:
        return g.get(cache_key)
    # One statement for what every page's frame needs: the roles, the associations (into
    # the session's identity map, so the current association costs no statement of its
    # own) and the navigation's count of unread notifications per association.
    unread = (
        select(func.count(Notification.id))
        .where(
            Notification.user_id == user.id,
            Notification.association_id == Membership.association_id,
            Notification.read_at.is_(None),
        )
        .correlate(Membership)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Membership.association_id, Membership.role, Association, unread)
        .join(Association, Association.id == Membership.association_id)
        .where(Membership.user_id == user.id, Membership.is_active.is_(True))
    )
    roles: dict[int, set[Role]] = {}
    associations, unread_counts = [], {}
    for association_id, role, association, count in rows:
        roles.setdefault(association_id, set()).add(Role(role))
        associations.append(association)
        unread_counts[association_id] = count
    result = {key: frozenset(value) for key, value in roles.items()}
    if has_request_context():
        setattr(g, cache_key, result)
        # The session's identity map holds objects weakly: keep them for the request.
        setattr(g, f"_associations_{user.id}", associations)
        for association_id, count in unread_counts.items():  # read by notifications.unread_count
            setattr(g, f"_unread_{user.id}_{association_id}", count)
    return result


def forget_roles(user: User) -> None:
    """Drop the per-request cache after a service changed this user's memberships."""
    if has_request_context():
        g.pop(f"_roles_{user.id}", None)


def roles_in(user: User | None, association_id: int | None) -> frozenset[Role]:
    if association_id is None:
        return frozenset()
    return roles_by_association(user).get(association_id, frozenset())


def is_member(user: User | None, association_id: int | None) -> bool:
    return bool(roles_in(user, association_id))


def is_admin(user: User | None, association_id: int | None) -> bool:
    return Role.ADMIN in roles_in(user, association_id)


def is_supervisor(user: User | None, association_id: int | None) -> bool:
    return Role.SUPERVISOR in roles_in(user, association_id)


def is_trainee(user: User | None, association_id: int | None) -> bool:
    return Role.TRAINEE in roles_in(user, association_id)


def can_view_enrolment(user: User | None, enrolment) -> bool:
    """The trainee, their assigned supervisors and the association's admins."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user, enrolment.association_id):
        return True
    if enrolment.trainee_id == user.id and is_trainee(user, enrolment.association_id):
        return True
    return is_supervisor(user, enrolment.association_id) and any(
        supervisor.id == user.id for supervisor in enrolment.supervisors
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)


def require_member(user: User | None, association_id: int | None) -> None:
    _require(is_member(user, association_id), _("You are not a member of this association."))


def require_admin(user: User | None, association_id: int | None) -> None:
    _require(is_admin(user, association_id), _("Only the association's admins may do this."))


def require_supervisor(user: User | None, association_id: int | None) -> None:
    _require(is_supervisor(user, association_id), _("Only the association's supervisors may do this."))


def require_trainee(user: User | None, association_id: int | None) -> None:
    _require(is_trainee(user, association_id), _("Only the association's trainees may do this."))


def require_view_enrolment(user: User | None, enrolment) -> None:
    _require(can_view_enrolment(user, enrolment), _("You may not see this enrolment."))


# --- learning: the psychoeducation module -------------------------------------------


def can_take_module(user: User | None, association_id: int | None) -> bool:
    """The module is open to every trainee of the association, enrolled or not."""
    return is_trainee(user, association_id)


def can_see_module_progress(user: User | None, association_id: int | None) -> bool:
    """Supervisors (for their assigned trainees) and admins (for everyone)."""
    return is_supervisor(user, association_id) or is_admin(user, association_id)


def require_take_module(user: User | None, association_id: int | None) -> None:
    _require(can_take_module(user, association_id), _("Only trainees take the module."))


def require_see_module_progress(user: User | None, association_id: int | None) -> None:
    _require(
        can_see_module_progress(user, association_id),
        _("Only supervisors and admins see trainees' progress through the module."),
    )


def can_see_item_statistics(user: User | None, association_id: int | None) -> bool:
    """Admins: the figures describe the question bank across every trainee's attempts."""
    return is_admin(user, association_id)


def require_see_item_statistics(user: User | None, association_id: int | None) -> None:
    _require(can_see_item_statistics(user, association_id), _("Only admins see the question statistics."))


def can_grant_attempts(user: User | None, association_id: int | None, supervises_trainee: bool) -> bool:
    """Admins, and supervisors assigned to the trainee on one of their enrolments."""
    return is_admin(user, association_id) or (is_supervisor(user, association_id) and supervises_trainee)


def require_grant_attempts(user: User | None, association_id: int | None, supervises_trainee: bool) -> None:
    _require(
        can_grant_attempts(user, association_id, supervises_trainee),
        _("Only the trainee's supervisors and the association's admins may allow more attempts."),
    )


# --- vignettes: reflections and supervisor feedback ---------------------------------


def can_edit_reflection(user: User | None, reflection) -> bool:
    """Only the trainee who wrote it, while it is a draft."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        reflection.trainee_id == user.id
        and reflection.status == "draft"
        and is_trainee(user, reflection.association_id)
    )


def is_reviewer_of(user: User | None, reflection) -> bool:
    """A supervisor assigned to the reflection's enrolment, who is not its author."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if reflection.trainee_id == user.id or not is_supervisor(user, reflection.association_id):
        return False
    return any(supervisor.id == user.id for supervisor in reflection.enrolment.supervisors)


def can_review_reflection(user: User | None, reflection) -> bool:
    return reflection.status == "submitted" and is_reviewer_of(user, reflection)


def can_view_reflection(user: User | None, reflection) -> bool:
    """The author, the enrolment's assigned supervisors and the association's admins."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user, reflection.association_id) or is_reviewer_of(user, reflection):
        return True
    return reflection.trainee_id == user.id and is_trainee(user, reflection.association_id)


def require_view_reflection(user: User | None, reflection) -> None:
    _require(can_view_reflection(user, reflection), _("You may not see this reflection."))


def require_reviewer_of(user: User | None, reflection) -> None:
    _require(
        is_reviewer_of(user, reflection),
        _("Only a supervisor assigned to this trainee may review their reflections, never their own."),
    )


def require_author_of(user: User | None, reflection) -> None:
    _require(
        reflection.trainee_id == user.id and is_trainee(user, reflection.association_id),
        _("Only the trainee who wrote this reflection may change it."),
    )


# --- logbook: records and sign-off ----------------------------------------------------


def _is_assigned_supervisor(user: User, enrolment) -> bool:
    return is_supervisor(user, enrolment.association_id) and any(
        supervisor.id == user.id for supervisor in enrolment.supervisors
    )


def _is_observation(record) -> bool:
    from app.logbook.models import RecordKind

    return record.kind == RecordKind.OBSERVATION


def can_view_record(user: User | None, record) -> bool:
    """Whoever may see the trainee's enrolment, and the observer of an observation."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if can_view_enrolment(user, record.enrolment):
        return True
    return (
        _is_observation(record)
        and record.observer_id == user.id
        and is_supervisor(user, record.association_id)
    )


def is_record_author(user: User | None, record) -> bool:
    """The trainee who keeps the logbook, or for an observation the supervisor who wrote it."""
    if user is None or not getattr(user, "is_authenticated", False) or record.author_id != user.id:
        return False
    if _is_observation(record):
        return is_supervisor(user, record.association_id)
    return record.enrolment.trainee_id == user.id and is_trainee(user, record.association_id)


def can_edit_record(user: User | None, record) -> bool:
    """The author, while the record is a draft or was returned to them."""
    return is_record_author(user, record) and record.is_editable


def can_submit_record(user: User | None, record) -> bool:
    return can_edit_record(user, record)


def can_delete_record(user: User | None, record) -> bool:
    """Only drafts that never reached a verifier disappear without a trace."""
    from app.logbook.models import RecordStatus

    return is_record_author(user, record) and record.status == RecordStatus.DRAFT


def is_record_verifier(user: User | None, record) -> bool:
    """Who signs or returns it: the observer for an observation; the supervisor who gave
    supervision (if assigned); any supervisor assigned to the enrolment for the rest.
    Never the trainee whose logbook it is."""
    from app.logbook.models import RecordKind

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if record.enrolment.trainee_id == user.id or not is_supervisor(user, record.association_id):
        return False
    if record.kind == RecordKind.OBSERVATION:
        return record.observer_id == user.id
    if record.kind == RecordKind.SUPERVISION and record.supervisor_id != user.id:
        return False
    return _is_assigned_supervisor(user, record.enrolment)


def can_sign_record(user: User | None, record) -> bool:
    from app.logbook.models import RecordStatus

    return record.status == RecordStatus.SUBMITTED and is_record_verifier(user, record)


def can_return_record(user: User | None, record) -> bool:
    return can_sign_record(user, record)


def can_reopen_record(user: User | None, record) -> bool:
    """An association admin reopens a signed record by making a new version of it."""
    from app.logbook.models import RecordStatus

    return record.status == RecordStatus.SIGNED and is_admin(user, record.association_id)


def can_confirm_session(user: User | None, record) -> bool:
    """The co-leader named on a submitted or signed session, if they are a user here."""
    from app.logbook.models import RecordKind, RecordStatus

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        record.kind == RecordKind.SESSION
        and record.co_leader_id == user.id
        and record.status in (RecordStatus.SUBMITTED, RecordStatus.SIGNED)
        and is_member(user, record.association_id)
    )


def can_change_record_evidence(user: User | None, record) -> bool:
    """Evidence files come and go only while the author may still edit the record (signed is final)."""
    return is_record_author(user, record) and record.is_editable


def can_change_reflection_evidence(user: User | None, reflection) -> bool:
    """The author, while the version is a draft; a submitted or reviewed version keeps its files."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        reflection.trainee_id == user.id
        and is_trainee(user, reflection.association_id)
        and reflection.is_draft
    )


def require_view_record(user: User | None, record) -> None:
    _require(can_view_record(user, record), _("You may not see this record."))


def require_edit_record(user: User | None, record) -> None:
    _require(is_record_author(user, record), _("Only the author of this record may change it."))


def require_sign_record(user: User | None, record) -> None:
    """Explain which rule refuses, because a supervisor needs to know what to do instead."""
    from app.logbook.models import RecordKind

    if record.enrolment.trainee_id == getattr(user, "id", None):
        raise Forbidden(_("You cannot sign or return your own records."))
    _require(is_supervisor(user, record.association_id), _("Only supervisors sign records."))
    if record.kind == RecordKind.OBSERVATION:
        _require(record.observer_id == user.id, _("Only the observer signs an observation."))
        return
    _require(_is_assigned_supervisor(user, record.enrolment), _("You do not supervise this trainee."))
    if record.kind == RecordKind.SUPERVISION:
        _require(
            record.supervisor_id == user.id,
            _("Supervision is signed by the supervisor who gave it."),
        )


def require_reopen_record(user: User | None, record) -> None:
    _require(is_admin(user, record.association_id), _("Only the association's admins may reopen a record."))


def require_confirm_session(user: User | None, record) -> None:
    from app.logbook.models import RecordKind

    _require(
        record.kind == RecordKind.SESSION and record.co_leader_id == getattr(user, "id", None),
        _("Only the co-leader named on this session may confirm it."),
    )


# --- groups: the groups trainees lead, and their sessions -----------------------------


def can_manage_groups(user: User | None, association_id: int | None) -> bool:
    """Admins create groups and name their leaders."""
    return is_admin(user, association_id)


def is_group_leader(user: User | None, group) -> bool:
    """A leader or co-leader named on the group, while a member of its association."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    is_named = any(leader.user_id == user.id for leader in group.leaders)
    return is_named and is_member(user, group.association_id)


def can_view_group(user: User | None, group, supervises_a_leader: bool) -> bool:
    """Its leaders, the association's admins, and supervisors assigned to one of its leaders."""
    if is_admin(user, group.association_id) or is_group_leader(user, group):
        return True
    return supervises_a_leader and is_supervisor(user, group.association_id)


def can_run_group(user: User | None, group) -> bool:
    """Planning, running and closing sessions, and keeping the member list: the leaders."""
    return is_group_leader(user, group)


def require_manage_groups(user: User | None, association_id: int | None) -> None:
    _require(can_manage_groups(user, association_id), _("Only the association's admins create groups."))


def require_view_group(user: User | None, group, supervises_a_leader: bool) -> None:
    _require(can_view_group(user, group, supervises_a_leader), _("You may not see this group."))


def require_run_group(user: User | None, group) -> None:
    _require(can_run_group(user, group), _("Only the group's leaders plan, run and close its sessions."))


# --- attendance confirmations: issued by accredited leaders to members ----------------------


def can_issue_attendance(user: User | None, group, session=None) -> bool:
    """A leader of the group (or of that session) whose status level allows it, held today
    (``app.statuslevels``); where the association asks for no level, a leader marked
    accredited on the group. Leaders without it record attendance only."""
    if not is_group_leader(user, group):
        return False
    allowed = permissions.allows(user.id, group.association_id, Permission.CONFIRM_ATTENDANCE)
    if allowed is not None:
        return allowed
    leaders = list(group.leaders) + (list(session.leaders) if session is not None else [])
    return any(leader.user_id == user.id and leader.is_accredited for leader in leaders)


def why_not_issue_attendance(group) -> str:
    """The words for a leader who may not issue: which levels would allow it."""
    if permissions.required_levels(group.association_id, Permission.CONFIRM_ATTENDANCE):
        return permissions.refusal(group.association_id, Permission.CONFIRM_ATTENDANCE)
    return _(
        "Only an accredited leader of the group issues attendance confirmations; "
        "leaders in training record attendance on the run sheet."
    )


def require_issue_attendance(user: User | None, group, session=None) -> None:
    _require(can_issue_attendance(user, group, session), why_not_issue_attendance(group))


# --- status levels that supervising and observing ask for (``app.statuslevels``) ------------


def without_level_to(permission: str, association_id: int, users, on) -> list:
    """Of ``users``, those the association's status levels do not allow ``permission`` on ``on``
    (nobody, where it asks for no level)."""
    needed = permissions.required_levels(association_id, permission)
    if not needed:
        return []
    allowed = permissions.holders([user.id for user in users], association_id, needed, on)
    return [user for user in users if user.id not in allowed]


def without_level_to_supervise(association_id: int, users, on) -> list:
    return without_level_to(Permission.SUPERVISE, association_id, users, on)


def why_not_supervise(association_id: int, name: str) -> str:
    return permissions.refusal(association_id, Permission.SUPERVISE, name)


def why_not_observe(association_id: int, name: str) -> str:
    return permissions.refusal(association_id, Permission.OBSERVE, name)


def can_view_attendance_confirmation(user: User | None, confirmation) -> bool:
    """The member it was issued to, its issuer, the group's leaders and the admins."""
    if user is None or not is_member(user, confirmation.association_id):
        return False
    if is_admin(user, confirmation.association_id) or user.id == confirmation.issued_by_id:
        return True
    if confirmation.member.user_id == user.id:
        return True
    return is_group_leader(user, confirmation.group)


def can_revoke_attendance_confirmation(user: User | None, confirmation) -> bool:
    """Its issuer (while a member) or an admin of the association."""
    if user is None or not is_member(user, confirmation.association_id):
        return False
    return user.id == confirmation.issued_by_id or is_admin(user, confirmation.association_id)


# --- certificates: issuing, revoking and the holders' copies ----------------------------


def can_manage_certificates(user: User | None, association_id: int | None) -> bool:
    """Issuing, revoking, re-issuing and the certificate settings belong to the admins."""
    return is_admin(user, association_id)


def require_manage_certificates(user: User | None, association_id: int | None) -> None:
    _require(
        can_manage_certificates(user, association_id),
        _("Only the association's admins issue, revoke and re-issue certificates."),
    )


def can_view_certificate(user: User | None, certificate) -> bool:
    """The holder (while a member of the association) and the association's admins."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user, certificate.association_id):
        return True
    return certificate.holder_id == user.id and is_member(user, certificate.association_id)


# --- jobs: long work a person started -------------------------------------------------


def can_view_job(user: User | None, job, enrolment=None) -> bool:
    """A job about a logbook: whoever may read that logbook; any other job: its starter only.

    Both only while a member of the job's association.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not is_member(user, job.association_id):
        return False
    if enrolment is not None:
        return can_view_enrolment(user, enrolment)
    return job.user_id == user.id


# -- applications for accreditation ----------------------------------------------------------


def can_view_application(user: User | None, application, is_panel_member: bool) -> bool:
    """The applicant, the panel members named to it and the association's admins."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user, application.association_id):
        return True
    if application.trainee_id == user.id and is_trainee(user, application.association_id):
        return True
    return is_panel_member and is_member(user, application.association_id)


def can_decide_application(user: User | None, association_id: int | None) -> bool:
    """The deciding admin (the panel's chair) signs the decision and names the panel."""
    return is_admin(user, association_id)


def require_view_application(user: User | None, application, is_panel_member: bool) -> None:
    _require(
        can_view_application(user, application, is_panel_member),
        _("Only the applicant, the panel and the association's admins may see this application."),
    )


def require_decide_application(user: User | None, association_id: int | None) -> None:
    _require(
        can_decide_application(user, association_id),
        _("Only the association's admins name the panel and record its decision."),
    )

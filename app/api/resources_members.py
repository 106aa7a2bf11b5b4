"""API operations for an association's people: members, their roles, supervisors'
accreditations and invitations (admins only, through the admin pages' services)."""

from __future__ import annotations

from app.accounts import services as accounts
from app.accounts.models import User
from app.api import schemas as s
from app.api.core import current_association_id, current_user, cursor_query, operation, page_of
from app.database import utcnow
from app.logbook import accreditations


@operation(
    "/members",
    "GET",
    summary="The association's members and their roles (admins)",
    tag="members",
    query=s.MemberQuery,
    response=s.MemberList,
)
def list_members(query: s.MemberQuery):
    """In id order; filter by `role` or by part of a name or e-mail (`search`)."""
    association_id = current_association_id()
    stmt = accounts.members_query(
        current_user(), association_id, search=query.search or "", role=query.role or ""
    )
    page = cursor_query(stmt, User.id, query.cursor, query.limit, descending=False)
    roles = accounts.roles_of_members(association_id, [user.id for user in page["items"]])
    return {
        "items": [
            {"id": u.id, "name": u.name, "email": u.email, "roles": roles[u.id]} for u in page["items"]
        ],
        "next_cursor": page["next_cursor"],
    }


def _member_out(user_id: int) -> dict:
    association_id = current_association_id()
    user = accounts.get_member(current_user(), association_id, user_id)
    roles = accounts.roles_of_members(association_id, [user.id])[user.id]
    return {"id": user.id, "name": user.name, "email": user.email, "roles": roles}


@operation(
    "/members/<int:user_id>", "GET", summary="One member (admins)", tag="members", response=s.MemberOut
)
def get_member(user_id: int):
    return _member_out(user_id)


@operation(
    "/members/<int:user_id>/roles",
    "POST",
    summary="Give a member a role (admins)",
    tag="members",
    body=s.RoleIn,
    response=s.MemberOut,
)
def grant_role(user_id: int, body: s.RoleIn):
    accounts.grant_role(current_user(), current_association_id(), user_id, body.role)
    return _member_out(user_id)


@operation(
    "/members/<int:user_id>/roles/<role>",
    "DELETE",
    summary="Take a role from a member (admins)",
    tag="members",
    status=204,
)
def revoke_role(user_id: int, role: str):
    """Taking a person's last role ends their membership. An admin cannot remove their
    own admin role (409)."""
    accounts.revoke_role(current_user(), current_association_id(), user_id, role)


@operation(
    "/members/<int:user_id>",
    "DELETE",
    summary="Remove a person from the association and end their sessions (admins)",
    tag="members",
    status=204,
)
def disable_member(user_id: int):
    """The person's records stay; they can no longer sign in here."""
    accounts.disable_member(current_user(), current_association_id(), user_id)


# --- supervisors' accreditations: only an accredited supervisor can sign --------------


@operation(
    "/accreditations",
    "GET",
    summary="Supervisors' accreditation periods (admins)",
    tag="members",
    query=s.ListQuery,
    response=s.AccreditationList,
)
def list_accreditations(query: s.ListQuery):
    standing = accreditations.list_standing(current_user(), current_association_id(), today=utcnow().date())
    periods = [period for row in standing for period in row.periods]
    return page_of(periods, query.cursor, query.limit, descending=True)


@operation(
    "/accreditations",
    "POST",
    summary="Record a supervisor's accreditation (admins)",
    tag="members",
    body=s.AccreditationIn,
    response=s.AccreditationOut,
    status=201,
    is_idempotent=True,
)
def grant_accreditation(body: s.AccreditationIn):
    return accreditations.grant(
        current_user(),
        current_association_id(),
        supervisor_id=body.supervisor_id,
        valid_from=body.valid_from,
        valid_until=body.valid_until,
        note=body.note,
    )


@operation(
    "/accreditations/<int:accreditation_id>/end",
    "POST",
    summary="End an accreditation today (admins)",
    tag="members",
    status=204,
)
def end_accreditation(accreditation_id: int):
    """From today the supervisor cannot sign; a period not yet begun is removed."""
    accreditations.end(current_user(), current_association_id(), accreditation_id, today=utcnow().date())


# --- invitations -------------------------------------------------------------------------


@operation(
    "/invitations",
    "GET",
    summary="Invitations not yet accepted or expired (admins)",
    tag="members",
    query=s.ListQuery,
    response=s.InvitationList,
)
def list_invitations(query: s.ListQuery):
    items = accounts.list_pending_invitations(current_user(), current_association_id())
    return page_of(items, query.cursor, query.limit, descending=True)


@operation(
    "/invitations",
    "POST",
    summary="Invite a person by e-mail in one role (admins)",
    tag="members",
    body=s.InvitationIn,
    response=s.InvitationOut,
    status=201,
    is_idempotent=True,
)
def create_invitation(body: s.InvitationIn):
    """The link to accept goes to the invited address only; it is never returned here."""
    return accounts.invite(current_user(), current_association_id(), body.email, body.role)

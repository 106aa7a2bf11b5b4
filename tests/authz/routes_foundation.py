"""Accounts, home and admin routes in the authorization matrix."""

from __future__ import annotations

from tests.authz.cases import NOT_THEIRS, RouteCase, expect, neighbours

ADMIN_ONLY = expect(302, 403, 403, 200, 200)  # other_admin sees their own association's page
ADMIN_ONLY_POST = expect(302, 403, 403, 302, 302)
ADMIN_OBJECT = expect(302, 403, 403, 200, 404)  # other_admin: not in their association
ADMIN_OBJECT_POST = expect(302, 403, 403, 302, 404)
EVERYONE_SIGNED_IN = expect(302, 200, 200, 200, 200)


def cases(world) -> list[RouteCase]:
    w = world
    return [
        RouteCase("home.index", "GET", "/", expect(302, 302, 302, 302, 302)),
        RouteCase("home.dashboard", "GET", "/home", EVERYONE_SIGNED_IN),
        RouteCase("static", "GET", "/static/stillpoint.css", expect(200, 200, 200, 200, 200)),
        RouteCase("accounts.login", "GET", "/login", expect(200, 302, 302, 302, 302)),
        RouteCase(
            "accounts.login",
            "POST",
            "/login",
            expect(200, 302, 302, 302, 302),
            data={"email": "nobody@x.test", "password": "wrong-password"},
        ),
        RouteCase("accounts.account", "GET", "/account", EVERYONE_SIGNED_IN),
        RouteCase("accounts.change_password", "GET", "/account/password", EVERYONE_SIGNED_IN),
        RouteCase(
            "accounts.change_password",
            "POST",
            "/account/password",
            EVERYONE_SIGNED_IN,  # wrong current password: the form again
            data={"current_password": "x", "new_password": "y", "confirm": "y"},
        ),
        RouteCase("accounts.forgot_password", "GET", "/password/forgot", expect(200, 200, 200, 200, 200)),
        RouteCase(
            "accounts.forgot_password",
            "POST",
            "/password/forgot",
            expect(302, 302, 302, 302, 302),
            data={"email": "nobody@x.test"},
        ),
        RouteCase(
            "accounts.reset_password", "GET", "/password/reset/unknown", expect(404, 404, 404, 404, 404)
        ),
        RouteCase(
            "accounts.reset_password", "POST", "/password/reset/unknown", expect(404, 404, 404, 404, 404)
        ),
        RouteCase(
            "accounts.accept_invitation", "GET", "/invitations/unknown", expect(404, 404, 404, 404, 404)
        ),
        RouteCase(
            "accounts.accept_invitation", "POST", "/invitations/unknown", expect(404, 404, 404, 404, 404)
        ),
        RouteCase(
            "accounts.switch_association",
            "POST",
            f"/associations/{w.association.id}/switch",
            expect(302, 302, 302, 302, 302),
            neighbours=neighbours(302, 302, 302),
        ),
        RouteCase("admin.members", "GET", "/admin/members?q=a&role=trainee", ADMIN_ONLY),
        RouteCase(
            "admin.member",
            "GET",
            f"/admin/members/{w.trainee.id}",
            ADMIN_OBJECT,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "admin.invite",
            "POST",
            "/admin/invitations",
            ADMIN_ONLY_POST,
            data={"invite-email": "new@x.test", "invite-role": "trainee"},
        ),
        RouteCase(
            "admin.grant_role",
            "POST",
            f"/admin/members/{w.trainee.id}/roles",
            ADMIN_OBJECT_POST,
            data={"grant-role": "supervisor"},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "admin.revoke_role",
            "POST",
            f"/admin/members/{w.supervisor2.id}/roles/supervisor/revoke",
            ADMIN_OBJECT_POST,
            neighbours=NOT_THEIRS,
        ),
        RouteCase("admin.programme_list", "GET", "/admin/programmes", ADMIN_ONLY),
        RouteCase("admin.programme_new", "GET", "/admin/programmes/new", ADMIN_ONLY),
        RouteCase("admin.programme_new", "POST", "/admin/programmes/new", ADMIN_ONLY, data={}),
        RouteCase(
            "admin.programme_detail",
            "GET",
            f"/admin/programmes/{w.programme.id}",
            ADMIN_OBJECT,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "admin.programme_detail",
            "POST",
            f"/admin/programmes/{w.programme.id}",
            ADMIN_OBJECT,
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase("admin.enrolments", "GET", "/admin/enrolments?q=t&status=active", ADMIN_ONLY),
        RouteCase("admin.enrolment_new", "GET", "/admin/enrolments/new", ADMIN_ONLY),
        RouteCase("admin.enrolment_new", "POST", "/admin/enrolments/new", ADMIN_ONLY, data={}),
        RouteCase(
            "admin.enrolment_detail",
            "GET",
            f"/admin/enrolments/{w.enrolment.id}",
            ADMIN_OBJECT,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "admin.enrolment_detail",
            "POST",
            f"/admin/enrolments/{w.enrolment.id}",
            ADMIN_OBJECT,
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase("admin.outbox", "GET", "/admin/outbox", ADMIN_ONLY),
        RouteCase("admin.audit_trail", "GET", "/admin/audit", ADMIN_ONLY),
        RouteCase(
            "admin.disable_member",
            "POST",
            f"/admin/members/{w.trainee2.id}/disable",
            ADMIN_OBJECT_POST,
            is_destructive=True,
            neighbours=NOT_THEIRS,
        ),
        RouteCase("accounts.logout", "POST", "/logout", expect(302, 302, 302, 302, 302), is_destructive=True),
    ]

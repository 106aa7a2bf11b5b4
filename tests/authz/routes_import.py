"""Bulk import and invitation (resend, revoke) routes in the authorization matrix.

Admins only; an admin of another association imports into their own association, and
never reaches this association's invitations (404).
"""

from __future__ import annotations

from app.accounts import services as accounts
from app.extensions import db
from tests.authz.cases import RouteCase, expect

ADMIN_ONLY = expect(302, 403, 403, 200, 200)
ADMIN_ONLY_FORM_AGAIN = expect(302, 403, 403, 422, 422)  # an empty upload: the form with its error
ADMIN_ONLY_POST = expect(302, 403, 403, 302, 302)
ADMIN_OBJECT_POST = expect(302, 403, 403, 302, 404)


def cases(world) -> list[RouteCase]:
    invitation = accounts.invite(world.admin, world.association.id, "matrix-invitee@x.test", "trainee")
    db.session.commit()
    i = f"/admin/invitations/{invitation.id}"
    return [
        RouteCase("admin.import_upload", "GET", "/admin/import", ADMIN_ONLY),
        RouteCase("admin.import_preview", "POST", "/admin/import", ADMIN_ONLY_FORM_AGAIN, data={}),
        # No file came back with the form: sent back to the upload page, nothing written.
        RouteCase("admin.import_confirm", "POST", "/admin/import/confirm", ADMIN_ONLY_POST, data={}),
        RouteCase("admin.import_template", "GET", "/admin/import/template.csv", ADMIN_ONLY),
        RouteCase("admin.resend_invitation", "POST", f"{i}/resend", ADMIN_OBJECT_POST),
        RouteCase("admin.revoke_invitation", "POST", f"{i}/revoke", ADMIN_OBJECT_POST, is_destructive=True),
    ]

"""The admin dashboard's lists and the audit trail's CSV in the authorization matrix.

Admins of the association only; another association's admin reads their own (empty) lists.
"""

from __future__ import annotations

from tests.authz.cases import RouteCase, expect

ADMIN_ONLY = expect(302, 403, 403, 200, 200)


def cases(world) -> list[RouteCase]:
    return [
        RouteCase("admin.waiting", "GET", "/admin/waiting", ADMIN_ONLY),
        RouteCase("admin.stalled", "GET", "/admin/stalled", ADMIN_ONLY),
        RouteCase("admin.audit_csv", "GET", "/admin/audit.csv", ADMIN_ONLY),
    ]

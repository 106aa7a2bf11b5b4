"""The rule-set editor in the authorization matrix: the association's admins only; an
admin of another association learns nothing of the programme (404)."""

from __future__ import annotations

from tests.authz.cases import NOT_THEIRS, RouteCase, expect

PAGE = expect(302, 403, 403, 200, 404)
FORM_AGAIN = expect(302, 403, 403, 422, 404)  # an empty form: back with its problems
REDIRECT = expect(302, 403, 403, 302, 404)


def cases(world) -> list[RouteCase]:
    base = f"/admin/programmes/{world.programme.id}/editor"

    def row(endpoint, method, url, expected, data=None):
        return RouteCase(endpoint, method, url, expected, data=data or {}, neighbours=NOT_THEIRS)

    return [
        row("admin.ruleset_editor", "GET", base, PAGE),
        row("admin.ruleset_requirement", "GET", f"{base}/requirement?path=0", PAGE),
        row("admin.ruleset_requirement", "POST", f"{base}/requirement", FORM_AGAIN),
        row("admin.ruleset_remove", "POST", f"{base}/remove", REDIRECT),
        row("admin.ruleset_move", "POST", f"{base}/move/up", REDIRECT),
        row("admin.ruleset_title", "POST", f"{base}/title", REDIRECT),
        row("admin.ruleset_discard", "POST", f"{base}/discard", REDIRECT),
        row("admin.ruleset_import", "GET", f"{base}/import", PAGE),
        row("admin.ruleset_import", "POST", f"{base}/import", FORM_AGAIN),
        row("admin.ruleset_export", "GET", f"{base}/export?version=1", PAGE),
        row("admin.ruleset_diff", "GET", f"{base}/diff?old=1&new=draft", PAGE),
        row("admin.ruleset_publish", "GET", f"{base}/publish", PAGE),
        row("admin.ruleset_publish", "POST", f"{base}/publish", FORM_AGAIN),
    ]

"""Two-factor sign-in routes in the authorization matrix.

Everything under /account/two-factor acts on the signed-in person's own factors only
(another person's device or passkey reads as 404); the association's sign-in rule
is for its admins. The login steps are open to anyone, and sign nobody in without
a valid answer.
"""

from __future__ import annotations

from tests.authz.cases import RouteCase, expect

SIGNED_IN = expect(302, 200, 200, 200, 200)
SIGNED_IN_REFUSED = expect(302, 422, 422, 422, 422)  # bad input: the form again, or a JSON 422
NOT_SET_UP = expect(302, 409, 409, 409, 409)  # no authenticator app to change
NOT_YOURS = expect(302, 404, 404, 404, 404)
OPEN = expect(200, 200, 200, 200, 200)


def cases(world) -> list[RouteCase]:
    return [
        RouteCase("twofactor.settings", "GET", "/account/two-factor", SIGNED_IN),
        RouteCase("twofactor.setup", "GET", "/account/two-factor/app", SIGNED_IN),
        RouteCase(
            "twofactor.setup", "POST", "/account/two-factor/app", SIGNED_IN_REFUSED, data={"code": "000000"}
        ),
        RouteCase("twofactor.regenerate_codes", "GET", "/account/two-factor/recovery-codes", SIGNED_IN),
        RouteCase(
            "twofactor.regenerate_codes",
            "POST",
            "/account/two-factor/recovery-codes",
            NOT_SET_UP,
            data={"code": "000000"},
        ),
        RouteCase("twofactor.disable", "GET", "/account/two-factor/disable", SIGNED_IN),
        RouteCase(
            "twofactor.disable",
            "POST",
            "/account/two-factor/disable",
            NOT_SET_UP,
            data={"password": "wrong-password", "code": "000000"},
        ),
        RouteCase("twofactor.forget_device", "POST", "/account/two-factor/devices/999/forget", NOT_YOURS),
        RouteCase(
            "twofactor.passkey_register_options", "POST", "/account/two-factor/passkeys/options", SIGNED_IN
        ),
        RouteCase("twofactor.passkey_register", "POST", "/account/two-factor/passkeys", SIGNED_IN_REFUSED),
        RouteCase("twofactor.passkey_remove", "POST", "/account/two-factor/passkeys/999/remove", NOT_YOURS),
        RouteCase(
            "twofactor.association_settings", "GET", "/association/security", expect(302, 403, 403, 200, 200)
        ),
        RouteCase(
            "twofactor.association_settings",
            "POST",
            "/association/security",
            expect(302, 403, 403, 302, 302),  # the rule left off: saved
        ),
        # Without a password step first, the second step sends back to the login page.
        RouteCase("twofactor.challenge", "GET", "/login/two-factor", expect(302, 302, 302, 302, 302)),
        RouteCase(
            "twofactor.challenge",
            "POST",
            "/login/two-factor",
            expect(302, 302, 302, 302, 302),
            data={"code": "1"},
        ),
        RouteCase("twofactor.passkey_login_options", "POST", "/login/passkey/options", OPEN),
        RouteCase("twofactor.passkey_login", "POST", "/login/passkey", expect(422, 422, 422, 422, 422)),
    ]

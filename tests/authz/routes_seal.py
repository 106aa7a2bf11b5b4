"""Seal routes in the authorization matrix: the published seal certificates and rotating the key."""

from __future__ import annotations

from app.certificates import seal_keys
from app.extensions import db
from tests.authz.cases import RouteCase, expect

PUBLIC = expect(200, 200, 200, 200, 200)


def cases(world) -> list[RouteCase]:
    key = seal_keys.seal_key(world.association)
    db.session.commit()
    slug = world.association.slug
    return [
        RouteCase("certificates.issuer_seal", "GET", f"/issuers/{slug}/seal.pem", PUBLIC),
        RouteCase(
            "certificates.issuer_seal_by_fingerprint",
            "GET",
            f"/issuers/{slug}/seal/{key.fingerprint}.pem",
            PUBLIC,
        ),
        # Unconfirmed: the admins get the form back (each for their own association).
        RouteCase(
            "certificates.rotate_seal", "POST", "/certificates/settings/seal", expect(302, 403, 403, 422, 422)
        ),
    ]

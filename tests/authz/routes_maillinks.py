"""E-mailed link routes in the authorization matrix.

``/m/<token>`` needs no login: the token is the authority, for whoever holds it, so
every role (and every neighbour) gets the same answer; the form there refuses a return
without a comment (422) and so changes nothing. The list of open links is for anyone
signed in (each sees their own, admins all); a link is withdrawn by its sender (the
trainee who submitted) or an admin, and is not found for anyone else.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.logbook import records
from app.logbook.validation import SessionInput
from app.maillinks.models import LinkPurpose, MailLink
from app.maillinks.services import issue_links
from tests.authz.cases import RouteCase, expect, neighbours

ANYONE = expect(200, 200, 200, 200, 200)


def _submitted(world):
    data = SessionInput(
        occurred_on=date(2025, 5, 6),
        role="member",
        minutes=90,
        mode="in-person",
        group_kind="ongoing",
        setting_category="primary-care",
        members=8,
        cases=2,
    )
    return records.create_record(world.trainee, world.association.id, world.enrolment.id, data, submit=True)


def cases(world) -> list[RouteCase]:
    opened = _submitted(world)
    urls = issue_links(LinkPurpose.SIGN_RECORD, opened, [world.supervisor.id], sender=world.trainee)
    path = urls[world.supervisor.id].removeprefix("http://localhost")
    to_revoke = _submitted(world)
    db.session.commit()
    link_id = db.session.scalar(
        select(MailLink.id).where(MailLink.object_id == to_revoke.id, MailLink.revoked_at.is_(None))
    )
    return [
        RouteCase("maillinks.open", "GET", path, ANYONE, neighbours=neighbours(200, 200, 200)),
        RouteCase(
            "maillinks.act",
            "POST",
            path,
            expect(422, 422, 422, 422, 422),
            data={"action": "return", "comment": ""},
            neighbours=neighbours(422, 422, 422),
        ),
        RouteCase("maillinks.index", "GET", "/mail-links", expect(302, 200, 200, 200, 200)),
        RouteCase(
            "maillinks.revoke",
            "POST",
            f"/mail-links/{link_id}/revoke",
            expect(302, 302, 404, 302, 404),
            is_destructive=True,
            neighbours=neighbours(404, 404, 404),
        ),
    ]

"""Decision-letter routes in the authorization matrix.

A decided (declined) application of the world's second trainee: only its applicant and
the admins read it, so here the admin reads the letter and the world's trainee, the
supervisor and the neighbours are refused (403); another association never learns it
exists (404). Only those who decide may regenerate the letter.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.applications import services
from app.extensions import db
from app.programmes import services as programmes
from app.programmes.models import Enrolment
from tests.authz.cases import NOT_THEIRS, RouteCase, expect


def _decided_application(world):
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.trainee_id == world.trainee2.id).limit(1))
    if enrolment is None:
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=world.trainee2.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=date(2025, 1, 15),
        )
    application = services.open_application(world.trainee2.id, world.association.id)
    if application is None:
        application = services.apply(world.trainee2, world.association.id, enrolment.id)
        db.session.commit()  # the job renders and stores the portfolio; the panel decides after
    services.add_panel_member(world.admin, world.association.id, application.id, world.admin.id)
    services.record_review(world.admin, world.association.id, application.id, "decline", "Too early yet.")
    services.decide(
        world.admin, world.association.id, application.id, decision="decline", reasons="Too early."
    )
    db.session.commit()
    return application


def cases(world) -> list[RouteCase]:
    a = f"/applications/{_decided_application(world).id}"
    return [
        RouteCase(
            "applications.letter",
            "GET",
            f"{a}/decision-letter.pdf",
            expect(302, 403, 403, 200, 404),
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "applications.regenerate_letter",
            "POST",
            f"{a}/decision-letter",
            expect(302, 403, 403, 302, 404),
            data={"letter-reason": "A new letter design."},
            neighbours=NOT_THEIRS,
        ),
    ]

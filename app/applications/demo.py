"""Demo application: the longest-enrolled demo trainee has applied for accreditation and the
admin sits on the panel, so the panel's pages have something to show. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from app.applications import services
from app.applications.models import AccreditationApplication
from app.extensions import db
from app.programmes.models import Enrolment

APPLICANT = "trainee4@demo.test"


def load(users: dict, associations: dict) -> None:
    """``users`` maps demo e-mail to User, ``associations`` maps slug to Association."""
    association, trainee, admin = associations["demo"], users[APPLICANT], users["admin@demo.test"]
    if db.session.scalar(
        select(AccreditationApplication.id).where(AccreditationApplication.trainee_id == trainee.id)
    ):
        return
    enrolment = db.session.scalar(
        select(Enrolment)
        .where(Enrolment.trainee_id == trainee.id, Enrolment.association_id == association.id)
        .order_by(Enrolment.started_on)
        .limit(1)
    )
    if enrolment is None:
        return
    application = services.apply(
        trainee,
        association.id,
        enrolment.id,
        statement="I have co-led an ongoing group for almost two years; please consider me.",
    )
    services.add_panel_member(admin, association.id, application.id, admin.id)

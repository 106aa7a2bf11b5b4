"""An application of the world's trainee, ready by the test rule set (two signed co-led sessions)."""

from __future__ import annotations

from app.applications import services
from app.extensions import db
from tests.logbook.fixtures import signed


def ready_application(world, *, statement: str = "I have led for two years."):
    """Two signed co-led sessions (the supervisor is accredited by signing), then the trainee applies."""
    signed(world)
    signed(world)
    application = services.apply(world.trainee, world.association.id, world.enrolment.id, statement=statement)
    db.session.commit()
    return application


def with_panel(world, application):
    """The admin and the (accredited) supervisor named to the panel, both recommending accreditation."""
    for person in (world.admin, world.supervisor):
        services.add_panel_member(world.admin, world.association.id, application.id, person.id)
    for person in (world.admin, world.supervisor):
        services.record_review(
            person, world.association.id, application.id, "accredit", "The portfolio meets every rule."
        )
    db.session.commit()
    return application
